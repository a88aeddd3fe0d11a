"""The search index of an activity: the lemmas of its texts in `Activity.search_lemmas`, their
Latin spellings in `Activity.search_latin`.

Search in Russian must find "Администрация г. Перми" for "Пермь" and "форум" for "форумы". The
words of an activity's title, place, responsible parties, notes, kind (in Russian and English)
and its cities' and regions' names are put in their dictionary forms (pymorphy3, through
`civicplan.plandoc.morphology`) and stored in one text column as

    " =пермь =форум ... администрация г пермь форум ... "

sorted, space-separated, with a space at each end: a lemma is looked up whole with
LIKE '% lemma %', the same on SQLite and PostgreSQL; the title's lemmas are there a second time
with a "=" in front, so that a search can rank title matches first in SQL. The Latin spellings
of each Russian lemma (`civicplan.plandoc.translit`: ICAO, GOST 7.79, Wikipedia, BGN/PCGN) stand
in a second column of the same shape, `search_latin` (" =perm =permi perm permi ... "), so that
the English pages find "Пермь" for "Perm" and "Череповец" for "Cherepovets"; a word typed in
Russian letters scans only the first column, a third the size of both. The columns are written
wherever activities are written, by `plans.actions`; migrations 0003, 0004 and 0007 filled them
for the rows that existed.

A query is read here too (`read_query`), so that the site's search, the calendar's `q` and the
feed's `q` find the same activities for the same words.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.db import models
from django.db.models import Q, QuerySet
from django.utils import translation

from civicplan.directory.models import Place
from civicplan.plandoc.morphology import (
    is_dictionary_word,
    lemmas,
    text_lemmas,
    tokens,
    word_lemmas,
)
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


class SearchColumns(NamedTuple):
    """The values of an activity's two search columns."""

    lemmas: str
    latin: str


def search_columns(
    *,
    title: str,
    place_text: str = "",
    responsible_text: str = "",
    notes: Iterable[str] = (),
    kind: str = "",
    places: Iterable[str | None] = (),
) -> SearchColumns:
    """The values of `Activity.search_lemmas` and `search_latin` for these texts; `places` are
    the names of the activity's cities and regions as the directory has them (in the
    nominative). The Latin spellings are taken from the set of lemmas, not from its column
    read back (an import writes thousands of rows: splitting each column again and hashing
    its words anew cost as much as spelling them)."""
    in_title = text_lemmas(title)
    texts = (place_text, responsible_text, *notes, kind_words().get(kind, ""), *places)
    found = in_title.union(_marked(in_title), *(text_lemmas(str(text)) for text in texts if text))
    latin = set().union(*map(_word_latin, found))
    return SearchColumns(_column(found), _column(latin))


@functools.lru_cache(maxsize=4096)
def _marked(in_title: frozenset[str]) -> frozenset[str]:
    """A title's lemmas marked as the title's (titles repeat from row to row)."""
    return frozenset(TITLE_MARK + lemma for lemma in in_title)


@functools.lru_cache(maxsize=65536)
def _word_latin(word: str) -> tuple[str, ...]:
    """One word of a `search_lemmas` value in Latin letters, its mark kept, or the word itself
    when it is in Latin letters already ("=пермь" -> "=perm"...; "covid"): a word typed in
    Latin letters is sought in `search_latin` (words repeat from activity to activity: each is
    spelt once)."""
    mark = TITLE_MARK if word.startswith(TITLE_MARK) else ""
    lemma = word.removeprefix(mark)
    spellings = {lemma} if is_latin(lemma) else latin_forms(lemma)
    return tuple(mark + spelling for spelling in spellings)


def _column(words: set[str] | frozenset[str]) -> str:
    """Words sorted, space-separated, a space at each end: each is looked up whole."""
    return f" {' '.join(sorted(words))} " if words else ""


def searchable(text: str) -> set[str]:
    """What a text is found by: the lemmas of its words and their Latin spellings."""
    return with_latin(lemmas(text))


def with_latin(found: set[str] | frozenset[str]) -> set[str]:
    """Lemmas and the Latin spellings of the Russian ones ("пермь" -> "perm")."""
    return set(found).union(*(latin_forms(lemma) for lemma in found))


def index_activity(activity: Activity) -> str:
    """Compute and set `activity.search_lemmas` and `search_latin` from the activity and its
    places (one query for the places of a saved activity); the lemmas are returned."""
    places: list[str] = []
    if activity.pk:
        for city, region in Place.objects.filter(activityplace__activity=activity).values_list(
            "city", "region"
        ):
            places.extend((city, region))
    activity.search_lemmas, activity.search_latin = _columns_of(activity, places)
    return activity.search_lemmas


def _columns_of(activity: Activity, places: Iterable[str]) -> SearchColumns:
    """The search columns of an activity (a model instance, current or historical)."""
    return search_columns(
        title=activity.title,
        place_text=activity.place_text,
        responsible_text=activity.responsible_text,
        notes=activity.notes or (),
        kind=activity.kind,
        places=places,
    )


def reindex(activity_model: type[Activity], place_model: type[models.Model]) -> None:
    """Write the search columns of every activity again, a thousand at a time (migrations call
    it with their historical models when what the columns hold changes: it writes the columns
    the model has at that point)."""
    columns = [
        field.name
        for field in activity_model._meta.get_fields()
        if field.name in ("search_lemmas", "search_latin")
    ]
    places: dict[int, list[str]] = {}
    for activity_id, city, region in place_model.objects.filter(place__isnull=False).values_list(
        "activity_id", "place__city", "place__region"
    ):
        places.setdefault(activity_id, []).extend(filter(None, (city, region)))
    batch = []
    for activity in activity_model.objects.all().iterator(chunk_size=1000):
        activity.search_lemmas, activity.search_latin = _columns_of(
            activity, places.get(activity.pk, ())
        )
        batch.append(activity)
        if len(batch) == 1000:
            activity_model.objects.bulk_update(batch, columns)
            batch = []
    activity_model.objects.bulk_update(batch, columns)


def matches(alternatives: Iterable[str], *, in_title: bool = False) -> Q:
    """Activities found by one query word, given the lemmas it may have (any of them will do);
    with `in_title`, only those whose title has it. A lemma in Latin letters is sought among the
    Latin spellings, the others among the lemmas."""
    mark = TITLE_MARK if in_title else ""
    condition = Q()
    for lemma in sorted(alternatives):
        if is_latin(lemma):
            condition |= Q(search_latin__contains=f" {mark}{lemma} ")
        else:
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
            if len(words) == MAX_WORDS:
                break
    return Query(text, tuple(words))


@functools.lru_cache(maxsize=4096)
def query_lemmas(word: str) -> frozenset[str]:
    """The lemmas a query word may have. A word in Latin letters matches the Latin spellings in
    the index ("perm"), and is read back into Russian for the forms those miss ("Permi" ->
    "пермь"), keeping the readings the dictionary knows; a reading one of whose spellings is
    sought already would find nothing more, and is left out ("Moskva": "moskva" only)."""
    found = word_lemmas(word)
    if not is_latin(word):
        return found
    russian = [form for form in cyrillic_forms(word) if is_dictionary_word(form)]
    readings = frozenset().union(*(word_lemmas(form) for form in russian))
    return found | {lemma for lemma in readings if not latin_forms(lemma) & found}


def matching_all(activities: QuerySet[Activity], query: Query) -> QuerySet[Activity]:
    """The activities holding every word of the query, in any of its forms."""
    for alternatives in query.words:
        activities = activities.filter(matches(alternatives))
    return activities
