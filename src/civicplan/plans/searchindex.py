"""The search index of an activity: the lemmas of its texts in `Activity.search_lemmas`.

Search in Russian must find "Администрация г. Перми" for "Пермь" and "форум" for "форумы". The
words of an activity's title, place, responsible parties, notes, kind (in Russian and English)
and its cities' and regions' names are put in their dictionary forms (pymorphy3, through
`civicplan.plandoc.morphology`) and stored in one text column as

    " =пермь =форум ... администрация г пермь форум ... "

sorted, space-separated, with a space at each end: a lemma is looked up whole with
LIKE '% lemma %', the same on SQLite and PostgreSQL; the title's lemmas are there a second time
with a "=" in front, so that a search can rank title matches first in SQL. Each Russian lemma also
stands in its Latin spellings (`civicplan.plandoc.translit`: ICAO, GOST 7.79, Wikipedia,
BGN/PCGN), so that the English pages find "Пермь" for "Perm" and "Череповец" for "Cherepovets".
The column is written wherever activities are written, by `plans.actions`; migrations 0003 and
0004 filled it for the rows that existed.

A query is read here too (`read_query`), so that the site's search, the calendar's `q` and the
feed's `q` find the same activities for the same words.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.db.models import Q, QuerySet
from django.utils import translation

from civicplan.directory.models import Place
from civicplan.plandoc.morphology import is_dictionary_word, lemmas, tokens, word_lemmas
from civicplan.plandoc.translit import cyrillic_forms, is_latin, latin_forms
from civicplan.plans.models import Activity

TITLE_MARK = "="
MAX_QUERY = 200  # characters of a query read
MAX_WORDS = 8  # query words used


@functools.cache
def kind_words() -> dict[str, str]:
    """Each kind's label in Russian and in English ("форум forum"), to be found in either."""
    words: dict[str, list[str]] = {kind: [] for kind in Activity.Kind.values}
    for language in ("ru", "en"):
        with translation.override(language):
            for kind in Activity.Kind:
                words[kind.value].append(str(kind.label))
    return {kind: " ".join(labels) for kind, labels in words.items()}


def activity_lemmas(
    *,
    title: str,
    place_text: str = "",
    responsible_text: str = "",
    notes: Iterable[str] = (),
    kind: str = "",
    places: Iterable[str | None] = (),
) -> str:
    """The value of `Activity.search_lemmas` for these texts; `places` are the names of the
    activity's cities and regions as the directory has them (in the nominative)."""
    in_title = searchable(title)
    found = {TITLE_MARK + lemma for lemma in in_title} | in_title
    for text in (place_text, responsible_text, *notes, kind_words().get(kind, ""), *places):
        if text:
            found |= searchable(str(text))
    return f" {' '.join(sorted(found))} " if found else ""


def searchable(text: str) -> set[str]:
    """What a text is found by: the lemmas of its words and their Latin spellings."""
    return with_latin(lemmas(text))


def with_latin(found: set[str] | frozenset[str]) -> set[str]:
    """Lemmas and the Latin spellings of the Russian ones ("пермь" -> "perm")."""
    return set(found).union(*(latin_forms(lemma) for lemma in found))


def index_activity(activity: Activity) -> str:
    """Compute and set `activity.search_lemmas` from the activity and its places (one query
    for the places of a saved activity)."""
    places: list[str] = []
    if activity.pk:
        for city, region in Place.objects.filter(activityplace__activity=activity).values_list(
            "city", "region"
        ):
            places.extend((city, region))
    activity.search_lemmas = _lemmas_of(activity, places)
    return activity.search_lemmas


def _lemmas_of(activity: Activity, places: Iterable[str]) -> str:
    """The search column of an activity (a model instance, current or historical)."""
    return activity_lemmas(
        title=activity.title,
        place_text=activity.place_text,
        responsible_text=activity.responsible_text,
        notes=activity.notes or (),
        kind=activity.kind,
        places=places,
    )


def reindex(activity_model: type[Activity], place_model: type[models.Model]) -> None:
    """Write the search column of every activity again, a thousand at a time (migrations call
    it with their historical models when what the column holds changes)."""
    places: dict[int, list[str]] = {}
    for activity_id, city, region in place_model.objects.filter(place__isnull=False).values_list(
        "activity_id", "place__city", "place__region"
    ):
        places.setdefault(activity_id, []).extend(filter(None, (city, region)))
    batch = []
    for activity in activity_model.objects.all().iterator(chunk_size=1000):
        activity.search_lemmas = _lemmas_of(activity, places.get(activity.pk, ()))
        batch.append(activity)
        if len(batch) == 1000:
            activity_model.objects.bulk_update(batch, ["search_lemmas"])
            batch = []
    activity_model.objects.bulk_update(batch, ["search_lemmas"])


def matches(alternatives: Iterable[str], *, in_title: bool = False) -> Q:
    """Activities found by one query word, given the lemmas it may have (any of them will do);
    with `in_title`, only those whose title has it."""
    mark = TITLE_MARK if in_title else ""
    condition = Q()
    for lemma in sorted(alternatives):
        condition |= Q(search_lemmas__contains=f" {mark}{lemma} ")
    return condition


@dataclass(frozen=True)
class Query:
    """A search query read: its text and, per meaningful word, the lemmas it may have."""

    text: str
    words: tuple[frozenset[str], ...]

    @property
    def all_lemmas(self) -> frozenset[str]:
        return frozenset().union(*self.words)

    def found_in(self, found: set[str] | frozenset[str]) -> bool:
        """Whether every query word is among these lemmas (AND)."""
        return all(word & found for word in self.words)


def read_query(text: str) -> Query:
    """The query's meaningful words ("форумы в Перми" -> {форум}, {пермь}), duplicates and
    words without a meaning of their own ("в", "и") left out."""
    text = " ".join(text[:MAX_QUERY].split())
    words: list[frozenset[str]] = []
    for match in tokens(text):
        alternatives = query_lemmas(match.group())
        if alternatives and alternatives not in words:
            words.append(alternatives)
    return Query(text, tuple(words[:MAX_WORDS]))


@functools.lru_cache(maxsize=4096)
def query_lemmas(word: str) -> frozenset[str]:
    """The lemmas a query word may have. A word in Latin letters is also read back into
    Russian ("Moskva" -> "москва"), keeping the readings the dictionary knows; it matches the
    Latin spellings in the index too ("perm")."""
    found = word_lemmas(word)
    if is_latin(word):
        russian = [form for form in cyrillic_forms(word) if is_dictionary_word(form)]
        found = found.union(*(word_lemmas(form) for form in russian))
    return found


def matching_all(activities: QuerySet[Activity], query: Query) -> QuerySet[Activity]:
    """The activities holding every word of the query, in any of its forms."""
    for alternatives in query.words:
        activities = activities.filter(matches(alternatives))
    return activities
