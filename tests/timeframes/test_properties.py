"""Properties that hold for every input: no exceptions, ordered bounds, round trips, EDTF.

Phrases are generated from their meaning (a day, a span, a quarter…) in the many ways plans write
them, so the expected dates come from the generator, not from the parser.
"""

from __future__ import annotations

import calendar
from datetime import date, time

from hypothesis import given, settings
from hypothesis import strategies as st

from civicplan.timeframes import format, parse, parser
from civicplan.timeframes.lexicon import MONTHS_GENITIVE, MONTHS_NOMINATIVE
from tests.timeframes.conftest import edtf_bounds

YEARS = st.integers(min_value=1990, max_value=2099)
MONTHS = st.integers(min_value=1, max_value=12)
DASHES = st.sampled_from(["-", "–", "—", " - ", " – ", " — ", "−"])
YEAR_MARKS = st.sampled_from(["", " г.", " г", " года", " год", " Г."])
ROMAN = ("I", "II", "III", "IV")
ORDINAL_NEUTER = ("Первое", "Второе")


def _last(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _case(draw: st.DrawFn, text: str) -> str:
    return draw(st.sampled_from([text, text.lower(), text.upper(), text.capitalize()]))


@st.composite
def phrases(draw: st.DrawFn) -> tuple[str, date, date, str]:
    """A phrase with the start, end and precision it means."""
    year = draw(YEARS)
    form = draw(
        st.sampled_from(
            [
                "day",
                "days",
                "days-across",
                "numeric",
                "month",
                "months",
                "quarter",
                "half",
                "decade",
                "season",
                "year",
                "years",
            ]
        )
    )
    month = draw(MONTHS)
    mark = draw(YEAR_MARKS)
    if form in ("quarter", "half", "season", "year", "years"):
        return _period_phrase(draw, form, year, mark)
    return _month_phrase(draw, form, year, month, mark)


def _month_phrase(
    draw: st.DrawFn, form: str, year: int, month: int, mark: str
) -> tuple[str, date, date, str]:
    """Days, a decade, a month or months: the forms that name a month."""
    last = _last(year, month)
    if form == "day":
        day = draw(st.integers(1, last))
        text = f"{day} {MONTHS_GENITIVE[month - 1]} {year}{mark}"
        return _case(draw, text), date(year, month, day), date(year, month, day), "day"
    if form == "days":
        first = draw(st.integers(1, last - 1))
        second = draw(st.integers(first + 1, last))
        joined = draw(
            st.sampled_from(
                [f"{first}{draw(DASHES)}{second}", f"с {first} по {second}", f"{first} - {second}"]
            )
        )
        text = f"{joined} {MONTHS_GENITIVE[month - 1]} {year}{mark}"
        return _case(draw, text), date(year, month, first), date(year, month, second), "days"
    if form == "days-across":
        month = draw(st.integers(1, 11))
        first = draw(st.integers(1, _last(year, month)))
        second_month = draw(st.integers(month + 1, 12))
        second = draw(st.integers(1, _last(year, second_month)))
        text = (
            f"{first} {MONTHS_GENITIVE[month - 1]}{draw(DASHES)}"
            f"{second} {MONTHS_GENITIVE[second_month - 1]} {year}{mark}"
        )
        return text, date(year, month, first), date(year, second_month, second), "days"
    if form == "numeric":
        day = draw(st.integers(1, last))
        short = draw(st.booleans()) and year >= 2000
        shown = f"{year % 100:02d}" if short else str(year)
        text = f"{day:02d}.{month:02d}.{shown}"
        return text, date(year, month, day), date(year, month, day), "day"
    if form == "month":
        text = f"{MONTHS_NOMINATIVE[month - 1]} {year}{mark}"
        return _case(draw, text), date(year, month, 1), date(year, month, last), "month"
    if form == "months":
        month = draw(st.integers(1, 11))
        second = draw(st.integers(month + 1, 12))
        text = f"{MONTHS_NOMINATIVE[month - 1]}{draw(DASHES)}{MONTHS_NOMINATIVE[second - 1]} {year}"
        end = date(year, second, _last(year, second))
        return _case(draw, text + mark), date(year, month, 1), end, "months"
    if form == "decade":
        decade = draw(st.integers(1, 3))
        name = draw(
            st.sampled_from(
                [
                    f"{ROMAN[decade - 1]} декада",
                    f"{decade} декада",
                    ("начало", "середина", "конец")[decade - 1],
                ]
            )
        )
        first = 1 + 10 * (decade - 1)
        end_day = last if decade == 3 else 10 * decade
        text = f"{name} {MONTHS_GENITIVE[month - 1]} {year}{mark}"
        return _case(draw, text), date(year, month, first), date(year, month, end_day), "decade"
    raise AssertionError(form)


def _period_phrase(draw: st.DrawFn, form: str, year: int, mark: str) -> tuple[str, date, date, str]:
    """A quarter, a half-year, a season, the year or years: periods of whole months."""
    if form == "quarter":
        quarter = draw(st.integers(1, 4))
        name = draw(
            st.sampled_from(
                [f"{ROMAN[quarter - 1]} квартал", f"{quarter} кв.", f"{quarter}-й квартал"]
            )
        )
        end_month = quarter * 3
        end = date(year, end_month, _last(year, end_month))
        return _case(draw, f"{name} {year}{mark}"), date(year, end_month - 2, 1), end, "quarter"
    if form == "half":
        half = draw(st.integers(1, 2))
        name = draw(
            st.sampled_from(
                [
                    f"{ORDINAL_NEUTER[half - 1]} полугодие",
                    f"{ROMAN[half - 1]} полугодие",
                    f"{half} полугодие",
                ]
            )
        )
        start, end = (
            (date(year, 1, 1), date(year, 6, 30))
            if half == 1
            else (date(year, 7, 1), date(year, 12, 31))
        )
        return _case(draw, f"{name} {year}{mark}"), start, end, "half"
    if form == "season":
        season, first_month = draw(st.sampled_from([("весна", 3), ("лето", 6), ("осень", 9)]))
        end = date(year, first_month + 2, _last(year, first_month + 2))
        return _case(draw, f"{season} {year}{mark}"), date(year, first_month, 1), end, "season"
    if form == "year":
        text = draw(st.sampled_from([f"В течение {year}{mark}", f"{year}{mark}"]))
        return _case(draw, text), date(year, 1, 1), date(year, 12, 31), "year"
    last_year = draw(st.integers(year + 1, 2100))
    text = f"{year}{draw(DASHES)}{last_year} гг."
    return text, date(year, 1, 1), date(last_year, 12, 31), "years"


@settings(max_examples=300)
@given(st.text())
def test_parse_never_raises_and_keeps_bounds_ordered(text: str) -> None:
    tf = parse(text)
    assert (tf.start is None) == (tf.end is None)
    if tf.start is not None:
        assert tf.start <= tf.end
    assert tf.text == text


@settings(max_examples=300)
@given(
    st.lists(
        st.sampled_from(
            [
                "1",
                "15",
                "31",
                "2024",
                "25",
                "марта",
                "май",
                "-",
                "–",
                "по",
                "с",
                "до",
                "I",
                "IV",
                "квартал",
                "полугодие",
                "декада",
                "половина",
                "первая",
                "конец",
                "весна",
                "зима",
                "ежемесячно",
                "г.",
                "года",
                "(",
                ")",
                ",",
                "12.03.2025",
                "12.03",
                "учебный",
                "и",
                "10:00",
                "10.00",
                "10.12",
                "11-00",
                "ч.",
                "в",
                "по вторникам",
            ]
        ),
        max_size=8,
    ).map(" ".join),
    st.one_of(st.none(), YEARS),
)
def test_word_salad_never_raises(text: str, default_year: int | None) -> None:
    tf = parse(text, default_year=default_year)
    if tf.start is not None:
        assert tf.start <= tf.end
        assert edtf_bounds(tf.edtf) == (tf.start, tf.end)
        again = parse(format(tf), default_year=default_year if tf.deadline else None)
        assert (again.start, again.end, again.precision) == (tf.start, tf.end, tf.precision)
        assert (again.start_time, again.end_time) == (tf.start_time, tf.end_time)
    if tf.start_time is not None and tf.end_time is not None and tf.start == tf.end:
        assert tf.start_time <= tf.end_time


@settings(max_examples=500)
@given(phrases())
def test_generated_phrases_read_to_their_meaning(case: tuple[str, date, date, str]) -> None:
    text, start, end, precision = case
    tf = parse(text)
    assert (tf.start, tf.end, tf.precision) == (start, end, precision), tf.warning
    assert tf.warning is None


@settings(max_examples=500)
@given(phrases(), st.sampled_from([None, "weekly", "monthly", "quarterly", "yearly"]))
def test_format_then_parse_gives_back_the_same(
    case: tuple[str, date, date, str], recurrence: str | None
) -> None:
    prefix = {
        "weekly": "еженедельно, ",
        "monthly": "ежемесячно, ",
        "quarterly": "ежеквартально, ",
        "yearly": "ежегодно, ",
    }.get(recurrence or "", "")
    tf = parse(prefix + case[0])
    for lang in ("ru", "en"):
        assert format(tf, lang)
    again = parse(format(tf))
    assert (again.start, again.end, again.precision, again.recurrence) == (
        tf.start,
        tf.end,
        tf.precision,
        tf.recurrence,
    )


@settings(max_examples=500)
@given(phrases())
def test_every_edtf_parses_to_the_same_bounds(case: tuple[str, date, date, str]) -> None:
    tf = parse(case[0])
    assert edtf_bounds(tf.edtf) == (tf.start, tf.end)


@st.composite
def times_of_day(draw: st.DrawFn) -> tuple[str, time, time | None]:
    """A time or a span of times in the ways plans write them, with what it means. Each form
    is a time in any context (a colon, "в", "ч.", "с … до …" with hyphens, minutes no month
    or day can be), so it can follow any date phrase."""
    hour = draw(st.integers(0, 22))
    minute = draw(st.sampled_from([0, 15, 30, 45]))
    last = draw(st.integers(hour + 1, 23))
    last_minute = draw(st.sampled_from([0, 15, 30, 45]))
    start, end = time(hour, minute), time(last, last_minute)
    short = f"{hour}:{minute:02d}"
    form = draw(st.integers(0, 8))
    if form == 0:
        return draw(st.sampled_from([short, f"{hour:02d}:{minute:02d}"])), start, None
    if form == 1:
        return f"{short}{draw(DASHES)}{last}:{last_minute:02d}", start, end
    if form == 2:
        return f"в {hour}.{minute:02d}", start, None
    if form == 3:
        return f"с {hour}-{minute:02d} до {last}-{last_minute:02d}", start, end
    if form == 4:
        return f"в {hour} ч.", time(hour), None
    if form == 5:
        return f"{hour:02d}.00 ч.", time(hour), None
    if form == 6:
        return f"с {hour} до {last} ч.", time(hour), time(last)
    if form == 7:
        return f"({short}-{last}:{last_minute:02d})", start, end
    return f"{hour}.{minute:02d}-{last}.{last_minute:02d} (мск)", start, end


@settings(max_examples=500)
@given(phrases(), times_of_day(), st.sampled_from([" ", ", "]))
def test_a_time_after_any_date_keeps_the_dates(
    case: tuple[str, date, date, str], clock: tuple[str, time, time | None], joint: str
) -> None:
    text, start, end, precision = case
    words, start_time, end_time = clock
    tf = parse(text + joint + words)
    assert (tf.start, tf.end, tf.precision) == (start, end, precision), tf.warning
    assert (tf.start_time, tf.end_time) == (start_time, end_time)
    assert tf.warning is None
    again = parse(format(tf))
    assert (again.start, again.end, again.precision, again.start_time, again.end_time) == (
        start,
        end,
        precision,
        start_time,
        end_time,
    )


@settings(max_examples=200)
@given(times_of_day(), st.one_of(st.none(), YEARS))
def test_times_alone_give_no_dates(clock: tuple[str, time, time | None], year: int | None) -> None:
    words, start_time, end_time = clock
    tf = parse(words, default_year=year)
    assert (tf.start, tf.end, tf.precision, tf.warning) == (None, None, "unknown", None)
    assert (tf.start_time, tf.end_time) == (start_time, end_time)


@settings(max_examples=300)
@given(phrases(), st.one_of(st.none(), YEARS))
def test_the_quick_reading_is_the_grammars(
    case: tuple[str, date, date, str], default_year: int | None
) -> None:
    normal = parser._normalise(case[0])
    tokens, flags = parser._tokenise(normal, [])
    simple = None if flags else parser._simple(tokens, default_year)
    if simple is not None:
        assert (simple, False) == parser._read_grammar(tokens, default_year, None, None)
