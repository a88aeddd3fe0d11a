"""Reading Russian plan time frames: text -> tokens -> points -> one interval.

The reader is a small hand-written grammar rather than a list of whole-phrase patterns, so that
unseen combinations ("с 28 февраля по 3 марта", "I–II квартал 2025 г.", "весна-лето") work: each
side of a span is a *point* (a day, a month, a quarter, a season, a year…) that may borrow the
month or year it lacks from its neighbour, and the two points' bounds make the interval.

Times of day ("15.03.2026 10:00-12:00", "с 11-00 до 14-00", "в 15 ч.") are taken out of the
tokens before the points are read (`_take_times`), so a time never changes the dates. A number
pair such as "10.12" may be a date (10 December) or a time (10:12); the rule that decides is
`_is_time` (and docs/formats.md). Times whose raised minutes lost their separator ("0900 –
1000", "09 00") are made clock tokens first (`_raised_minutes`), where they cannot be a year.

Speed matters (an import reads every row): a phrase is split at its spaces and most pieces are
a word or a number found in one dict (`_WORDS`); a run of digits with separators ("12.03.2025",
"10:00-12:00") is split by its separators, and only odd pieces go through the patterns. Tokens
are plain tuples; the pass over times runs only when the phrase may hold one; the commonest
shapes ("28 февраля 2024 г.", "Май-июнь 2024 г.") are read without grouping points (`_simple`).
"""

from __future__ import annotations

import re
from datetime import date, time, timedelta

from civicplan.i18n import gettext as _
from civicplan.timeframes import lexicon as lx
from civicplan.timeframes.model import Timeframe, make_timeframe, month_end

_NEEDS_CHANGE = re.compile(r"[‐‑‒–—―−ё]")
_DASHES = re.compile(r"[‐‑‒–—―−]")
# A Latin "c" typed for the Cyrillic "с" before a time or a day ("C 10:00 до 23:30").
_LATIN_FROM = re.compile(r"(?<![\w.])c(?=\s*\d)")
_PARENTHESES = re.compile(r"\(([^()]*)\)")
_ASIDE_WORDS = re.compile(r"[а-яa-z]+")
# A remark in brackets that is a time ("(10:00-12:00)", "(с 10.00 ч.)") is read, not dropped.
# What can be nothing but a time: "10:00", "10.30" (no month 30), "11-00" (no day 00).
_CERTAIN_TIME = r"\d{1,2}(?::\d{2}|\.(?:00|1[3-9]|[2-5]\d)|-(?:0\d|3[2-9]|[45]\d))"
_HAS_CERTAIN_TIME = re.compile(rf"(?<![\d.:]){_CERTAIN_TIME}(?![\d.:])")
_TIME_ASIDE = re.compile(
    rf"(?:начало\s+|окончание\s+)?(?:с|в|до|со)?\s*{_CERTAIN_TIME}"
    rf"(?:\s*(?:-|до)\s*{_CERTAIN_TIME})?\s*(?:ч|час\w*|мск)?\.?"
)
_CURRENT_YEAR = re.compile(r"\bт\.\s?г\.?")
# A numeric date typed with spaces around its dots: "3 .05. 2015г", "09. 05. 2012г." (the year
# written out, so that "10. 30" stays what it is).
# "15:0016:00": two times whose dash a copy lost
RUN_TOGETHER_TIMES = re.compile(
    r"(?<![\d:])((?:[01]?\d|2[0-3]):[0-5]\d)((?:[01]?\d|2[0-3]):[0-5]\d)(?!\d)"
)
_SPACED_DATE = re.compile(r"\b(\d{1,2})\s*\.\s*(\d{1,2})\s*\.\s*(\d{4}|\d{2}(?=\s*г))")
# A whole-period word with the years it means in brackets: "постоянно (2013-2015 г.г.)".
_PERIOD_WITH_YEARS = re.compile(r"([^()\d]+)\(([^()]*)\)")
_FOUR_DIGITS = re.compile(r"\d{4}")
_LONG_NUMBER = re.compile(r"\d{13}")
SHOWN_TEXT = 100  # characters of a phrase not understood that its warning repeats
# Words that only introduce the times after them: "режим работы 9:00-13:00", "часы работы с 10.00".
_TIME_INTRO = re.compile(r"\b(?:режим|часы|время)\s+работы\s*:?(?=\s*(?:с\s+|со\s+|в\s+)?\d)")
# "начало соревнований в 10.00 ч": "начало"/"окончание" and what starts or ends (one or two
# words that mean nothing to a time frame), then "в"/"с" and a time.
_CUE_WITH_NOUN = re.compile(
    r"\b(начало|окончание|завершение)((?:\s+[а-я]+){1,2})(?=\s+(?:в|во|с|со)\s+\d)"
)
# «1 раз в месяц», «2 раза в неделю», «1 раз в триместр» (a school term repeats as a quarter
# does: three or four a school year)
_ONCE_PER = re.compile(
    r"(?:\b\d\s*|\b(?:один|два|три)\s+)?\bраза?\s+в\s+"
    r"(недел\w*|месяц\w*|квартал\w*|год\w*|триместр\w*|четверт\w*)"
)
_ONCE_PER_WORDS = {
    "нед": "еженедельно",
    "мес": "ежемесячно",
    "ква": "ежеквартально",
    "три": "ежеквартально",
    "чет": "ежеквартально",
    "год": "ежегодно",
}
_RECURRENCE_WORDS = {
    "weekly": "еженедельно",
    "monthly": "ежемесячно",
    "quarterly": "ежеквартально",
    "yearly": "ежегодно",
}

# The first, cheap split: a word, a run of digits with the separators dates and times use
# (with an ordinal's ending: "3-й", "15-го"), or a dash, slash, comma or semicolon.
_PIECES = re.compile(
    r"([а-яa-zі]+)"
    r"|(\d+(?:[.:/-]\d+)*)(-?(?:го|ое|ый|ий|ой|ая|ья|ом|й|я|е|м)(?![а-яa-z]))?"
    r"|([-/,;])"
)
_DIGITS_ONLY = re.compile(r"\d+(?:[.:/-]\d+)+")
# A run of digits with separators, read in detail.
_NUMERIC = re.compile(
    r"""
    (?P<iso>\d{4}-\d{1,2}-\d{1,2})(?!\d)
  | (?P<dmy>\d{1,2}(?P<dsep>[./])\d{1,2}(?P=dsep)\d{2,4})(?!\d)
  | (?P<dmyh>\d{1,2}-\d{1,2}-\d{2,4})(?!\d|-\d)
  | (?P<my>\d{1,2}[./]\d{4})(?!\d)
  | (?P<clock>\d{1,2}:\d{2})(?::\d{2})?(?!\d)
  | (?P<dm>\d{1,2}\.\d{1,2})(?!\d)
  | (?P<hm>\d{1,2}-\d{2})(?![\d.:])
  | (?P<num>\d+)
  | (?P<dash>[-/])
    """,
    re.VERBOSE,
)

_SEPARATORS = re.compile(r"[./-]")

_UNDATED_EXACT = lx.UNDATED_EXACT
_DAY_LIKE = frozenset(("day", "days", "decade"))
_YEAR_LIKE = frozenset(("year", "years"))

# A token is a tuple (kind, value, raw).
Token = tuple[str, object, str]
_DASH: Token = ("dash", None, "-")
_MARKS: dict[str, Token] = {
    "-": _DASH,
    "/": ("dash", None, "/"),
    ",": ("sep", None, ","),
    ";": ("sep", None, ";"),
}


class _NotUnderstood(Exception):
    """A phrase that reads as a date but gives none: the message becomes the warning."""


class _Point:
    """One end of a span, or a whole time frame: the fields the words set, all optional."""

    # Class attributes as the defaults: a new point costs no assignments (it is made for every
    # phrase); the words set what they say on the instance.
    day: int | None = None
    month: int | None = None
    year: int | None = None
    unit: str | None = None  # quarter, half, decade
    index: int | None = None  # which quarter/half/decade
    part: int | None = None  # начало/середина/конец of a month: decade 1/2/3
    halfpart: int | None = None  # первая/вторая половина (of a month or a year)
    season: str | None = None
    academic = False
    whole = False  # "года", "весь период": the (default) year
    this_month = False  # "месяца": the (default) month
    this_unit = False  # "квартала", "полугодия" without a number: the one of the default month
    year_borrowed: str | None = None  # "right"/"left"/"default": where the year came from

    def is_empty(self) -> bool:
        return not (
            self.day
            or self.month
            or self.year
            or self.index
            or self.part
            or self.halfpart
            or self.season
            or self.academic
            or self.whole
            or self.this_month
            or self.this_unit
        )


# An interval is a tuple (start, end, precision).
_Interval = tuple[date, date, str]
# The times of day read, each [hour, minute, role, where]; role "start", "end" or None.
_Clock = list[list]


def parse(
    text: str, default_year: int | None = None, default_month: int | None = None
) -> Timeframe:
    """Read a Russian time-frame phrase. Never raises: what is not understood becomes a warning.

    `default_year` (the plan's year) fills a phrase without a year; `default_month` fills a day
    without a month ("5 (четверг)" in a monthly plan). Neither gives a date to a phrase that
    names only times of day ("16.00-16.45").
    """
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    normal = _normalise(text)
    whole = _whole_phrase(text, normal, default_year)
    if whole is not None:
        return whole
    ignored: list[str] = []
    remarks: list[str] = []
    tokens, flags = _tokens(normal, default_year, ignored, remarks)
    problems: list[str] = []
    clock: _Clock | None = None
    recurrence = None
    if flags:
        tokens, clock, recurrence = _take_extras(tokens, flags, ignored, problems)
    try:
        interval, deadline = _read(tokens, default_year, default_month, recurrence)
    except _NotUnderstood as problem:
        return _not_understood(text, str(problem), recurrence, default_year, problems, clock)
    if remarks and interval is None:
        ignored.extend(remarks)  # "(по согласованию)" alone, or with times only
    if interval is not None and not (ignored or problems or clock):
        start, end, precision = interval
        return make_timeframe(text, start, end, precision, recurrence, deadline, None, None, None)
    if ignored:
        if interval is not None or clock:
            words = " ".join(ignored)
            problems.insert(0, _("проигнорировано: «%(words)s»") % {"words": words})
        elif not normal.startswith(lx.UNDATED_STARTS):
            problems.insert(0, _("не распознано: «%(text)s»") % {"text": text.strip()})
    return _timeframe(text, interval, recurrence, deadline, problems, clock)


def _whole_phrase(text: str, normal: str, default_year: int | None) -> Timeframe | None:
    """A phrase read whole, not word by word: an undated one («по мере необходимости») or a
    whole-period word with its years in brackets."""
    if normal in _UNDATED_EXACT:
        return make_timeframe(text, None, None, "unknown", None, False, None, None, None)
    if _LONG_NUMBER.search(normal):  # no date or time has such a number; int() would refuse it
        warning = _("не распознано: «%(text)s»") % {"text": text.strip()[:SHOWN_TEXT]}
        return make_timeframe(text, None, None, "unknown", None, False, warning, None, None)
    years = _PERIOD_WITH_YEARS.fullmatch(normal)
    if years is not None and _FOUR_DIGITS.search(years.group(2)):
        return _named_years(text, years.group(1), years.group(2), default_year)
    return None


def _named_years(
    text: str, outside: str, inside: str, default_year: int | None
) -> Timeframe | None:
    """The years in brackets after a word that means the whole of the plan's period
    ("постоянно (2013-2015 г.г.)", "в течение года (2025 г.)"): the years, not the default one."""
    whole = parse(outside, default_year)
    if whole.warning is not None or whole.precision != "year":
        return None
    named = parse(inside, default_year)
    if named.warning is not None or named.precision not in ("year", "years"):
        return None
    return make_timeframe(
        text, named.start, named.end, named.precision, None, False, None, None, None
    )


def _tokens(
    normal: str, default_year: int | None, ignored: list[str], remarks: list[str]
) -> tuple[list[Token], int]:
    """The tokens of a normalised phrase without its remarks, the usual words around a time and
    with the times whose minutes lost their separator read (`_tokenise`'s flags with them)."""
    if "(" in normal:
        normal = _take_asides(normal, ignored, remarks)
    tokens, flags = _tokenise(normal, ignored)
    if ignored:
        tokens, flags = _without_usual_words(normal, tokens, flags, ignored, remarks)
    if flags & _RAISED:
        flags |= _raised_minutes(tokens, default_year)
    return tokens, flags


def _take_extras(
    tokens: list[Token], flags: int, ignored: list[str], problems: list[str]
) -> tuple[list[Token], _Clock | None, str | None]:
    """What `_tokenise` flagged, taken out of the tokens: the times of day (or the number pairs
    read as dates when there is no time) and the recurrence."""
    clock = None
    if flags & _TIMEISH:
        tokens, clock = _take_times(tokens, ignored, problems)
    elif flags & _PAIRS:
        tokens = _as_dates(tokens)
    recurrence = None
    if flags & _RECURRING:
        recurrence, tokens = _take_recurrence(tokens, ignored)
    return tokens, clock, recurrence


def _not_understood(
    text: str,
    problem: str,
    recurrence: str | None,
    default_year: int | None,
    problems: list[str],
    clock: _Clock | None,
) -> Timeframe:
    """No dates, and the problem as the warning; a recurrence keeps the whole default year
    ("ежеквартально, до 10 числа месяца, следующего за отчетным"). Times read are kept."""
    if recurrence and default_year:
        warning = _("%(problem)s; прочитано только «%(recurrence)s»") % {
            "problem": problem,
            "recurrence": _RECURRENCE_WORDS[recurrence],
        }
        year = (date(default_year, 1, 1), date(default_year, 12, 31), "year")
        return _timeframe(text, year, recurrence, False, [warning, *problems], clock)
    return _timeframe(text, None, recurrence, False, [problem, *problems], clock)


def _timeframe(
    text: str,
    interval: _Interval | None,
    recurrence: str | None,
    deadline: bool,
    problems: list[str],
    clock: _Clock | None,
) -> Timeframe:
    """The Timeframe of what was read: the interval, the times of day and every warning."""
    start_time = end_time = None
    if clock:
        start_time, end_time = _times_of_day(clock, deadline, interval, problems)
    warning = "; ".join(problems) if problems else None
    if interval is None:
        return make_timeframe(
            text, None, None, "unknown", recurrence, False, warning, start_time, end_time
        )
    start, end, precision = interval
    return make_timeframe(
        text, start, end, precision, recurrence, deadline, warning, start_time, end_time
    )


def _normalise(text: str) -> str:
    text = text.lower().strip()
    if text[:1] == "(" and text[-1:] == ")" and text.count("(") == 1 and text.count(")") == 1:
        text = text[1:-1]  # "(23 января)": a cell's time frame in brackets
    if "c" in text:
        text = _LATIN_FROM.sub("с", text)
    if _NEEDS_CHANGE.search(text):
        text = _DASHES.sub("-", text.replace("ё", "е"))
    if "т." in text:
        text = _CURRENT_YEAR.sub(" тг ", text)
    if ". " in text or " ." in text:
        text = _SPACED_DATE.sub(r"\1.\2.\3", text)
    if ":" in text:
        text = RUN_TOGETHER_TIMES.sub(r"\1-\2", text)
    if "раз" in text:
        text = _ONCE_PER.sub(lambda m: f" {_ONCE_PER_WORDS[m.group(1)[:3]]} ", text)
    return " ".join(text.split()).rstrip(".").strip()


def _without_usual_words(
    text: str, tokens: list[Token], flags: int, ignored: list[str], remarks: list[str]
) -> tuple[list[Token], int]:
    """The tokens again without the words that are the usual phrasing of a time frame rather than
    something not understood: "режим работы 9:00-13:00", "начало соревнований в 10.00 ч", and a
    no-date phrase after a time frame ("21 декабря – 5 января по графику", which goes to
    `remarks`). Only a phrase with words not understood comes here."""
    changed = _usual_phrasing(text)
    at = changed.rfind(" по ")
    if at < 0:
        at = changed.rfind(" согласно ")
    if at > 0 and changed[at + 1 :].startswith(lx.UNDATED_STARTS):
        remarks.append(changed[at + 1 :])
        changed = changed[:at]
    if changed == text:
        return tokens, flags
    ignored.clear()
    return _tokenise(changed, ignored)


def _usual_phrasing(text: str) -> str:
    """ "режим работы 9:00-13:00" is "9:00-13:00", "начало соревнований в 10.00" is "начало в
    10.00", and "к 25 декабря" (by that day) is "до 25 декабря"."""
    if text.startswith(("к ", "ко ")):
        text = "до " + text.split(" ", 1)[1]
    if "работы" in text:
        text = _TIME_INTRO.sub(" ", text)
    if "начал" in text or "оконч" in text or "заверш" in text:
        text = _CUE_WITH_NOUN.sub(_cue_without_noun, text)
    return text


def _cue_without_noun(match: re.Match[str]) -> str:
    """ "начало соревнований в 10.00" is "начало в 10.00": the words naming what starts are the
    usual phrasing, kept only when one of them means something to a time frame ("начало марта
    в 10:00")."""
    words = match.group(2).split()
    if all(_word_token(word) is _UNKNOWN for word in words):
        return match.group(1)
    return match.group(0)


def _take_asides(text: str, ignored: list[str], remarks: list[str]) -> str:
    """Remove parenthesised remarks; a weekday "(четверг)" or a time zone "(мск)" is dropped, a
    time or a weekly day is read ("(10:00-12:00)", "(вторник, 10:00)", "(по средам, 15.00)"),
    a remark that is itself a time frame ("15 декабря (10-27 декабря)") or says the time is set
    on request ("(по вызову)", "(по согласованию)") goes to `remarks` (quiet when the phrase
    outside the brackets gives a time frame), anything else is reported in `ignored`."""

    def aside(match: re.Match[str]) -> str:
        inner = _usual_phrasing(match.group(1)).strip()
        if _TIME_ASIDE.fullmatch(inner):
            return f" {inner} "
        words = _ASIDE_WORDS.findall(inner)
        if all(_is_weekday(word) or word in _QUIET_ASIDE_WORDS for word in words):
            return f" {inner} " if _HAS_CERTAIN_TIME.search(inner) else " "
        if all(_is_weekday(word) or word in _TIME_ASIDE_WORDS for word in words) and (
            _HAS_CERTAIN_TIME.search(inner) or not _ASIDE_TRIGGERS.isdisjoint(words)
        ):
            return f" {inner} "  # "(по средам, 15.00)", "(в 15 ч.)"
        if inner.startswith(lx.UNDATED_STARTS) or _is_time_frame(inner):
            remarks.append(f"({inner})")
            return " "
        ignored.append(f"({inner})")
        return " "

    return _PARENTHESES.sub(aside, text)


def _is_time_frame(text: str) -> bool:
    """Whether a remark in brackets is a time frame read whole ("10-27 декабря")."""
    frame = parse(text, default_year=2000, default_month=1)
    return frame.start is not None and frame.warning is None


_QUIET_ASIDE_WORDS = lx.FILLER_WORDS | lx.TIME_ZONE_WORDS
# The words of a remark in brackets about when in the day or week: read with the phrase.
_TIME_ASIDE_WORDS = (
    _QUIET_ASIDE_WORDS
    | lx.WEEKDAY_PLURALS
    | lx.EVERY_WORDS
    | lx.HOUR_WORDS
    | lx.MINUTE_WORDS
    | lx.TIME_START_WORDS
    | lx.TIME_END_WORDS
    | frozenset(("по", "с", "со", "до", "и"))
)
_ASIDE_TRIGGERS = lx.WEEKDAY_PLURALS | lx.EVERY_WORDS | lx.HOUR_WORDS


def _is_weekday(word: str) -> bool:
    return word in lx.WEEKDAY_ABBREVIATIONS or word.startswith(lx.WEEKDAY_PREFIXES)


# What `_tokenise` found, as bits: a phrase that may hold a time of day, number pairs that may
# be dates or times ("12.03", "23-24"), a recurrence to take out, numbers that may be times
# whose minutes lost their separator ("0900", "09 00").
_TIMEISH, _PAIRS, _RECURRING, _RAISED = 1, 2, 4, 8


def _tokenise(text: str, ignored: list[str]) -> tuple[list[Token], int]:
    """The tokens of a normalised phrase, and what kinds of them it holds (`_TIMEISH`…);
    words that mean nothing here go to `ignored`. Most of a phrase's pieces between spaces are
    a known word or a number, looked up at once; only the others are split by `_PIECES`."""
    tokens: list[Token] = []
    flags = 0
    for piece in text.split(" "):
        token = _WORDS.get(piece)
        if token is None:
            if piece.isdecimal():
                token = _number_token(piece)
                if _may_be_raised(token, tokens[-1][0] if tokens else ""):
                    flags |= _RAISED
                tokens.append(token)
            elif _DIGITS_ONLY.fullmatch(piece):
                flags |= _numeric(piece, tokens)  # "15.03.2026", "10:00-12:00"
            else:
                spaced = _spaced_hyphen(piece, tokens)
                flags |= _split_piece(piece, tokens, ignored) if spaced is None else spaced
        elif token is _UNKNOWN:
            ignored.append(piece)
        else:
            kind = token[0]
            if kind in _FLAGGED_WORDS:
                flags |= _flag_word(kind)
            elif kind == "num":
                before = tokens[-1][0] if tokens else ""
                if before == "num" or (len(token[2]) == 4 and before != "month"):
                    flags |= _RAISED  # "0900", "2024 год", "09 00"
            tokens.append(token)
    return tokens, flags


def _may_be_raised(token: Token, before: str) -> bool:
    """Whether a number may be a time whose minutes lost their separator: four digits not right
    after a month (whose year they are: "мая 2024"), or a number right after another."""
    if len(token[2]) == 4:
        return before != "month"
    return before == "num"


def _number_token(digits: str) -> Token:
    """A number's token, kept with the words for the next time: days and years recur."""
    token = ("num", int(digits), digits)
    if len(digits) <= 4 and len(_WORDS) < _MAX_WORDS:
        _WORDS[digits] = token
    return token


def _split_piece(piece: str, tokens: list[Token], ignored: list[str]) -> int:
    """The tokens of a piece that is not one word or number: "май-июнь", "г.,", "15.03.2026",
    "3-й", "10:00-12:00"."""
    flags = 0
    start = len(tokens)
    for word, digits, ending, mark in _PIECES.findall(piece):
        if word:
            token = _word_token(word)
            if token is _UNKNOWN:
                ignored.append(word)
                continue
            if token[0] in _FLAGGED_WORDS:
                flags |= _flag_word(token[0])
            if token[0] == "unit" and len(tokens) - 2 >= start and tokens[-1] is _DASH:
                _join_unit(tokens)
            tokens.append(token)
        elif mark:
            tokens.append(_MARKS[mark])
        elif ending:
            flags |= _ordinal(digits, ending, tokens, ignored)
        elif digits.isdecimal():
            if len(digits) == 4:
                flags |= _RAISED  # "2024г.", "0900ч"
            tokens.append(("num", int(digits), digits))
        else:
            flags |= _numeric(digits, tokens)
    return flags


def _spaced_hyphen(piece: str, tokens: list[Token]) -> int | None:
    """ "15 -00": a hyphen with a space before it only, between an hour and its minutes, is the
    pair "15-00" (its flags; None when the piece is not "-MM" after an hour)."""
    if len(piece) != 3 or piece[0] != "-" or not piece[1:].isdecimal() or not tokens:
        return None
    before = tokens[-1]
    if before[0] != "num" or len(before[2]) > 2:
        return None
    tokens.pop()
    return _pair(before[2], piece[1:], "-", f"{before[2]}-{piece[1:]}", tokens)


_FLAGGED_WORDS = frozenset(("hour", "minute", "endcue", "recurrence", "every"))


def _flag_word(kind: str) -> int:
    """What a word of `_FLAGGED_WORDS` tells `_tokenise`: a recurrence to take out ("ежемесячно",
    "по вторникам", "каждую среду") or a phrase with a time ("ч.", "мин.", "окончание")."""
    return _RECURRING if kind in ("recurrence", "every") else _TIMEISH


def _join_unit(tokens: list[Token]) -> None:
    """ "II-полугодие", "1-квартал": the hyphen (no spaces) between a number and its unit joins
    no span, and is dropped."""
    before = tokens[-2]
    if before[0] == "ordinal" or (before[0] == "num" and len(before[2]) <= 2):
        tokens.pop()


def _ordinal(digits: str, ending: str, tokens: list[Token], ignored: list[str]) -> int:
    """ "3-й", "15-го", "1-2-й": the last number is an ordinal when it has one or two digits."""
    head = digits.rstrip("0123456789")
    last = digits[len(head) :]
    flags = _numeric(head, tokens) if head else 0
    if len(last) <= 2:
        tokens.append(("ordinal", int(last), last + ending))
        return flags
    tokens.append(("num", int(last), last))
    if ending[0] == "-":
        tokens.append(_DASH)
        ending = ending[1:]
    word = _word_token(ending)
    if word is _UNKNOWN:
        ignored.append(ending)
    else:
        tokens.append(word)
    return flags


def _numeric(digits: str, tokens: list[Token]) -> int:
    """The tokens of a run of digits and separators ("12.03.2025", "12-14.03.25", "10:00-12:00",
    "2024/2025"). A pair that may be a time ("10.30", "11-00", "12.03") becomes a "pair" token
    that `_take_times` (or `_as_dates`) decides. The common shapes of one kind of separator are
    read by splitting; the others, by `_NUMERIC` (which reads the common ones the same way)."""
    if "-" in digits:
        return _numeric_span(digits, tokens)
    if ":" in digits or "/" in digits:
        hour, _colon, minute = digits.partition(":")
        if len(hour) <= 2 and len(minute) == 2:  # "10:00": no other separator fits
            tokens.append(("clock", (int(hour), int(minute)), digits))
            return _TIMEISH
        return _numeric_in_detail(digits, tokens)
    parts = digits.split(".")
    count = len(parts)
    if len(parts[0]) > 2 or count > 3:
        return _numeric_in_detail(digits, tokens)
    last = parts[-1]
    if count == 3 and len(parts[1]) <= 2 and 2 <= len(last) <= 4:
        year = int(last)
        day_month_year = (int(parts[0]), int(parts[1]), year + 2000 if year < 100 else year)
        tokens.append(("date", day_month_year, digits))
        return 0
    if count == 2 and len(last) == 4:
        tokens.append(("monthyear", (int(parts[0]), int(last)), digits))
        return 0
    if count == 2 and len(last) <= 2:
        return _pair(parts[0], last, ".", digits, tokens)
    return _numeric_in_detail(digits, tokens)


def _numeric_span(digits: str, tokens: list[Token]) -> int:
    """ "23-24", "2024-2025", "11-00"; "12.03-14.03.2025", "10:00-12:00": dates or times joined
    by hyphens, each read alone; "12-14.03.2025", "10-30-12-00", "2025-03-12" (a bare number
    beside another separator, or several hyphens), by `_NUMERIC`."""
    sides = digits.split("-")
    if len(sides) == 2 and sides[0].isdigit() and sides[1].isdigit():
        first, second = sides
        if len(first) <= 2 and len(second) == 2:
            return _pair(first, second, "-", digits, tokens)
        tokens += (("num", int(first), first), _DASH, ("num", int(second), second))
        return _RAISED if len(first) == 4 or len(second) == 4 else 0
    if "/" in digits or any(side.isdigit() for side in sides):
        return _numeric_in_detail(digits, tokens)
    flags = _numeric(sides[0], tokens)
    for side in sides[1:]:
        tokens.append(_DASH)
        flags |= _numeric(side, tokens)
    return flags


def _pair(first: str, second: str, sep: str, raw: str, tokens: list[Token]) -> int:
    """ "10.30", "12.03", "11-00", "23-24": a pair token when it may be a time, else the date
    ("28.02", "1.5") or the numbers ("4-5", "25-70") it is."""
    hour, minute = int(first), int(second)
    if len(second) == 2 and (hour <= 23 or (hour, minute) == (24, 0)) and minute <= 59:
        pair = ("pair", (hour, minute, sep), raw)
        tokens.append(pair)
        return _TIMEISH if (len(tokens) > 1 or _certain_pair(pair)) else _PAIRS
    if sep == ".":
        tokens.append(("date", (hour, minute, None), raw))
    else:
        tokens += (("num", hour, first), _DASH, ("num", minute, second))
    return 0


def _numeric_in_detail(digits: str, tokens: list[Token]) -> int:
    flags = 0
    for match in _NUMERIC.finditer(digits):
        kind = match.lastgroup
        raw = match.group(0)
        if kind == "num":
            tokens.append(("num", int(raw), raw))
        elif kind == "dash":
            tokens.append(_MARKS[raw])
        elif kind == "dm" or kind == "hm":
            sep = "." if kind == "dm" else "-"
            first, second = raw.split(sep)
            flags |= _pair(first, second, sep, raw, tokens)
        elif kind == "clock":
            hour, minute = raw.split(":")[:2]
            tokens.append(("clock", (int(hour), int(minute)), raw))
            flags |= _TIMEISH
        else:
            tokens.append(_dated(kind, raw))  # type: ignore[arg-type]
    return flags


def _dated(kind: str, raw: str) -> Token:
    """The token of a whole date ("12.03.2025", "12-03-25", "2025-03-12") or a month and year
    ("03.2025")."""
    parts = [int(part) for part in _SEPARATORS.split(raw)]
    if kind == "iso":
        return ("date", (parts[2], parts[1], parts[0]), raw)
    if kind == "my":
        return ("monthyear", (parts[0], parts[1]), raw)
    year = parts[2]
    return ("date", (parts[0], parts[1], year + 2000 if year < 100 else year), raw)


def _certain_pair(token: Token) -> bool:
    """A pair that can only be a time: "10.00", "16.45" (no month 00 or 45), "11-00", "10-45"
    (no day 00 or 45)."""
    minute, sep = token[1][1:]  # type: ignore[index]
    if sep == ".":
        return minute == 0 or minute > 12
    return token[2][-2] == "0" or minute > 31


# Words listed exactly, by what they mean: (words, kind), where a dict gives each word's value
# and a set stands for words without one. The first table listing a word wins. Exact words are
# looked up before the prefixes below; no listed word starts with a weekday's prefix but the
# plural weekdays ("по вторникам"), listed first, so this is the order of the grammar.
_EXACT_WORDS: tuple[tuple[dict[str, object] | frozenset[str], str], ...] = (
    (lx.MONTH_WORDS, "month"),
    (lx.YEAR_WORDS, "yearword"),
    (lx.THIS_MONTH_WORDS, "monthword"),
    (dict.fromkeys(lx.WEEKDAY_PLURALS, "weekly"), "recurrence"),
    (lx.FILLER_WORDS | lx.CURRENT_YEAR_WORDS | lx.WEEKDAY_ABBREVIATIONS, "filler"),
    (lx.TIME_ZONE_WORDS, "filler"),
    (lx.HOUR_WORDS, "hour"),
    (lx.MINUTE_WORDS, "minute"),
    (lx.EVERY_WORDS, "every"),
    (lx.ORDINAL_WORDS, "ordinal"),
    (dict.fromkeys(lx.LAST_WORDS, 3), "ordinal"),  # "последняя декада"
    (lx.ROMAN_NUMERALS, "ordinal"),
    (lx.PART_WORDS, "part"),
    (lx.TIME_END_WORDS, "endcue"),  # "окончание в 12:00" ("конец" is a part above)
    (lx.UNIT_WORDS, "unit"),
    (lx.SEASON_WORDS, "season"),
    (lx.BEFORE_WORDS, "before"),
    (lx.NOT_LATER_WORDS, "notlater"),
    (lx.FROM_WORDS, "from"),
    (lx.THROUGH_WORDS, "dash"),
    (lx.LIST_WORDS, "sep"),
    (lx.WHOLE_PERIOD_WORDS, "whole"),
)
# Words known by how they start, tried in this order when the exact form is not listed.
_PREFIXES: tuple[tuple[str, str, object], ...] = (
    *((prefix, "filler", None) for prefix in lx.WEEKDAY_PREFIXES),
    *((prefix, "unit", unit) for prefix, unit in lx.UNIT_PREFIXES),
    *((prefix, "season", season) for prefix, season in lx.SEASON_PREFIXES),
    *((prefix, "recurrence", recurrence) for prefix, recurrence in lx.RECURRENCE_PREFIXES),
    (lx.ACADEMIC_PREFIX, "academic", None),
)
_UNKNOWN: Token = ("unknown", None, "")


def _meanings() -> dict[str, Token]:
    """Every exactly listed word -> its token, built once: one dict lookup for a word instead
    of a membership test per table."""
    meanings: dict[str, Token] = {}
    for words, kind in _EXACT_WORDS:
        for word in words:
            value = words[word] if isinstance(words, dict) else None
            meanings.setdefault(word, (kind, value, word))
    return meanings


# Every word (and short number) met so far -> its token (_UNKNOWN for a word that is not part of
# a time frame); the listed words are there from the start, others are added as they are met.
_WORDS: dict[str, Token] = {**_meanings(), **_MARKS}
_MAX_WORDS = len(_WORDS) + 8192


def _word_token(word: str) -> Token:
    """What one word means (`_UNKNOWN` for a word that is not part of a time frame)."""
    token = _WORDS.get(word)
    if token is not None:
        return token
    token = next(
        ((kind, value, word) for prefix, kind, value in _PREFIXES if word.startswith(prefix)),
        _UNKNOWN,
    )
    if len(_WORDS) < _MAX_WORDS:  # a bound on what odd texts can make it hold
        _WORDS[word] = token
    return token


# -- times whose minutes lost their separator ----------------------------------------------------

# The longest span of years a plan's time frame names ("2021–2030 гг."); "1930 – 2000" is not one.
_MAX_YEAR_SPAN = 20
# How far from the plan's year a year may be ("1941–1945 гг." in a 2015 plan); "1100" is not one.
_YEAR_REACH = 100


def _raised_minutes(tokens: list[Token], default_year: int | None) -> int:
    """Read the times whose minutes were raised (superscript) and lost their separator when the
    text was flattened: "0900 – 1000", "1930 2000", "09 00 – 10 00", "13.07.2013 1100". They
    become clock tokens in place; `_TIMEISH` when any was found.

    A four-digit number HHMM (hours 00–23, minutes 00–59) is a time only where it cannot be a
    year: written with a leading zero ("0900"), after a whole date ("13.07.2013 1100", "13 июля
    2013 г. 1930"), one of a pair (joined by a dash or "до", or side by side) that is not a span
    of years ("0900 – 1000", "1930 – 2000": seventy years; "2019 – 2020" stays years; a pair
    after a day and its month, "13 июля 1900 – 1930", is times), or alone and too far from the
    plan's year to be one ("1100" in a 2013 plan). Two numbers side by side, an hour and two-digit
    minutes ("09 00", "10 30"), are a time when the minutes are "00" (no day 00), when "в", "с"
    or "до" or a whole date comes before them, or at the start of a span whose end is such a time;
    never before a month, a date or a year ("5 10 мая", "12 03 2025")."""
    flags = 0
    position = 0
    while position < len(tokens):
        kind, value, raw = tokens[position]
        taken = 0
        if kind == "num":
            if len(raw) == 4:
                # a number that is no HHMM ("1990", "2075") is left at once
                if value % 100 < 60 and value < 2400:  # type: ignore[operator]
                    taken = _four_digit_times(tokens, position, default_year)
            elif len(raw) <= 2 and position + 1 < len(tokens):
                taken = _spaced_time(tokens, position)
        if taken > 0:
            flags = _TIMEISH
            position += taken
        else:
            position += 1 - taken
    return flags


# What after a number says it is a year: "2000–2021 гг.", "1100 г.", "2024–2025 учебный год".
_YEAR_MARKED = frozenset(("yearword", "academic"))


def _hhmm(token: Token) -> tuple[int, int] | None:
    """ "0900", "1930": the hour and minutes a four-digit number may be."""
    if token[0] != "num" or len(token[2]) != 4:
        return None
    hour, minute = divmod(int(token[1]), 100)  # type: ignore[call-overload]
    return (hour, minute) if hour <= 23 and minute <= 59 else None


def _plausible_year(number: int, default_year: int | None) -> bool:
    if not 1000 <= number <= 2999:
        return False
    return default_year is None or abs(number - default_year) <= _YEAR_REACH


def _four_digit_times(tokens: list[Token], position: int, default_year: int | None) -> int:
    """How many tokens from `position` are times written HHMM, made clock tokens; a negative
    count for the years read instead ("2024–2025": -3), 0 for one number that is a year."""
    token = tokens[position]
    count = len(tokens)
    other = position + 1
    if other < count and tokens[other][0] in _JOINS:
        other += 1
    zero = token[2][0] == "0"
    second = _hhmm(tokens[other]) if other < count else None
    if second is not None:
        end = tokens[other]
        after = tokens[other + 1][0] if other + 1 < count else None
        if other == position + 1 and not zero and _year_slot(tokens, position, default_year):
            return 0  # "13 июля 2013 0900": the date's year, then a time
        if not (zero or end[2][0] == "0"):
            if after in _YEAR_MARKED:
                return position - other - 1  # "2024–2025 гг.": a year mark says they are years
            number, last = int(token[1]), int(end[1])  # type: ignore[call-overload]
            if (
                0 <= last - number <= _MAX_YEAR_SPAN
                and _plausible_year(number, default_year)
                and _plausible_year(last, default_year)
                and not _dated_before(tokens, position, day_with_month=True)
            ):
                return position - other - 1
        tokens[position] = ("clock", divmod(int(token[1]), 100), token[2])  # type: ignore[call-overload]
        tokens[other] = ("clock", second, end[2])
        return other - position + 1
    if not zero:
        if position + 1 < count and tokens[position + 1][0] in _YEAR_MARKED:
            return 0  # "1100 г.": a year mark says it is a year
        if _plausible_year(int(token[1]), default_year) and not _dated_before(  # type: ignore[call-overload]
            tokens, position, day_with_month=False
        ):
            return 0
    tokens[position] = ("clock", divmod(int(token[1]), 100), token[2])  # type: ignore[call-overload]
    return 1


def _year_slot(tokens: list[Token], position: int, default_year: int | None) -> bool:
    """A plausible year right after a month or a date without its year: that date's year."""
    return (
        position > 0
        and (
            tokens[position - 1][0] == "month"
            or (tokens[position - 1][0] == "date" and tokens[position - 1][1][2] is None)  # type: ignore[index]
        )
        and _plausible_year(int(tokens[position][1]), default_year)  # type: ignore[call-overload]
    )


def _dated_before(tokens: list[Token], position: int, day_with_month: bool) -> bool:
    """Whether a whole date comes right before `position` ("13.07.2013", "13 июля 2013 г.", a
    time: "1930 2000"), or, with `day_with_month`, a day and its month without the year ("13
    июля": the place of its year, which one number fills)."""
    at = position - 1
    while at >= 0 and tokens[at][0] in _BETWEEN_DATE_AND_TIME:
        at -= 1
    if at < 0:
        return False
    kind, value, raw = tokens[at]
    if kind == "clock":
        return True
    if kind == "date":
        return value[2] is not None  # type: ignore[index]
    if kind == "num" and len(raw) == 4:
        return at > 0 and tokens[at - 1][0] in ("month", "date")
    if kind == "month" and day_with_month:
        return at > 0 and tokens[at - 1][0] == "num" and len(tokens[at - 1][2]) <= 2
    return False


def _spaced_time(tokens: list[Token], position: int) -> int:
    """ "09 00", "10 30": an hour and its minutes side by side, made one clock token (1: read)."""
    count = len(tokens)
    if position + 1 >= count:
        return 0
    hour, minutes = tokens[position], tokens[position + 1]
    if not _spaced_pair(hour, minutes):
        return 0
    following = tokens[position + 2] if position + 2 < count else None
    if following is not None and (
        following[0] in _DATE_AFTER or following[0] == "num" or following[0] == "ordinal"
    ):
        return 0
    before = tokens[position - 1] if position else None
    if not (
        minutes[2] == "00"
        or (before is not None and (before[2] in ("в", "во") or before[0] in ("from", "before")))
        or _dated_before(tokens, position, day_with_month=False)
        or (
            following is not None
            and following[0] in _JOINS
            and position + 4 < count
            and _spaced_pair(tokens[position + 3], tokens[position + 4])
            and tokens[position + 4][2] == "00"
        )
    ):
        return 0
    raw = f"{hour[2]}:{minutes[2]}"
    tokens[position : position + 2] = [("clock", (int(hour[1]), int(minutes[1])), raw)]  # type: ignore[call-overload]
    return 1


def _spaced_pair(hour: Token, minutes: Token) -> bool:
    return (
        hour[0] == "num"
        and minutes[0] == "num"
        and len(hour[2]) <= 2
        and len(minutes[2]) == 2
        and int(hour[1]) <= 23  # type: ignore[call-overload]
        and int(minutes[1]) <= 59  # type: ignore[call-overload]
    )


# -- times of day -------------------------------------------------------------------------------

# What may follow a pair that is a date rather than a time: "10-12 мая", "12.03 2025 г.".
_DATE_AFTER = frozenset(("month", "monthyear", "date", "yearword"))
# Tokens between a date and its time: "15.03.2026 г., с 10.00", "3 июня (вторник) в 10-30".
_BETWEEN_DATE_AND_TIME = frozenset(("yearword", "filler", "sep", "from"))
_JOINS = frozenset(("dash", "before"))


def _take_times(
    tokens: list[Token], ignored: list[str], problems: list[str]
) -> tuple[list[Token], _Clock]:
    """Take the times of day out of the tokens: the tokens left (a pair that is not a time
    becomes the date or the numbers it is), and each time read (`_Clock`), its role "start"
    ("с 10:00", the first of "10:00-12:00"), "end" ("до 14:00", the second) or None.
    The words that only say it is a time ("в", "ч.", "начало в") go with it."""
    out: list[Token] = []
    clock: _Clock = []
    joined: Token | None = None  # a dash or "до" right after a time, until what follows is known
    after_time = False
    count = len(tokens)
    position = 0
    while position < count:
        token = tokens[position]
        kind = token[0]
        # A number is looked at only where it may be an hour: "15 ч.", "9-18 ч.", "10:00-18".
        if kind in _CANDIDATES or (
            kind == "num"
            and (
                joined is not None
                or (position + 1 < count and tokens[position + 1][0] in _AFTER_AN_HOUR)
            )
        ):
            read = _is_time(tokens, position, out, joined is not None)
            if read is not None:
                _add_times(clock, read[0], out, joined is not None)
                joined = None
                position += read[1]
                after_time = True
                continue
        if joined is not None:
            out.append(joined)
            joined = None
        if after_time and kind in _JOINS:
            joined = token
        elif kind in _NOT_KEPT_AS_THEY_ARE:
            _keep(token, out, ignored)
        else:
            out.append(token)
        after_time = False
        position += 1
    if joined is not None:
        out.append(joined)
    return _without_end_cues(out, ignored), _valid_times(clock, problems)


_CANDIDATES = frozenset(("clock", "pair"))
_AFTER_AN_HOUR = frozenset(("hour", "dash", "before"))
_NOT_KEPT_AS_THEY_ARE = frozenset(("pair", "hour", "minute"))


def _add_times(clock: _Clock, times: list[tuple[int, int]], out: list[Token], joined: bool) -> None:
    """Add what `_is_time` read, each [hour, minute, role, where in `out`], with its role: the
    end of a span after a time ("10:00-12:00"), what the words before it say ("с", "до",
    "начало в"), or the end of a span of dates after a time ("15.03 10:00 – 16.03 17:00")."""
    if joined:
        if clock[-1][2] is None:
            clock[-1][2] = "start"
        role = "end"
    else:
        role = _pop_cue(out)
        if role is None and clock and any(token[0] in _JOINS for token in out[clock[-1][3] :]):
            role = "end"
    if len(times) == 2:  # "10-12 ч.": hours 10 to 12
        clock.append([*times[0], role or "start", len(out)])
        clock.append([*times[1], "end", len(out)])
    else:
        clock.append([*times[0], role, len(out)])


def _keep(token: Token, out: list[Token], ignored: list[str]) -> None:
    """A token that is not a time: a pair is the date or numbers it is; "ч." without a number
    means nothing."""
    kind = token[0]
    if kind == "pair":
        _pair_as_date(token, out)
    elif kind == "hour" or kind == "minute":
        ignored.append(token[2])
    else:
        out.append(token)


def _without_end_cues(out: list[Token], ignored: list[str]) -> list[Token]:
    """ "окончание" that no time follows means nothing."""
    if not any(token[0] == "endcue" for token in out):
        return out
    ignored.extend(token[2] for token in out if token[0] == "endcue")
    return [token for token in out if token[0] != "endcue"]


def _valid_times(clock: _Clock, problems: list[str]) -> _Clock:
    """The times that exist, "24:00" being midnight (00:00, the day's end); "25:00" is a
    warning."""
    kept = []
    for entry in clock:
        if entry[:2] == [24, 0]:
            entry[0] = 0
        if entry[0] > 23 or entry[1] > 59:
            shown = f"{entry[0]:02d}:{entry[1]:02d}"
            problems.append(_("несуществующее время: %(time)s") % {"time": shown})
        else:
            kept.append(entry)
    return kept


def _is_time(
    tokens: list[Token], position: int, out: list[Token], joined: bool
) -> tuple[list[tuple[int, int]], int] | None:
    """Whether the pair, clock or number at `position` is a time of day, and if so the time
    (two for "10-12 ч.") and how many tokens it takes ("10 ч. 30 мин." takes four).

    The rule, a feature of Russian text rather than of any one plan: "10:00" is a time; a pair
    written with a dot or a hyphen ("10.30", "11-00") or a lone number ("15") is not a time when
    a month, a date or a year follows it ("10-12 мая", "12.03 2025 г."); otherwise a pair is a
    time when it can only be one ("10.00", "16.45": no month 00 or 45; "11-00", "10-45": no day
    00 or 45), when "ч."/"час" follows it, when "в" comes before it (or "с"/"до" before a hyphen
    pair: "с 11-00"), when it follows a whole date ("15.03.2026 10.10", "3 июня 10-30"), or when
    it is the other end of a span with a time ("10.10-12.00", "10:00-12.30"). A number is a time
    only with "ч."/"час" ("в 15 ч.", "с 9 до 18 ч.") or as the end of a span with a time.
    A dot pair after "с"/"до" stays a date ("до 20.12", "с 10.03 по 15.03")."""
    token = tokens[position]
    kind = token[0]
    following = tokens[position + 1] if position + 1 < len(tokens) else None
    hour_word = following is not None and following[0] == "hour"
    if kind == "clock":
        return [token[1]], (2 if hour_word else 1)  # type: ignore[list-item]
    if (
        following is not None
        and following[0] in _DATE_AFTER
        # "10-12 мая" is days, but "10.00 15.03.2026" a time and its date
        and not (following[0] == "date" and kind == "pair" and _certain_pair(token))
    ):
        return None
    if kind == "num":
        return _number_is_time(tokens, position, hour_word, joined)
    return _pair_is_time(tokens, position, out, hour_word, joined)


def _number_is_time(
    tokens: list[Token], position: int, hour_word: bool, joined: bool
) -> tuple[list[tuple[int, int]], int] | None:
    """ "в 15 ч.", "с 9 до 18 ч.", "10:00-18": a number of one or two digits as an hour."""
    number, raw = tokens[position][1], tokens[position][2]
    if len(raw) > 2:
        return None
    if hour_word:
        return _hours(tokens, position)
    if (joined and not _dated_time_after(tokens, position)) or _span_to_time(tokens, position):
        return [(number, 0)], 1  # type: ignore[list-item]
    return None


def _pair_is_time(
    tokens: list[Token], position: int, out: list[Token], hour_word: bool, joined: bool
) -> tuple[list[tuple[int, int]], int] | None:
    """ "10.30", "11-00", "10.10" after a date or "в", "10-12 ч." (hours 10 to 12)."""
    token = tokens[position]
    hour, minute, sep = token[1]  # type: ignore[misc]
    if hour_word:
        if sep == "-" and token[2][-2] != "0" and hour < minute <= 23:
            return [(hour, 0), (minute, 0)], 2
        return [(hour, minute)], 2
    if (
        _certain_pair(token)
        or _cued(out, sep)
        or (joined and not _dated_time_after(tokens, position))
        or _after_date(out)
        or (sep == "-" and _after_numeric_date(out))
        or _span_to_time(tokens, position)
    ):
        return [(hour, minute)], 1
    return None


def _after_numeric_date(out: list[Token]) -> bool:
    """ "12.12 13-30", "15-16.12 12-10": a hyphen pair right after a numeric day and month (its
    year not written) is a time, as days with no month of their own there would not be."""
    position = len(out) - 1
    while position >= 0 and out[position][0] in _BEFORE_A_TIME:
        position -= 1
    return position >= 0 and out[position][0] == "date"


_BEFORE_A_TIME = frozenset(("yearword", "filler"))


def _hours(tokens: list[Token], position: int) -> tuple[list[tuple[int, int]], int]:
    """ "15 ч.", "10 ч. 30 мин.": the number before "ч.", and the minutes after it if given."""
    hour = int(tokens[position][1])  # type: ignore[arg-type]
    if position + 3 < len(tokens) and tokens[position + 3][0] == "minute":
        minutes = tokens[position + 2]
        if minutes[0] == "num" and len(minutes[2]) <= 2:
            return [(hour, int(minutes[1]))], 4  # type: ignore[arg-type]
    return [(hour, 0)], 2


def _cued(out: list[Token], sep: str) -> bool:
    """ "в 10.12", "с 11-00", "до 14-00": a word before the pair that says it is a time."""
    if not out:
        return False
    kind, raw = out[-1][0], out[-1][2]
    if raw in ("в", "во"):
        return True
    return sep == "-" and kind in ("from", "before")


def _after_date(out: list[Token]) -> bool:
    """Whether the tokens so far end with a whole date: one with its year ("15.03.2026",
    "2026-03-15") or a day with its month's name ("3 июня", "3 июня 2026 г."), perhaps followed by
    "г.", a comma, a weekday, "в" or "с"."""
    position = len(out) - 1
    while position >= 0 and out[position][0] in _BETWEEN_DATE_AND_TIME:
        position -= 1
    if position < 0:
        return False
    kind, value, raw = out[position]
    if kind == "date":
        return value[2] is not None  # type: ignore[index]
    if kind == "num" and len(raw) == 4 and position > 0:
        position -= 1
        kind, value, raw = out[position]
    if kind != "month" or position == 0:
        return False
    kind, value, raw = out[position - 1]
    return (kind == "num" and len(raw) <= 2) or (kind == "ordinal" and raw[0].isdigit())


def _span_to_time(tokens: list[Token], position: int) -> bool:
    """ "10.10-12.00", "с 9 до 18 ч.": the start of a span whose end can only be a time."""
    if position + 2 >= len(tokens) or tokens[position + 1][0] not in _JOINS:
        return False
    start = tokens[position]
    if start[0] == "pair" and not _certain_pair(start) and start[1][2] == ".":  # type: ignore[index]
        if tokens[position + 1][2] == "/":
            return False  # "03.01/13-00": a slash parts a day and month from its time
        if _day_then_earlier_time(start, tokens[position + 2]):
            return False  # "22.12-16.00": 22 December at 16:00, not 22:12 to 16:00
    end = tokens[position + 2]
    after = tokens[position + 3] if position + 3 < len(tokens) else None
    if end[0] == "clock":
        return True
    if after is not None and after[0] in _DATE_AFTER:
        return False
    if after is not None and after[0] == "hour":
        return end[0] == "pair" or (end[0] == "num" and len(end[2]) <= 2)
    return end[0] == "pair" and _certain_pair(end)


def _day_then_earlier_time(start: Token, end: Token) -> bool:
    """Whether a dot pair that may be a day and month («22.12») spans to a time before it as a
    time («16.00»): a span backwards is no span of times, the pair is the day of that time."""
    if end[0] != "pair" or not _certain_pair(end):
        return False
    day, month = start[1][0], start[1][1]  # type: ignore[index]
    hour, minute = end[1][0], end[1][1]  # type: ignore[index]
    return 1 <= day <= 31 and 1 <= month <= 12 and (hour, minute) < (day, month)


def _dated_time_after(tokens: list[Token], position: int) -> bool:
    """ "15.03 10:00 – 16.03 17:00": a pair followed by a time is that time's date."""
    if position + 1 >= len(tokens):
        return False
    following = tokens[position + 1]
    return following[0] == "clock" or (following[0] == "pair" and _certain_pair(following))


def _pop_cue(out: list[Token]) -> str | None:
    """Remove the words before a time that say it is one ("в", "с", "до", "начало в",
    "окончание в"), and give the role they give it: "start", "end" or None."""
    role = None
    if len(out) > 1 and out[-1][0] == "dash" and out[-2][0] == "date" and out[-2][1][2] is None:  # type: ignore[index]
        out.pop()  # "03.01/13-00", "22.12-16.00": the mark only parts the day and its time
    if out and out[-1][2] in ("в", "во"):
        out.pop()
    if out:
        kind = out[-1][0]
        if kind == "from":
            role = "start"
            out.pop()
        elif kind == "before":
            role = "end"
            out.pop()
    if out:
        raw = out[-1][2]
        if raw in lx.TIME_START_WORDS:
            out.pop()
            role = role or "start"
        elif raw in lx.TIME_END_WORDS:
            out.pop()
            role = role or "end"
    return role


def _pair_as_date(token: Token, out: list[Token]) -> None:
    """A pair that is not a time: "12.03" is a day and month, "23-24" two numbers and a dash."""
    hour, minute, sep = token[1]  # type: ignore[misc]
    if sep == ".":
        out.append(("date", (hour, minute, None), token[2]))
    else:
        first, second = token[2].split("-")
        out += (("num", hour, first), _DASH, ("num", minute, second))


def _as_dates(tokens: list[Token]) -> list[Token]:
    """The tokens of a phrase without times, each pair read as the date or numbers it is."""
    out: list[Token] = []
    for token in tokens:
        if token[0] == "pair":
            _pair_as_date(token, out)
        else:
            out.append(token)
    return out


def _times_of_day(
    clock: _Clock, deadline: bool, interval: _Interval | None, problems: list[str]
) -> tuple[time | None, time | None]:
    """The start and end times of what was read: the first time that does not end a span, and
    the first after it that does: times side by side ("09.05.2020 09.00 20.00": two events)
    give a start and no end, and days with their own hours ("29 февраля - 14:00-20:00; 1-2
    марта - 10.00-18:00") the first day's. A lone time after a deadline is the deadline's
    hour. An end before its start on the same day is a warning, and the end is dropped, unless
    it is in the small hours (up to NIGHT_ENDS): a night's event ends the next morning
    ("22.00 – 04.00", "с 21.00 до 02.00"); an end at 00:00 (or "24:00") is midnight, the day's
    end ("21:00 - 00:00")."""
    if deadline and len(clock) == 1 and clock[0][2] is None:
        return None, time(clock[0][0], clock[0][1])
    starts = [index for index, entry in enumerate(clock) if entry[2] != "end"]
    first = clock[starts[0]] if starts else None
    ends = [entry for entry in clock[starts[0] if starts else 0 :] if entry[2] == "end"]
    ends = ends or [entry for entry in clock if entry[2] == "end"]  # «до 18:00 с 10:00»
    last = ends[0] if ends else None
    start = None if first is None else time(first[0], first[1])
    end = None if last is None else time(last[0], last[1])
    same_day = interval is None or interval[0] == interval[1]
    if (
        start is not None
        and end is not None
        and end < start
        and same_day
        and end > NIGHT_ENDS  # «22.00 – 04.00»: a night's, ending the next morning
    ):
        problems.append(
            _("время окончания %(end)s раньше времени начала %(start)s")
            % {"end": f"{end:%H:%M}", "start": f"{start:%H:%M}"}
        )
        end = None
    return start, end


# -- recurrences --------------------------------------------------------------------------------


def _take_recurrence(tokens: list[Token], ignored: list[str]) -> tuple[str | None, list[Token]]:
    """The recurrence the phrase names ("ежемесячно", "по вторникам", "каждую среду"), the
    first if several, and the tokens without it."""
    recurrence = None
    kept: list[Token] = []
    for position, token in enumerate(tokens):
        kind = token[0]
        if kind == "recurrence":
            recurrence = recurrence or str(token[1])
            if kept and kept[-1][2] == "по" and token[2] in lx.WEEKDAY_PLURALS:
                kept.pop()  # "по вторникам" is not the end of a span
            continue
        if kind == "every":
            following = tokens[position + 1] if position + 1 < len(tokens) else None
            if following is not None and _is_weekday(following[2]):
                recurrence = recurrence or "weekly"
            else:
                ignored.append(token[2])
            continue
        kept.append(token)
    return recurrence, kept


# -- points and intervals -----------------------------------------------------------------------


def _read(
    tokens: list[Token],
    default_year: int | None,
    default_month: int | None,
    recurrence: str | None,
) -> tuple[_Interval | None, bool]:
    """The interval the tokens describe and whether it is a deadline."""
    simple = _simple(tokens, default_year)
    if simple is not None:
        return simple, False
    return _read_grammar(tokens, default_year, default_month, recurrence)


def _read_grammar(
    tokens: list[Token],
    default_year: int | None,
    default_month: int | None,
    recurrence: str | None,
) -> tuple[_Interval | None, bool]:
    """`_read` by the whole grammar: points, their connectors, what they borrow."""
    first = None
    at = 0
    for at, token in enumerate(tokens):
        if token[0] not in _NOT_MEANINGFUL:
            first = token[0]
            break
        if token[2] == "по" and any(t[0] not in _NOT_MEANINGFUL for t in tokens[at + 1 :]):
            first = "notlater"  # "по 10 мая" with no start: a deadline, that day included
            break
    if first == "before" or first == "notlater":
        return _read_deadline(tokens[at + 1 :], first == "notlater", default_year, default_month)
    points, connectors = _points(tokens)
    if not points:
        if recurrence is None:
            return None, False
        points, connectors = [_recurring_over(recurrence, default_month)], []
    if len(points) == 1:
        _fill_from_defaults(points[0], default_year, default_month)
        interval = _resolve(points[0])
        if first == "from":
            return _open_end(interval), False
        return interval, False
    _merge_year_pair(points, connectors)
    _share_fields(points, default_year, default_month)
    intervals = _resolve_all(points, connectors)
    if len(intervals) == 1 and first == "from":
        return _open_end(intervals[0]), False
    return _combine(intervals), False


_NOT_MEANINGFUL = frozenset(("filler", "sep", "dash"))


def _recurring_over(recurrence: str, default_month: int | None) -> _Point:
    """The period a recurrence alone runs over: the (default) year, or the default month for a
    weekly one ("еженедельно" in a month's plan is every week of that month)."""
    whole = _Point()
    if recurrence == "weekly" and default_month is not None:
        whole.this_month = True
    else:
        whole.whole = True
    return whole


def _simple(tokens: list[Token], default_year: int | None) -> _Interval | None:
    """The commonest shapes, read without grouping points (the grammar's reading of them; a
    date that does not exist or a span that runs backwards is left to the grammar, which says
    what is wrong): a day, days or a month, or months, with or without the year ("28 февраля
    2024 г.", "4-5 апреля", "12.03.2025", "Май 2024 г.", "май-июнь")."""
    count = len(tokens)
    if not 0 < count < 7 or tokens[0][0] not in _SIMPLE_STARTS:
        return None
    if tokens[-1][0] == "yearword":
        count -= 1
    kind = tokens[0][0]
    if kind == "date":  # "12.03.2025", "12.03.2025 г."
        day, month, year = tokens[0][1]  # type: ignore[misc]
        return _days_of(year, month, day, day) if count == 1 and year is not None else None
    if count > 1 and tokens[count - 1][0] == "num" and len(tokens[count - 1][2]) == 4:
        year = tokens[count - 1][1]
        count -= 1
        if not 1000 <= year <= 2999:  # type: ignore[operator]
            return None
    else:
        year = default_year
    if year is None:
        return None
    if kind == "month":
        return _simple_months(tokens, count, year)  # type: ignore[arg-type]
    if len(tokens[0][2]) <= 2:  # a day
        return _simple_days(tokens, count, year)  # type: ignore[arg-type]
    return None


_SIMPLE_STARTS = frozenset(("month", "num", "date"))


def _simple_months(tokens: list[Token], count: int, year: int) -> _Interval | None:
    """ "Май", "май-июнь" of one year."""
    first: int = tokens[0][1]  # type: ignore[assignment]
    if count == 1:
        return (date(year, first, 1), month_end(year, first), "month")
    if count == 3 and tokens[1] is _DASH and tokens[2][0] == "month":
        last: int = tokens[2][1]  # type: ignore[assignment]
        if first < last:
            return (date(year, first, 1), month_end(year, last), "months")
    return None


def _simple_days(tokens: list[Token], count: int, year: int) -> _Interval | None:
    """ "28 февраля", "4-5 апреля" of one year."""
    if count == 2 and tokens[1][0] == "month":
        day: int = tokens[0][1]  # type: ignore[assignment]
        return _days_of(year, tokens[1][1], day, day)  # type: ignore[arg-type]
    if (
        count == 4
        and tokens[1] is _DASH
        and tokens[2][0] == "num"
        and len(tokens[2][2]) <= 2
        and tokens[3][0] == "month"
    ):
        return _days_of(year, tokens[3][1], tokens[0][1], tokens[2][1])  # type: ignore[arg-type]
    return None


def _days_of(year: int, month: int, first: int, last: int) -> _Interval | None:
    if not 1 <= first <= last:
        return None
    try:
        return (
            date(year, month, first),
            date(year, month, last),
            "day" if first == last else "days",
        )
    except ValueError:
        return None


def _open_end(only: _Interval) -> _Interval:
    """ "с 1 марта 2024 г.": from that day to the end of its year."""
    year_end = date(only[0].year, 12, 31)
    if only[2] in _DAY_LIKE:
        until = (year_end, year_end, "day")
    else:
        until = (date(year_end.year, 12, 1), year_end, "month")
    return _combine([only, until])


def _read_deadline(
    tokens: list[Token], inclusive: bool, default_year: int | None, default_month: int | None
) -> tuple[_Interval, bool]:
    """ "до 15 марта" ends on that day; "до марта" the day before March; "до конца марта" on 31."""
    until_end = any(token[0] == "part" and token[1] == 3 for token in tokens)
    tokens = [token for token in tokens if token[0] != "part"]
    points, connectors = _points(tokens)
    if not points:
        raise _NotUnderstood(_("не указана дата срока"))
    _share_fields(points, default_year, default_month)
    point = _resolve_all(points, connectors)[-1]
    if point[2] in ("day", "days") or inclusive or until_end:
        end = point[1]
    else:
        end = point[0] - timedelta(days=1)
        if point[2] == "month":
            end = month_end(end.year, end.month)
    precision = {"days": "day", "months": "month", "years": "year"}.get(point[2], point[2])
    start_year = default_year if default_year and default_year <= end.year else end.year
    return (date(start_year, 1, 1), end, precision), True


def _points(tokens: list[Token]) -> tuple[list[_Point], list[str]]:
    """Group tokens into points, with the connector ("span" or "list") between each pair."""
    grouping = _Grouping()
    reader_of = _READERS.get
    for position, (kind, value, raw) in enumerate(tokens):
        reader = reader_of(kind)
        if reader is not None:
            reader(grouping, value, raw, tokens, position)
    return grouping.finish()


class _Grouping:
    """The points read so far, the connectors between them and an ordinal waiting for its unit
    ("I" in "I–II квартал"): what the token readers below share while `_points` runs."""

    __slots__ = ("connectors", "pending", "point", "points")

    def __init__(self) -> None:
        self.point = _Point()
        self.points = [self.point]
        self.connectors: list[str] = []
        self.pending: int | None = None

    def begin(self, connector: str) -> _Point:
        """Start the next point after `connector`, unless nothing has been said yet."""
        pending = self.pending
        if pending is None:
            if self.point.is_empty():
                return self.point
        else:
            _close(self.point, pending)
            self.pending = None
        self.point = point = _Point()
        self.points.append(point)
        self.connectors.append(connector)
        return point

    def finish(self) -> tuple[list[_Point], list[str]]:
        """The points that say something, each with the connector before it."""
        if self.pending is not None:
            _close(self.point, self.pending)
        points, connectors = self.points, self.connectors
        last_empty = self.point.is_empty()  # nothing after the last comma or dash
        if len(points) == 1:
            return ([] if last_empty else points), connectors
        for point in points[:-1]:
            if point.is_empty():
                break
        else:
            return (points[:-1], connectors[:-1]) if last_empty else (points, connectors)
        kept = [
            (p, connectors[i - 1] if i else "") for i, p in enumerate(points) if not p.is_empty()
        ]
        return [pair[0] for pair in kept], [pair[1] for pair in kept[1:]]


# -- one reader per kind of token: (grouping, value, raw, tokens, position) -------------------


def _on_date(g: _Grouping, value: object, raw: str, tokens: list[Token], position: int) -> None:
    """ "28.02.2024", "28.02"; a second date right after one starts the next point of a list
    (though no comma or "и" came between)."""
    point = g.point
    if point.day or point.month:
        point = g.begin("list")
    point.day, point.month, year = value  # type: ignore[misc]
    if year is not None:
        point.year = year


def _on_month_year(
    g: _Grouping, value: object, raw: str, tokens: list[Token], position: int
) -> None:
    """ "03.2025": a month and its year at once."""
    point = g.point
    if point.month:
        point = g.begin("list")
    point.month, point.year = value  # type: ignore[misc]


def _on_number(g: _Grouping, value: object, raw: str, tokens: list[Token], position: int) -> None:
    """A year ("2024"), a count before its unit ("1-2 квартал") or a day ("5 марта")."""
    number: int = value  # type: ignore[assignment]
    point = g.point
    if (
        len(raw) == 2
        and point.month
        and point.year is None
        and position + 1 < len(tokens)
        and tokens[position + 1][0] == "yearword"
    ):
        point.year = 2000 + number  # "05.01. 23г", "5 января 23 г.": a two-digit year
    elif len(raw) == 4 and 1000 <= number <= 2999:
        if point.year:
            point = g.begin("list")
        point.year = number
    elif position + 1 < len(tokens) and tokens[position + 1][0] == "unit":
        g.pending = number
    elif 1 <= number <= 31 and len(raw) <= 2:
        if point.day:
            point = g.begin("list")
        point.day = number
    else:
        raise _NotUnderstood(_("не распознано число «%(number)s»") % {"number": raw})


def _on_ordinal(g: _Grouping, value: object, raw: str, tokens: list[Token], position: int) -> None:
    """A day before its month ("15-го марта"), otherwise the number of a unit to come."""
    following = tokens[position + 1] if position + 1 < len(tokens) else None
    if following is not None and following[0] == "month" and raw[0].isdigit():
        g.point.day = value  # type: ignore[assignment]
    else:
        g.pending = value  # type: ignore[assignment]


def _on_unit(g: _Grouping, value: object, raw: str, tokens: list[Token], position: int) -> None:
    """ "квартал", "декада", "половина": the waiting number says which one."""
    if value == "halfpart":
        g.point.halfpart = g.pending
    else:
        g.point.unit, g.point.index = value, g.pending  # type: ignore[assignment]
        if g.pending is None and value in _UNITS_OF_A_MONTH:
            g.point.this_unit = True  # "в течение квартала": the quarter of the plan's month
    g.pending = None


_UNITS_OF_A_MONTH = {"quarter": 3, "half": 6}


def _on_part(g: _Grouping, value: object, raw: str, tokens: list[Token], position: int) -> None:
    """ "начало", "середина", "конец": a third of the month (a decade)."""
    g.point.part = value  # type: ignore[assignment]


def _on_month(g: _Grouping, value: object, raw: str, tokens: list[Token], position: int) -> None:
    """ "марта"; a second month right after one starts the next point."""
    point = g.point
    if point.month:
        point = g.begin("list")
    point.month = value  # type: ignore[assignment]


def _on_season(g: _Grouping, value: object, raw: str, tokens: list[Token], position: int) -> None:
    """ "весна", "летом"; a second season right after one starts the next point."""
    point = g.point
    if point.season:
        point = g.begin("list")
    point.season = value  # type: ignore[assignment]


def _on_span(g: _Grouping, value: object, raw: str, tokens: list[Token], position: int) -> None:
    """A dash, "по" or "до" between two points."""
    g.begin("span")


def _on_list(g: _Grouping, value: object, raw: str, tokens: list[Token], position: int) -> None:
    """A comma or "и" between two points."""
    g.begin("list")


def _on_whole(g: _Grouping, value: object, raw: str, tokens: list[Token], position: int) -> None:
    """ "года", "весь период": the (default) year."""
    g.point.whole = True


def _on_this_month(
    g: _Grouping, value: object, raw: str, tokens: list[Token], position: int
) -> None:
    """ "месяца": the (default) month."""
    g.point.this_month = True


def _on_academic(g: _Grouping, value: object, raw: str, tokens: list[Token], position: int) -> None:
    """ "учебный год"."""
    g.point.academic = True


_READERS = {
    "num": _on_number,
    "month": _on_month,
    "date": _on_date,
    "yearword": _on_whole,
    "dash": _on_span,
    "before": _on_span,
    "sep": _on_list,
    "ordinal": _on_ordinal,
    "unit": _on_unit,
    "part": _on_part,
    "season": _on_season,
    "monthyear": _on_month_year,
    "whole": _on_whole,
    "monthword": _on_this_month,
    "academic": _on_academic,
}


def _close(point: _Point, pending: int | None) -> None:
    """An ordinal with no unit after it ("I" in "I–II квартал") waits for its neighbour's."""
    if pending is not None and point.index is None and point.unit is None:
        point.index = pending


def _share_fields(
    points: list[_Point], default_year: int | None, default_month: int | None
) -> None:
    """Fill what each point lacks from its neighbours, then from the defaults."""
    for i in range(len(points) - 2, -1, -1):
        _borrow_from_right(points[i], points[i + 1])
    for i in range(1, len(points)):
        left, right = points[i - 1], points[i]
        if right.year is None and left.year is not None:
            right.year, right.year_borrowed = left.year, "left"
    for point in points:
        _fill_from_defaults(point, default_year, default_month)


def _borrow_from_right(left: _Point, right: _Point) -> None:
    """A start takes what only its end says: "1-2 кв.", "28 февраля – 3 марта 2024 г."."""
    if right.unit and left.day and not (left.month or left.index or left.year):
        left.day, left.index = None, left.day  # "1-2 кв.", "1-2 декада мая"
    if left.unit is None and left.index is not None:
        left.unit = right.unit
    if left.month is None and (left.day or left.part or left.unit == "decade"):
        left.month = right.month
    if left.month is None and left.halfpart and right.month:
        left.month = right.month
    if left.year is None and right.year is not None:
        left.year, left.year_borrowed = right.year, "right"


def _fill_from_defaults(point: _Point, default_year: int | None, default_month: int | None) -> None:
    """The plan's year for a point without one, and its month for a day or "месяца" without
    one; a phrase that needs a default it was not given is not understood."""
    if point.year is None:
        if default_year is None:
            raise _NotUnderstood(_("год не указан"))
        point.year, point.year_borrowed = default_year, "default"
    if (point.this_month or point.day) and point.month is None:
        if default_month is None:
            raise _NotUnderstood(_("месяц не указан"))
        point.month = default_month
    if point.this_unit and point.index is None and point.unit is not None:
        if default_month is None:
            if point.unit == "quarter":
                raise _NotUnderstood(_("квартал не указан"))
            raise _NotUnderstood(_("полугодие не указано"))
        point.index = (default_month - 1) // _UNITS_OF_A_MONTH[point.unit] + 1


def _merge_year_pair(points: list[_Point], connectors: list[str]) -> None:
    """ "2024–2025 учебный год" and "зима 2024–2025": two years that name one period."""
    if len(points) != 2:
        return
    left, right = points
    if not (left.year and right.year):
        return
    years_only = all(
        p.year and not (p.day or p.month or p.index or p.part or p.halfpart) for p in points
    )
    if not years_only or left.year is None or right.year is None:
        return
    if left.academic or right.academic:
        merged = _Point()
        merged.year, merged.academic = right.year, True
        points[:], connectors[:] = [merged], []
    elif "winter" in (left.season, right.season) and right.year == left.year + 1:
        merged = _Point()
        merged.year, merged.season = right.year, "winter"
        points[:], connectors[:] = [merged], []


NIGHT_ENDS = time(6, 0)  # an end before its start up to this hour is the next morning's
_LATE_MONTH, _EARLY_MONTH = 11, 2  # a list of days from November or December into January, February


def _resolve_all(points: list[_Point], connectors: list[str]) -> list[_Interval]:
    intervals = [_resolve(point) for point in points]
    # "декабрь – январь 2025 г.": a start that borrowed its year and lands after the end moves
    # to the year before; an end that borrowed its year from the start moves to the year after.
    for i, connector in enumerate(connectors):
        if intervals[i][0] <= intervals[i + 1][1]:
            continue
        left, right = points[i], points[i + 1]
        if connector != "span":
            # "12 декабря, 13 января": days listed over the New Year, the later in the next
            # ("Август, март", "Сентябрь, март": months listed in the plan's order run on into
            # the next year, as days do only over the New Year)
            months = left.day is None and right.day is None and left.month and right.month
            turn = months or (
                intervals[i][0].month >= _LATE_MONTH and intervals[i + 1][1].month <= _EARLY_MONTH
            )
            if turn and left.year_borrowed == "right" and left.year is not None:
                left.year -= 1  # "30 декабря, 3 января 2012"
                intervals[i] = _resolve(left)
            elif (
                right.year_borrowed in ("left", "default")
                and right.year is not None
                and (
                    turn
                    or (
                        intervals[i + 1][1].month <= _EARLY_MONTH
                        and intervals[i][0].year > right.year
                    )
                )
            ):
                right.year = intervals[i][0].year + (
                    intervals[i][0].month > intervals[i + 1][1].month
                )
                intervals[i + 1] = _resolve(right)
            continue
        if left.year_borrowed == "right" and left.year is not None:
            left.year -= 1
            intervals[i] = _resolve(left)
        elif right.year_borrowed in ("left", "default") and right.year is not None:
            right.year += 1
            intervals[i + 1] = _resolve(right)
        if intervals[i][0] > intervals[i + 1][1]:
            raise _NotUnderstood(_("начало позже конца"))
    return intervals


def _resolve(point: _Point) -> _Interval:
    """The interval of one point: a day, a part of a month, a month, or a longer period."""
    year: int = point.year  # type: ignore[assignment]  # _fill_from_defaults filled it
    month = point.month
    if point.day:
        return _resolve_day(point.day, month, year)
    if month is not None and not 1 <= month <= 12:
        raise _NotUnderstood(_("несуществующий месяц: %(month)s") % {"month": month})
    if point.halfpart:
        return _resolve_halfpart(point.halfpart, month, year)
    if point.part or point.unit == "decade":
        return _resolve_decade(point, month, year)
    if month is not None:
        return (date(year, month, 1), month_end(year, month), "month")
    return _resolve_period(point, year)


def _resolve_day(day: int, month: int | None, year: int) -> _Interval:
    """A day must have a month and exist ("31 июня" does not)."""
    if month is None:
        raise _NotUnderstood(_("месяц не указан"))
    try:
        found = date(year, month, day)
    except ValueError:
        raise _NotUnderstood(
            _("несуществующая дата: %(day)02d.%(month)02d.%(year)s")
            % {"day": day, "month": month, "year": year}
        ) from None
    return (found, found, "day")


def _resolve_halfpart(half: int, month: int | None, year: int) -> _Interval:
    """ "первая половина мая" is 1–15 May; without a month the half is of the year."""
    if half not in (1, 2):
        raise _NotUnderstood(_("половина может быть только первой или второй"))
    if month is None:
        return _half_year(year, half)
    if half == 1:
        return (date(year, month, 1), date(year, month, 15), "days")
    return (date(year, month, 16), month_end(year, month), "days")


def _resolve_decade(point: _Point, month: int | None, year: int) -> _Interval:
    """ "начало марта", "II декада мая": days 1–10, 11–20 or 21 to the month's end."""
    decade = point.part or (point.index if point.unit == "decade" else None)
    if month is None:
        raise _NotUnderstood(_("не указан месяц декады"))
    if decade not in (1, 2, 3):
        raise _NotUnderstood(_("декада может быть только I, II или III"))
    first = date(year, month, 1 + 10 * (decade - 1))
    last = month_end(year, month) if decade == 3 else date(year, month, 10 * decade)
    return (first, last, "decade")


def _resolve_period(point: _Point, year: int) -> _Interval:
    """A point without a month: a quarter, a half-year, a season, an academic year or the year."""
    if point.unit == "quarter":
        if point.index not in (1, 2, 3, 4):
            raise _NotUnderstood(_("квартал может быть только I–IV"))
        first_month = 3 * point.index - 2
        return (date(year, first_month, 1), month_end(year, first_month + 2), "quarter")
    if point.unit == "half":
        if point.index not in (1, 2):
            raise _NotUnderstood(_("полугодие может быть только первым или вторым"))
        return _half_year(year, point.index)
    if point.index is not None:
        raise _NotUnderstood(
            _("не понятно, к чему относится номер %(number)s") % {"number": point.index}
        )
    if point.season:
        return _season(point.season, year)
    if point.academic:
        return (date(year - 1, 9, 1), date(year, 5, 31), "months")
    return (date(year, 1, 1), date(year, 12, 31), "year")


def _season(season: str, year: int) -> _Interval:
    """A season of the year; winter is the one that ends in it (December of the year before)."""
    if season == "winter":
        return (date(year - 1, 12, 1), month_end(year, 2), "season")
    first_month, last_month = lx.SEASON_MONTHS[season]
    return (date(year, first_month, 1), month_end(year, last_month), "season")


def _half_year(year: int, half: int) -> _Interval:
    if half == 1:
        return (date(year, 1, 1), date(year, 6, 30), "half")
    return (date(year, 7, 1), date(year, 12, 31), "half")


def _combine(intervals: list[_Interval]) -> _Interval:
    """One interval from several points: from the earliest start to the latest end."""
    if len(intervals) == 1:
        return intervals[0]
    starts, ends, kinds = zip(*intervals, strict=True)
    start, end, precisions = min(starts), max(ends), set(kinds)
    if precisions <= _YEAR_LIKE:
        precision = "year" if start.year == end.year else "years"
    elif precisions & _DAY_LIKE:
        precision = "day" if start == end else "days"
    else:
        same_month = (start.year, start.month) == (end.year, end.month)
        precision = "month" if same_month else "months"
    return (start, end, precision)
