"""What each column of a plan's table holds, found by meaning: from its header and its cells.

Russian plans name their columns in many ways («Сроки», «Дата и время проведения», «Срок
исполнения», «Наименование мероприятия (форма проведения)», «Ответственные исполнители»,
«Ф.И.О., должность, телефон»…) and some have no header row at all. Each column gets a score for
every role from two sources, added up:

- its header: the words of the header, the head word (the first that means something) counting
  most, words in brackets (explanations) least; «начала»/«окончания» (or «с»/«по» under a merged
  «Сроки») make a date column the start or the end;
- its cells: how many read as time frames, times of day, row numbers, people's names and
  organisations, places, marks of completion, groups of participants; the activity is the
  column of longest sentences.

Roles are then given greedily, best score first, each at most once except «responsible» (an
executor and a co-executor column both are); a column of no known role is "other" and its cells
are kept as the activity's extra fields under the column's header. The header row itself is the
row whose cells name at least two roles (`header_score`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean
from types import MappingProxyType

from civicplan import timeframes
from civicplan.i18n import gettext_noop

ROLES = (
    "number",
    "when",
    "start",
    "end",
    "time",
    "title",
    "place",
    "responsible",
    "place_people",
    "participants",
    "result",
    "done",
    "other",
    "skip",
)
# The roles whose cells become the activity's extra fields, with the column's header as label.
EXTRA_ROLES = ("participants", "result", "done", "other")
ROLE_NAMES = {
    "number": gettext_noop("номер"),
    "when": gettext_noop("сроки"),
    "start": gettext_noop("дата начала"),
    "end": gettext_noop("дата окончания"),
    "time": gettext_noop("время"),
    "title": gettext_noop("мероприятие"),
    "place": gettext_noop("место проведения"),
    "responsible": gettext_noop("ответственный"),
    "place_people": gettext_noop("место и ответственные"),
    "participants": gettext_noop("участники"),
    "result": gettext_noop("ожидаемый результат"),
    "done": gettext_noop("отметка о выполнении"),
    "other": gettext_noop("другое (доп. поле)"),
    "skip": gettext_noop("не загружать"),
}
_UNIQUE = frozenset(ROLES) - {"responsible", "other", "skip"}

# Header words: (role, weight) by the start of a word. Checked longest first.
_HEADER_WORDS: dict[str, tuple[tuple[str, float], ...]] = {
    "№": (("number", 1.0),),
    "п/п": (("number", 1.0),),
    "номер": (("number", 0.9),),
    "дат": (("when", 1.0),),
    "срок": (("when", 1.0),),
    "период": (("when", 0.9),),
    "когда": (("when", 1.0),),
    "месяц": (("when", 0.9),),
    "число": (("when", 0.6),),
    "дни": (("when", 0.6),),
    "день": (("when", 0.6),),
    "квартал": (("when", 0.8),),
    "график": (("when", 0.5),),
    "время": (("time", 0.7), ("when", 0.6)),
    "час": (("time", 0.9),),
    "мероприят": (("title", 1.0),),
    "наименован": (("title", 1.0),),
    "содержан": (("title", 1.0),),
    "назван": (("title", 1.0),),
    "тема": (("title", 0.9),),
    "темы": (("title", 0.9),),
    "тематик": (("title", 0.9),),
    "событ": (("title", 0.9),),
    "акци": (("title", 0.6),),
    "описан": (("title", 0.7),),
    "вид": (("title", 0.6),),
    "форма": (("title", 0.5),),
    "формы": (("title", 0.5),),
    "работ": (("title", 0.5),),
    "программ": (("title", 0.5),),
    "направлен": (("title", 0.4),),
    "место": (("place", 1.0),),
    "места": (("place", 1.0),),
    "адрес": (("place", 1.0),),
    "площадк": (("place", 1.0),),
    "где": (("place", 1.0),),
    "локац": (("place", 1.0),),
    "помещен": (("place", 0.7),),
    "учрежден": (("place", 0.7),),  # «Учреждение»: where, in a town's event plan
    "ответствен": (("responsible", 1.0),),
    "исполнител": (("responsible", 1.0),),
    "соисполнител": (("responsible", 1.0),),
    "совместно": (("responsible", 1.0),),  # «Совместно с организациями»: co-executors
    "организатор": (("responsible", 1.0),),
    "проводит": (("responsible", 0.8),),
    "контакт": (("responsible", 0.8),),
    "фио": (("responsible", 0.8),),
    "должност": (("responsible", 0.6),),
    "телефон": (("responsible", 0.5),),
    "координатор": (("responsible", 0.9),),
    "куратор": (("responsible", 0.9),),
    "руководител": (("responsible", 0.9),),
    "кто": (("responsible", 0.6),),
    "ведущ": (("responsible", 0.6),),
    "партнер": (("responsible", 0.7),),
    "участник": (("participants", 1.0),),
    "аудитори": (("participants", 0.8),),
    "категори": (("participants", 0.8),),
    "охват": (("participants", 0.9),),
    "целев": (("participants", 0.7),),
    "приглаш": (("participants", 0.8),),
    "контингент": (("participants", 1.0),),
    "групп": (("participants", 0.8),),  # «Группы», «Возрастная группа»: who of a kindergarten
    "класс": (("participants", 0.8),),  # «Классы»: who of a school
    "количеств": (("participants", 0.5),),
    "результат": (("result", 1.0),),
    "ожидаем": (("result", 0.8),),
    "итог": (("result", 0.8),),
    "показател": (("result", 0.8),),
    "эффект": (("result", 0.8),),
    "отметк": (("done", 1.0),),
    "выполнен": (("done", 1.0),),
    "исполнен": (("done", 1.0),),
    "статус": (("done", 0.8),),
    "примечан": (("other", 1.0),),
    "финансир": (("other", 1.0),),
    "источник": (("other", 0.8),),
    "бюджет": (("other", 0.8),),
    "стоимост": (("other", 0.8),),
    "no": (("number", 0.8),),
    "date": (("when", 1.0),),
    "dates": (("when", 1.0),),
    "when": (("when", 1.0),),
    "deadline": (("when", 1.0),),
    "period": (("when", 0.9),),
    "timeframe": (("when", 1.0),),
    "schedule": (("when", 0.6),),
    "time": (("time", 0.7), ("when", 0.6)),
    "activit": (("title", 1.0),),
    "event": (("title", 1.0),),
    "title": (("title", 1.0),),
    "name": (("title", 0.8),),
    "description": (("title", 0.8),),
    "venue": (("place", 1.0),),
    "place": (("place", 1.0),),
    "location": (("place", 1.0),),
    "where": (("place", 1.0),),
    "responsible": (("responsible", 1.0),),
    "organiser": (("responsible", 1.0),),
    "organizer": (("responsible", 1.0),),
    "owner": (("responsible", 0.8),),
    "partner": (("responsible", 0.7),),
    "participants": (("participants", 1.0),),
    "audience": (("participants", 1.0),),
    "result": (("result", 1.0),),
    "outcome": (("result", 1.0),),
    "status": (("done", 0.8),),
    "done": (("done", 1.0),),
    "note": (("other", 1.0),),
    "notes": (("other", 1.0),),
    "comment": (("other", 1.0),),
}
_EXACT = frozenset({"где", "кто", "вид", "дни", "день", "no", "when", "where", "done", "час"})
_STARTS = ("начал", "start", "from")
_ENDS = ("окончан", "завершен", "конец", "end", "finish", "until")
_WORD = re.compile(r"№|п/п|ф\.?\s?и\.?\s?о\.?|[a-zа-я]+")
_BRACKETS = re.compile(r"\([^)]*\)?")
_SHORTEST_ABBREVIATION = 3
ABBREVIATED_WEIGHT = 0.9
_MAX_HEADER = 70  # a header is a few words (explanations in brackets aside); longer is a row's
_SMALL_WORDS = frozenset(
    {"и", "в", "во", "по", "за", "о", "об", "для", "с", "со", "на", "к", "от", "до", "или", "а"}
)
_POSITION_WEIGHTS = (1.0, 0.6, 0.4, 0.3)

NUMBER = re.compile(r"\d{1,3}(?:\.\d{1,3})*\.?")
_TIME_ONLY = re.compile(
    r"(?:с|в|начало\s+в)?\s*(?:[01]?\d|2[0-3])[.:\-]\d\d(?:\s*(?:ч\.?|час\w*))?"
    r"(?:\s*(?:[-–—]|до)\s*(?:[01]?\d|2[0-3])[.:\-]\d\d(?:\s*(?:ч\.?|час\w*))?)?",
    re.IGNORECASE,
)
_PERSON = re.compile(
    r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?\s+[А-ЯЁ]\.\s?[А-ЯЁ]\.|[А-ЯЁ]\.\s?[А-ЯЁ]\.\s?[А-ЯЁ][а-яё]+"
    r"|[А-ЯЁ][а-яё]+\s+[А-ЯЁ][а-яё]+(?:вна|вич|чна|ична)\b"
)
_WHO = re.compile(
    r"директор|заместител|\bзам\.|руководител|специалист|педагог|учител|воспитател|классн"
    r"|библиотекар|заведующ|начальник|председател|методист|инспектор|\bглава\b|администраци"
    r"|управлени|\bотдел|комитет|министерств|департамент|\bМБУ|\bМАУ|\bМБОУ|\bГБУ|\bМКУ"
    r"|ассоциаци|совет\b|дирекци|центр\b",
    re.IGNORECASE,
)
# «ДЗ, ОЦМП», «ИГМУ, ИЭМ, ДЗ», «ОВФД "Здоровье", ДЗ»: organisations named by their
# abbreviations only, the way a city's programme names its executors
_ABBREVIATIONS = re.compile(
    r"(?:[А-ЯЁ]{2,8}(?:\s*[«\"][^»\"]{1,40}[»\"])?)(?:\s*[,;]\s*[А-ЯЁ]{2,8}(?:\s*[«\"][^»\"]{1,40}[»\"])?)*"
)
_PLACE = re.compile(
    r"\bг\.\s?[А-ЯЁ]|\bгор\.|\bс\.\s?[А-ЯЁ]|\bп\.\s?[А-ЯЁ]|\bпос\.|\bул\.|\bпр\.|просп|\bпл\."
    r"|\bзал\b|\bзале\b|\bкаб\.|кабинет|онлайн|online|дистанцион|zoom|платформ|парк|стадион"
    r"|актов|музе[йе]|площад|сквер|\bДК\b|дом культуры|территори",
    re.IGNORECASE,
)
_DONE = re.compile(
    r"выполнено|проведено|исполнено|\+|да|нет|отменено|перенесено|не выполнено", re.IGNORECASE
)
_PARTICIPANTS = re.compile(
    r"учащи|обучающ|\bдет[иья]|жител|родител|студент|школьник|молод[её]ж|пенсионер|ветеран"
    r"|\d+\s*[-–]\s*\d+\s*(?:класс|кл\.?)|\bкласс|все желающие|населени|волонт[её]р|граждан"
    r"|воспитанник|подрост|семь[ия]",
    re.IGNORECASE,
)
_SAMPLE = 40  # cells of a column looked at
_BROKEN_WORD = re.compile(r"([а-я])-\s+([а-я])")
# A header that names a role outright (1) outweighs what the cells suggest (at most 0.6): cells
# decide between the roles a vague header allows, and alone where there is no header.
CELLS_WEIGHT = 0.6
MIN_SCORE = 0.3
_DATED = re.compile(r"\d")


_MARKUP = re.compile(r"</?[a-z]+>|\*\*")


def normal(text: str) -> str:
    """A header as compared: lower case, ё as е, single spaces, no markup or end punctuation,
    and a word hyphenated across lines in a narrow column made whole («Ответствен- ный»)."""
    text = _MARKUP.sub(" ", text.lower()).replace("ё", "е").replace("\xad", "")
    text = _BROKEN_WORD.sub(r"\1\2", text)
    return " ".join(text.split()).strip(" \t*_:.,;")


def header_scores(text: str) -> Mapping[str, float]:
    """Each role's score from a header cell: the first word counts 1, the second 0.6, the third
    0.4, later ones 0.3 (small words not counted); words in brackets count a third as much."""
    return MappingProxyType(_header_scores(text))


@functools.lru_cache(maxsize=4096)
def _header_scores(text: str) -> dict[str, float]:
    """header_scores, kept (and only lent read-only): a table's short cells (months, towns) are
    scored again as each row is checked for a repeated header."""
    text = normal(text)
    scores: dict[str, float] = {}
    plain = _BRACKETS.sub(" ", text)
    if not text or len(plain) > _MAX_HEADER:
        return scores
    for words, factor in ((plain, 1.0), (" ".join(_BRACKETS.findall(text)), 0.3)):
        position = 0
        for word in _WORD.findall(words):
            if word in _SMALL_WORDS:
                continue
            weight = _POSITION_WEIGHTS[min(position, 3)] * factor
            position += 1
            for role, value in _meanings(word):
                scores[role] = scores.get(role, 0.0) + weight * value
    if "when" in scores or "time" in scores:
        words = _WORD.findall(plain)
        if any(word.startswith(_STARTS) for word in words):
            scores["start"] = scores.get("when", 0.0) + 0.5
        elif any(word.startswith(_ENDS) for word in words):
            scores["end"] = scores.get("when", 0.0) + 0.5
    return scores


def _meanings(word: str) -> tuple[tuple[str, float], ...]:
    if word.startswith("ф") and len(word) > 1 and word.replace(".", "").replace(" ", "") == "фио":
        return _HEADER_WORDS["фио"]
    if word in _HEADER_WORDS:
        return _HEADER_WORDS[word]
    for length in range(min(len(word), 12), 2, -1):
        stem = word[:length]
        if stem in _HEADER_WORDS and stem not in _EXACT:
            return _HEADER_WORDS[stem]
    return _abbreviated(word)


@functools.lru_cache(maxsize=1024)
def _abbreviated(word: str) -> tuple[tuple[str, float], ...]:
    """A header word cut short («ответст.», «отв.», «исполн.», «наим.»): the role of the header
    words it begins, when they all name one (a little weaker than those words in full)."""
    if len(word) < _SHORTEST_ABBREVIATION or word in _EXACT:
        return ()
    meant = [
        meanings[0]
        for stem, meanings in _HEADER_WORDS.items()
        if stem.startswith(word) and stem not in _EXACT
    ]
    if len({role for role, _weight in meant}) != 1:
        return ()
    return ((meant[0][0], ABBREVIATED_WEIGHT * max(weight for _role, weight in meant)),)


def header_score(cells: Sequence[str]) -> int:
    """How many different roles a row's cells name as headers do; a header names two or more
    (three when none of them is the activity and some cell names no role: the cells then tell
    the activity's column), most of its cells
    name one, and none of them is a date (a row of the plan that happens to use such words)."""
    named: set[str] = set()
    filled = 0
    weakly = True  # every cell names a role, if only weakly («Вид спорта»)
    for cell in cells:
        if not cell.strip():
            continue
        filled += 1
        scores = header_scores(cell)
        weakly = weakly and bool(scores)
        if scores:
            role, score = max(scores.items(), key=lambda item: item[1])
            if score >= 0.8:
                named.add(role)
    if len(named) < 2 or len(named) * 2 < min(filled, 8) or named <= {"number", "other"}:
        return 0
    if "title" not in named and len(named) < 3 and not weakly:
        return 0
    if any(_is_date_cell(cell) for cell in cells):
        return 0
    return len(named)


def content_scores(values: Sequence[str], longest: bool) -> dict[str, float]:
    """Each role's score from a column's cells (non-empty texts): the share that reads as it.
    `longest` says the column has the longest texts of the table."""
    sample = [value for value in values if value.strip()][:_SAMPLE]
    if not sample:
        return {}
    count = len(sample)

    def share(test) -> float:
        return sum(1 for value in sample if test(value)) / count

    words = fmean(len(value.split()) for value in sample)
    scores = {
        "number": share(NUMBER.fullmatch),
        "time": share(lambda value: _TIME_ONLY.fullmatch(value.strip()) is not None),
        "when": share(_reads_as_when),
        "responsible": share(_names_someone),
        "place": share(lambda value: _PLACE.search(value) is not None),
        "done": share(lambda value: _DONE.fullmatch(value.strip(" .")) is not None),
        "participants": share(lambda value: _PARTICIPANTS.search(value) is not None) * 0.8,
        "title": (0.4 if longest else 0.0) + (0.4 if words >= 4 else 0.2 if words >= 2 else 0.0),
    }
    if scores["time"] > 0.5:
        scores["when"] = min(scores["when"], 0.3)
    if scores["number"] > 0.5:
        scores["when"] = 0.0
    return scores


def _names_someone(value: str) -> bool:
    return bool(
        _PERSON.search(value)
        or _WHO.search(value)
        or _ABBREVIATIONS.fullmatch(value.strip(" .")) is not None
    )


def _is_date_cell(cell: str) -> bool:
    """A row cell that is a date, not a header that names a period («Наименование мероприятия
    на июнь 2015г.»: its words name a role outright)."""
    if not (_DATED.search(cell) and _reads_as_when(cell)):
        return False
    return max(header_scores(cell).values(), default=0.0) < 0.8


def _reads_as_when(value: str) -> bool:
    value = value.strip()
    if len(value) > 80 or NUMBER.fullmatch(value):
        return False
    frame = timeframes.parse(value, default_year=2000)
    if frame.start is not None and frame.warning is None:
        return True
    return date_and_rest(value) is not None


_SPLIT_WORDS = 8  # a time frame at the start or end of a cell is at most this many words
_OPEN_WORDS = frozenset({"по", "с", "со", "до", "в", "во", "на", "и", "к", "от"})


def date_and_rest(text: str) -> tuple[str, str] | None:
    """A cell that holds a time frame and something else («03 января ДК ст. Ассиновская»,
    «Дом культуры, 10–12 июня» — a «Срок и место проведения» column): the longest time frame
    at its start or end, and the rest; None when it has none."""
    words = text.split()
    if len(words) < 2:
        return None
    for count in range(min(len(words) - 1, _SPLIT_WORDS), 0, -1):
        for frame_words, rest_words in (
            (words[:count], words[count:]),
            (words[-count:], words[:-count]),
        ):
            candidate = " ".join(frame_words).strip(" ,;")
            rest = " ".join(rest_words).strip(" ,;-–—")
            if not rest or not any(ch.isalpha() for ch in rest) or NUMBER.fullmatch(candidate):
                continue
            if {frame_words[-1].lower().rstrip("."), frame_words[0].lower()} & _OPEN_WORDS:
                continue  # «7 июня По | согл.», «Июнь 2017 г. с. | Шестаково»: not on «по», «с.»
            frame = timeframes.parse(candidate, default_year=2000)
            if frame.start is not None and frame.warning is None:
                return candidate, rest
    return None


@dataclass(frozen=True, slots=True)
class ColumnSet:
    """A table's columns: each header as written, and each column's role."""

    headers: tuple[str, ...]
    roles: tuple[str, ...]

    @property
    def signature(self) -> tuple[str, ...]:
        """The header as compared when a mapping is remembered for the next file."""
        return tuple(normal(header) for header in self.headers)

    def columns(self, role: str) -> list[int]:
        return [index for index, given in enumerate(self.roles) if given == role]

    def used(self) -> list[int]:
        """The columns of the row's text: all but the row number's."""
        return [index for index, role in enumerate(self.roles) if role != "number"]

    def first(self) -> int:
        """The leftmost column that holds one of the row's own roles (not a number)."""
        return min(
            (index for index, role in enumerate(self.roles) if role not in ("number", "other")),
            default=0,
        )

    def label(self, column: int) -> str:
        header = self.headers[column].strip() if column < len(self.headers) else ""
        return header or ROLE_NAMES[self.roles[column]]


def assign_roles(headers: Sequence[str], cells: Sequence[Sequence[str]]) -> tuple[str, ...]:
    """Each column's role from its header (empty when the table has none) and its cells (the
    columns' texts under the header): best score first, each role once, except that a column
    whose header names it responsible joins the responsible columns."""
    width = max(len(headers), len(cells))
    lengths = [fmean([len(v) for v in column if v] or [0]) for column in cells]
    candidates, named = _candidates(headers, cells, width, lengths)
    roles = ["other"] * width
    taken: set[str] = set()
    for _score, negative, role in sorted(candidates, reverse=True):
        column = -negative
        if roles[column] != "other" or (role in taken and role in _UNIQUE):
            continue
        if role == "responsible" and "responsible" in taken and named.get(column) != role:
            continue
        roles[column] = role
        taken.add(role)
    return _completed(roles, lengths)


def _candidates(
    headers: Sequence[str], cells: Sequence[Sequence[str]], width: int, lengths: list[float]
) -> tuple[list[tuple[float, int, str]], dict[int, str]]:
    """(score, -column, role) of every role a column may have, and the role its header names
    outright, by column."""
    longest = max(range(len(lengths)), key=lengths.__getitem__) if lengths else -1
    candidates: list[tuple[float, int, str]] = []
    named: dict[int, str] = {}
    for column in range(width):
        by_header = header_scores(headers[column] if column < len(headers) else "")
        if by_header:
            role, score = max(by_header.items(), key=lambda item: item[1])
            if score >= 0.8:
                named[column] = role
        values = cells[column] if column < len(cells) else ()
        by_cells = content_scores(values, column == longest)
        for role in ROLES[:-2]:  # "other" and "skip" are what is left
            if role in ("start", "end"):  # only a header tells a start from an end
                score = by_header.get(role, 0.0)
                score += CELLS_WEIGHT * by_cells.get("when", 0.0) if score else 0.0
            elif role == "place_people":  # «Место проведения, ответственные»: a header only
                place, people = by_header.get("place", 0.0), by_header.get("responsible", 0.0)
                score = place + people + 0.5 if min(place, people) >= 0.4 else 0.0
            else:
                score = min(by_header.get(role, 0.0), 1.5) + CELLS_WEIGHT * by_cells.get(role, 0.0)
            if score >= MIN_SCORE:
                candidates.append((score, -column, role))
    return candidates, named


def _completed(roles: list[str], lengths: list[float]) -> tuple[str, ...]:
    """A plan always has its activity: the longest column left when no column was given it;
    a lone start date is the time frame."""
    if "title" not in roles:
        free = [index for index, role in enumerate(roles) if role == "other"]
        if free:
            roles[max(free, key=lambda index: lengths[index] if index < len(lengths) else 0)] = (
                "title"
            )
    if "when" not in roles and ("start" in roles) != ("end" in roles):
        roles[roles.index("start" if "start" in roles else "end")] = "when"
    return tuple(roles)
