"""Scoring the plan reader on the corpus of real published plans (tests/data/corpus, issue 12).

Each fixture is a pair: `NN-slug.txt`, a real plan as tab-separated text, and
`NN-slug.expected.json`, its reading written by hand (see tests/data/corpus/SOURCES.md). The
plan is read with `read_plan_file`; its activities are aligned to the expected ones in order
(a monotonic alignment on the difflib similarity of normalised titles), and every expected activity
counts once in each field:

- `title`: the same text after normalisation (case, quotes, dashes, spaces, end punctuation);
- `when`: the same first and last day and the same start and end times of day;
- `cities`: the same settlements, as a multiset, compared case-blind;
- `responsible`: the same parties in the same order, each compared after normalisation.

An expected activity that no read activity aligns to is wrong in every field; so is each one of
a document the reader refuses (PlanReadError). Each document also counts once for its `year`.
Read activities aligned to nothing are reported as `extra`, outside the field scores.

The seed (examples/plan-2024.txt against tests/data/plan-2024.expected.json) is scored the same
way, so the corpus score can be read next to it.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import Any

from civicplan.plandoc import PlanReadError, read_plan_file

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "corpus"
# Real plans collected after the reader's last tuning and never tuned against: what `make
# bench` measures "plans it has not seen" by; the tests assert the target on CORPUS.
HELD_OUT = ROOT / "tests" / "data" / "corpus-held-out"
SEED = ROOT / "examples" / "plan-2024.txt"
SEED_EXPECTED = ROOT / "tests" / "data" / "plan-2024.expected.json"

FIELDS = ("title", "when", "cities", "responsible")
TARGET = 0.95
# Two titles this similar (difflib ratio of their normal forms) may be the same activity.
MATCH_RATIO = 0.6

_QUOTES = re.compile(r"[«»“”„‟\"'`‘’‚‹›]")
_DASHES = re.compile(r"[‐‑‒–—―−-]")
_SPACES = re.compile(r"\s+")
_AROUND_MARKS = re.compile(r"\s*([\"-])\s*")
_BETWEEN_INITIALS = re.compile(r"(?<=\b\w\.)\s+(?=\w\.)")
_END_PUNCTUATION = " \t.,;:!?-"


def normal_text(text: str | None) -> str:
    """Text as compared: case-blind, one kind of quote and dash, single spaces, no punctuation
    at either end."""
    text = (text or "").casefold().replace("ё", "е")
    text = _QUOTES.sub('"', text)
    text = _DASHES.sub("-", text)
    text = _SPACES.sub(" ", text)
    text = _AROUND_MARKS.sub(r"\1", text)  # «За БДД» / « За БДД», "Выставка - досье" / "-"
    text = _BETWEEN_INITIALS.sub("", text)  # "А. В." / "А.В."
    return text.strip(_END_PUNCTUATION)


@dataclass(frozen=True)
class Reading:
    """One activity reduced to the scored fields; `responsible` holds, for each party, every
    spelling that counts as right (the reader's name and the plan's own spelling)."""

    title: str
    when: tuple[str | None, str | None, str | None, str | None]
    cities: tuple[str, ...]
    responsible: tuple[tuple[str, ...], ...]


@dataclass
class Miss:
    field: str
    title: str  # the expected activity's title
    expected: Any
    read: Any  # None when no read activity aligned


@dataclass
class DocumentScore:
    name: str
    source: str
    expected_activities: int
    read_activities: int = 0
    refused: str | None = None  # the reader's message when it refused the document
    year_expected: int | None = None
    year_read: int | None = None
    fields: dict[str, list[int]] = field(default_factory=lambda: {f: [0, 0] for f in FIELDS})
    unaligned: int = 0  # expected activities no read activity aligned to
    extra: int = 0  # read activities aligned to no expected one
    misses: list[Miss] = field(default_factory=list)

    @property
    def year_right(self) -> bool:
        return self.refused is None and self.year_read == self.year_expected

    def ratio(self, name: str) -> float:
        right, total = self.fields[name]
        return right / total if total else 1.0


@dataclass
class CorpusScore:
    documents: list[DocumentScore]

    def totals(self, name: str) -> tuple[int, int]:
        if name == "year":
            return sum(d.year_right for d in self.documents), len(self.documents)
        return (
            sum(d.fields[name][0] for d in self.documents),
            sum(d.fields[name][1] for d in self.documents),
        )

    def ratio(self, name: str) -> float:
        right, total = self.totals(name)
        return right / total if total else 1.0

    @property
    def refused(self) -> list[DocumentScore]:
        return [d for d in self.documents if d.refused is not None]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _hhmm(value: time | str | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)[:5]


def _expected_reading(activity: dict[str, Any]) -> Reading:
    when = activity.get("when") or {}
    return Reading(
        title=normal_text(activity["title"]),
        when=(when.get("start"), when.get("end"), when.get("start_time"), when.get("end_time")),
        cities=tuple(normal_text(city) for city in activity.get("cities", [])),
        responsible=tuple((normal_text(name),) for name in activity.get("responsible", [])),
    )


def _read_reading(activity: Any) -> Reading:
    when = activity.when
    return Reading(
        title=normal_text(activity.title),
        when=(
            _iso(when.start),
            _iso(when.end),
            _hhmm(getattr(when, "start_time", None)),
            _hhmm(getattr(when, "end_time", None)),
        ),
        cities=tuple(normal_text(city.name) for city in activity.place.cities),
        responsible=tuple(
            tuple(
                normal_text(spelling)
                for spelling in (party.name, getattr(party, "written_as", None))
                if spelling
            )
            for party in activity.responsible
        ),
    )


def align(expected: list[str], read: list[str]) -> list[int | None]:
    """For each expected title, the index of the read title aligned to it, or None.

    A monotonic alignment (both lists kept in order) of the pairs whose difflib ratio reaches
    MATCH_RATIO, the one with the highest sum of ratios: plans repeat titles that differ in a
    word ("Всемирный день почки", "Всемирный день зрения"), so taking the first similar title
    ahead would pair a missing activity with the next one and shift every pair after it.
    """
    ratios = [
        [difflib.SequenceMatcher(None, want, got, autojunk=False).ratio() for got in read]
        for want in expected
    ]
    rows, columns = len(expected), len(read)
    # best[i][j]: the highest sum for expected[i:] and read[j:]
    best = [[0.0] * (columns + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(columns - 1, -1, -1):
            skip = max(best[i + 1][j], best[i][j + 1])
            ratio = ratios[i][j]
            pair = ratio + best[i + 1][j + 1] if ratio >= MATCH_RATIO else -1.0
            best[i][j] = max(skip, pair)
    aligned: list[int | None] = [None] * rows
    i = j = 0
    while i < rows and j < columns:
        ratio = ratios[i][j]
        if ratio >= MATCH_RATIO and best[i][j] == ratio + best[i + 1][j + 1]:
            aligned[i] = j
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return aligned


def _responsible_right(expected: tuple[tuple[str, ...], ...], read: tuple[tuple[str, ...], ...]):
    return len(expected) == len(read) and all(
        want[0] in spellings for want, spellings in zip(expected, read, strict=True)
    )


def _field_right(name: str, expected: Reading, read: Reading) -> bool:
    if name == "cities":
        return Counter(expected.cities) == Counter(read.cities)
    if name == "responsible":
        return _responsible_right(expected.responsible, read.responsible)
    return getattr(expected, name) == getattr(read, name)


def score_document(
    name: str, path: Path, source: str, year: int | None, activities: list[dict[str, Any]]
) -> DocumentScore:
    """Read `path` and score it against its expected `year` and `activities`."""
    score = DocumentScore(name, source, len(activities), year_expected=year)
    wanted = [_expected_reading(activity) for activity in activities]
    try:
        plan = read_plan_file(path)
    except PlanReadError as error:
        score.refused = str(error)
        got: list[Reading] = []
    except Exception as error:  # a crash is scored as a refusal, with its message
        score.refused = f"{type(error).__name__}: {error}"
        got = []
    else:
        score.year_read = plan.year
        got = [_read_reading(activity) for activity in plan.activities]
    score.read_activities = len(got)
    aligned = align([w.title for w in wanted], [g.title for g in got])
    for expected, index, original in zip(wanted, aligned, activities, strict=True):
        read = got[index] if index is not None else None
        score.unaligned += read is None
        for name_ in FIELDS:
            score.fields[name_][1] += 1
            if read is not None and _field_right(name_, expected, read):
                score.fields[name_][0] += 1
            else:
                score.misses.append(
                    Miss(name_, original["title"], getattr(expected, name_), _shown(read, name_))
                )
    score.extra = len(got) - sum(index is not None for index in aligned)
    return score


def _shown(read: Reading | None, name: str) -> Any:
    if read is None:
        return None
    if name == "responsible":
        return tuple(spellings[0] if spellings else "" for spellings in read.responsible)
    return getattr(read, name)


def corpus_pairs(directory: Path = CORPUS) -> list[tuple[Path, Path]]:
    """Every fixture of the corpus: its text and its expected reading, in name order."""
    pairs = []
    for expected in sorted(directory.glob("*.expected.json")):
        text = expected.with_name(expected.name.removesuffix(".expected.json") + ".txt")
        pairs.append((text, expected))
    return pairs


def score_corpus(directory: Path = CORPUS) -> CorpusScore:
    documents = []
    for text, expected_path in corpus_pairs(directory):
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        name = text.name.removesuffix(".txt")
        documents.append(
            score_document(name, text, expected["source"], expected["year"], expected["activities"])
        )
    return CorpusScore(documents)


def seed_activities(expected_path: Path = SEED_EXPECTED) -> tuple[int | None, list[dict]]:
    """The seed's expected plan (civicplan.plan/1 JSON) in the corpus's shape."""
    plan = json.loads(expected_path.read_text(encoding="utf-8"))
    activities = []
    for activity in plan["activities"]:
        when = activity["when"]
        activities.append(
            {
                "title": activity["title"],
                "when": {
                    "start": when.get("start"),
                    "end": when.get("end"),
                    "start_time": when.get("start_time"),
                    "end_time": when.get("end_time"),
                },
                "cities": [city["name"] for city in activity["place"]["cities"]],
                "responsible": [party["name"] for party in activity["responsible"]],
            }
        )
    return plan["plan"]["year"], activities


def score_seed(seed: Path = SEED, expected_path: Path = SEED_EXPECTED) -> CorpusScore:
    year, activities = seed_activities(expected_path)
    return CorpusScore([score_document("seed", seed, "examples/plan-2024.txt", year, activities)])
