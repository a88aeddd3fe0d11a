"""Which activity of the plan a letter reports on: a guess for staff to confirm, with its reason.

A post-release rarely names its activity the way the plan does. Three kinds of evidence are
weighed, each explainable in one phrase:

- words: the lemmas of the letter (pymorphy3, as the search index has them) that are in an
  activity's title, each weighted by how rare it is among the candidates' titles, so that
  "форум" or "Пермь" counts and "здоровый" or "город", in every title, hardly does;
- the city: a city of the activity's places named in the letter (in any case: "в Перми");
- the date: a date in the letter ("15 мая 2024", "15.05.2024") within the activity's time frame
  (read by civicplan.timeframes), worth more for an activity of a few days than of a year.

Candidates are the activities of approved plans and of this year's plan, whatever its state.
The best-scoring one is the guess, ties going to the activity nearest in time to the letter.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _

from civicplan.plandoc.morphology import lemmas
from civicplan.plans.models import Activity, ActivityPlace, Plan
from civicplan.plans.searchindex import TITLE_MARK
from civicplan.timeframes import parse as parse_timeframe

_MONTHS = r"(?:январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр)[а-я]*"
_DATE_PHRASE = re.compile(
    rf"\b\d{{1,2}}(?:\s*[-–—]\s*\d{{1,2}})?\s+{_MONTHS}(?:\s+\d{{4}})?"
    r"|\b\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})\b"
    rf"|\b{_MONTHS}\s+\d{{4}}",
    re.IGNORECASE,
)
_MAX_DATES = 20
_MAX_TEXT = 20_000
# Weights: a city as much as a rare title word; a date within a short activity a little more.
_CITY = 2.0
_DATE_SHORT, _DATE_MONTH, _DATE_LONG = 3.0, 2.0, 0.5
# Words in most titles ("здоровый", "город") add a little to a score but are no evidence alone.
_TELLING = 1.0
# A guess needs two telling title words, or one with the city or the date, or the city and the
# date together: one word alone ("хорошо" -> "хороший") is chance.
_ENOUGH_WORDS = 3.0


@dataclass(frozen=True)
class Guess:
    activity: Activity
    score: float
    reason: str


@dataclass
class _Candidate:
    activity: Activity
    title_lemmas: frozenset[str]
    cities: list[tuple[str, frozenset[str]]]  # each city's name and its lemmas


def guess_activity(subject: str, text: str, *, received: date) -> Guess | None:
    """The activity the letter most likely reports on, or None when nothing points to one."""
    letter = f"{subject}\n{text[:_MAX_TEXT]}"
    found = lemmas(letter)
    loaded = _candidates(received.year)
    candidates, weights = loaded.candidates, loaded.weights
    if not candidates or not found:
        return None
    dates = _dates(letter, received.year)
    best: tuple[float, int, Guess] | None = None
    for candidate in candidates:
        words = sorted(candidate.title_lemmas & found, key=lambda word: (-weights[word], word))
        word_score = sum(weights[word] for word in words)
        city = next((name for name, words in candidate.cities if words <= found), None)
        when = next((d for d in dates if _overlaps(candidate.activity, d)), None)
        date_score = _date_weight(candidate.activity) if when else 0.0
        telling = [word for word in words if weights[word] >= _TELLING]
        if not (
            (len(telling) >= 2 and word_score >= _ENOUGH_WORDS)
            or (telling and (city or when))
            or (city and when)
        ):
            continue
        score = word_score + (_CITY if city else 0.0) + date_score
        reason = _reason(telling, city, when)
        distance = _distance(candidate.activity, received)
        if best is None or (score, -distance) > (best[0], -best[1]):
            best = (score, distance, Guess(candidate.activity, score, reason))
    return best[2] if best else None


@dataclass(frozen=True)
class _Candidates:
    candidates: list[_Candidate]
    weights: dict[str, float]


def _candidate_filter(year: int) -> Q:
    return Q(plan__status=Plan.Status.APPROVED) | Q(plan__year=year)


def _candidates(year: int) -> _Candidates:
    """The candidates and their title words' weights, read again only when the plans changed
    (one small query to tell: which plans, how many activities, the last change)."""
    activities = Activity.objects.filter(_candidate_filter(year))
    version = activities.aggregate(count=Count("id"), changed=Max("modified"))
    plans = tuple(
        Plan.objects.filter(Q(status=Plan.Status.APPROVED) | Q(year=year))
        .order_by("pk")
        .values_list("pk", "status")
    )
    return _load_candidates(year, version["count"], version["changed"], plans)


@functools.lru_cache(maxsize=4)
def _load_candidates(year: int, *_version: object) -> _Candidates:
    """Activities of approved plans and of this year's plan, with their cities (two queries)."""
    activities = list(
        Activity.objects.filter(_candidate_filter(year))
        .exclude(status=Activity.Status.CANCELLED)
        .only("id", "title", "start", "end", "search_lemmas", "plan_id", "position")
    )
    cities: dict[int, list[tuple[str, frozenset[str]]]] = {}
    places = ActivityPlace.objects.filter(
        activity__in=[a.pk for a in activities], place__isnull=False
    ).values_list("activity_id", "place__city")
    for activity_id, city in places:
        if city and lemmas(city):
            cities.setdefault(activity_id, []).append((city, frozenset(lemmas(city))))
    candidates = [
        _Candidate(activity, _title_lemmas(activity), cities.get(activity.pk, []))
        for activity in activities
    ]
    return _Candidates(candidates, _rarity(candidates))


def _title_lemmas(activity: Activity) -> frozenset[str]:
    """The title's lemmas, as the search index keeps them ("=форум"); short ones left out."""
    if activity.search_lemmas:
        marked = (w[1:] for w in activity.search_lemmas.split() if w.startswith(TITLE_MARK))
        return frozenset(word for word in marked if len(word) > 2)
    return frozenset(word for word in lemmas(activity.title) if len(word) > 2)


def _rarity(candidates: list[_Candidate]) -> dict[str, float]:
    """Inverse document frequency of each title lemma among the candidates."""
    counts = Counter(word for c in candidates for word in c.title_lemmas)
    total = len(candidates)
    return {word: math.log((total + 1) / count) for word, count in counts.items()}


def _dates(letter: str, year: int) -> list[tuple[str, date, date]]:
    """The dates written in the letter: (as written, first day, last day)."""
    found = []
    for match in _DATE_PHRASE.finditer(letter):
        timeframe = parse_timeframe(match.group(), default_year=year)
        if timeframe.start and timeframe.end:
            found.append((match.group(), timeframe.start, timeframe.end))
        if len(found) >= _MAX_DATES:
            break
    return found


def _overlaps(activity: Activity, written: tuple[str, date, date]) -> bool:
    if activity.start is None or activity.end is None:
        return False
    _text, start, end = written
    return start <= activity.end and end >= activity.start


def _date_weight(activity: Activity) -> float:
    days = (activity.end - activity.start).days
    if days <= 7:
        return _DATE_SHORT
    return _DATE_MONTH if days <= 62 else _DATE_LONG


def _distance(activity: Activity, received: date) -> int:
    if activity.start is None or activity.end is None:
        return 10**6
    if activity.start <= received <= activity.end:
        return 0
    return min(abs((activity.start - received).days), abs((activity.end - received).days))


def _reason(words: list[str], city: str | None, when: tuple[str, date, date] | None) -> str:
    parts = []
    if words:
        parts.append(_("совпали слова: %(words)s") % {"words": ", ".join(words[:6])})
    if city:
        parts.append(_("город: %(city)s") % {"city": city})
    if when:
        parts.append(_("дата: %(date)s") % {"date": when[0]})
    return "; ".join(parts)
