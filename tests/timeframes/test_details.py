"""Warnings, defaults, the canonical texts of the issue, and the library's purity."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, time

import pytest

from civicplan.timeframes import Timeframe, format, parse, parser
from tests.timeframes.conftest import load_table


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        ("31 февраля 2024 г.", "несуществующая дата: 31.02.2024"),
        ("29 февраля 2025 г.", "несуществующая дата: 29.02.2025"),
        ("30-31 июня 2025 г.", "несуществующая дата: 31.06.2025"),
        ("когда-нибудь потом", "не распознано: «когда-нибудь потом»"),
        ("март", "год не указан"),
        ("15", "год не указан"),
    ],
)
def test_what_is_not_understood_is_said(text: str, warning: str) -> None:
    tf = parse(text)
    assert (tf.start, tf.end, tf.precision) == (None, None, "unknown")
    assert tf.warning == warning


@pytest.mark.parametrize(
    "text", ["по согласованию", "По отдельному плану", "по мере необходимости", "—", "", "  "]
)
def test_phrases_without_a_date_are_not_warnings(text: str) -> None:
    tf = parse(text, default_year=2024)
    assert (tf.precision, tf.start, tf.warning) == ("unknown", None, None)


def test_words_left_over_beside_a_date_are_named() -> None:
    tf = parse("15 мая 2024 г. (предварительно)")
    assert (tf.start, tf.precision) == (date(2024, 5, 15), "day")
    assert tf.warning == "проигнорировано: «(предварительно)»"


def test_a_day_without_month_takes_the_default_month() -> None:
    tf = parse("5 (четверг)", default_year=2025, default_month=3)
    assert (tf.start, tf.end, tf.precision, tf.warning) == (
        date(2025, 3, 5),
        date(2025, 3, 5),
        "day",
        None,
    )
    assert parse("5 (четверг)", default_year=2025).warning == "месяц не указан"


def test_a_recurrence_keeps_the_year_when_the_rest_is_not_understood() -> None:
    tf = parse("ежеквартально, до 10 числа месяца, следующего за отчетным", default_year=2024)
    assert (tf.start, tf.end, tf.precision, tf.recurrence) == (
        date(2024, 1, 1),
        date(2024, 12, 31),
        "year",
        "quarterly",
    )
    assert "ежеквартально" in tf.warning


@pytest.mark.parametrize(
    ("text", "warning", "start_time", "end_time"),
    [
        (
            "15.03.2026 18:00-10:00",
            "время окончания 10:00 раньше времени начала 18:00",
            time(18),
            None,
        ),
        ("16.00-15.00", "время окончания 15:00 раньше времени начала 16:00", time(16), None),
        ("15.03.2026 25:00", "несуществующее время: 25:00", None, None),
        ("15.03.2026 10:00 (обед)", "проигнорировано: «(обед)»", time(10), None),
        ("16.00-16.45 для всех", "проигнорировано: «для всех»", time(16), time(16, 45)),
        ("15 марта 10:00", "год не указан", time(10), None),
        ("15.03.2026 окончание", "проигнорировано: «окончание»", None, None),
        ("15.03.2026 ч.", "проигнорировано: «ч»", None, None),
    ],
)
def test_what_is_wrong_with_a_time_is_said(
    text: str, warning: str, start_time: time | None, end_time: time | None
) -> None:
    tf = parse(text)
    assert (tf.warning, tf.start_time, tf.end_time) == (warning, start_time, end_time)


def test_an_end_time_before_the_start_across_days_is_no_warning() -> None:
    tf = parse("15.03.2026 18:00 – 16.03.2026 10:00")
    assert (tf.start, tf.end, tf.start_time, tf.end_time, tf.warning) == (
        date(2026, 3, 15),
        date(2026, 3, 16),
        time(18),
        time(10),
        None,
    )


@pytest.mark.parametrize(
    ("text", "start", "start_time"),
    [
        # A dd.mm pair is a date unless something says it is a time…
        ("10.12", date(2026, 12, 10), None),
        ("до 10.12", date(2026, 1, 1), None),
        ("с 10.12 по 12.12", date(2026, 12, 10), None),
        ("10.12, 11.12", date(2026, 12, 10), None),
        ("10-12 декабря", date(2026, 12, 10), None),
        # …a whole date before it, "в", "ч.", or minutes no month can be.
        ("15.03.2026 10.12", date(2026, 3, 15), time(10, 12)),
        ("3 июня 10-12", date(2026, 6, 3), time(10, 12)),
        ("в 10.12", None, time(10, 12)),
        ("10.12 ч.", None, time(10, 12)),
        ("10.30", None, time(10, 30)),
        ("11-00", None, time(11)),
    ],
)
def test_a_pair_of_numbers_is_a_date_or_a_time_by_the_rule(
    text: str, start: date | None, start_time: time | None
) -> None:
    tf = parse(text, default_year=2026)
    assert (tf.start, tf.start_time, tf.warning) == (start, start_time, None)


def test_times_are_in_the_dicts_as_hh_mm() -> None:
    tf = parse("22.05.2026 г. с 9-00 до 14-00")
    assert tf.interval_dict() == {
        "text": "22.05.2026 г. с 9-00 до 14-00",
        "start": "2026-05-22",
        "end": "2026-05-22",
        "precision": "day",
        "start_time": "09:00",
        "end_time": "14:00",
    }
    record = tf.as_dict()
    assert (record["start_time"], record["end_time"]) == ("09:00", "14:00")
    assert record["display"] == "22 мая 2026 г., 09:00–14:00"
    assert record["edtf"] == "2026-05-22"
    untimed = parse("Май 2024 г.").as_dict()
    assert (untimed["start_time"], untimed["end_time"]) == (None, None)


@pytest.mark.parametrize(
    ("text", "ru", "en"),
    [
        ("15.03.2026 10:00-12:00", "15 марта 2026 г., 10:00–12:00", "15 March 2026, 10:00–12:00"),
        ("15.03.2026 в 10.00", "15 марта 2026 г., 10:00", "15 March 2026, 10:00"),
        ("15.03.2026 до 14:00", "15 марта 2026 г., до 14:00", "15 March 2026, until 14:00"),
        ("до 15.03.2026 18:00", "До 15 марта 2026 г., 18:00", "By 15 March 2026, 18:00"),
        ("16.00-16.45", "16:00–16:45", "16:00–16:45"),
        ("до 14:00", "До 14:00", "Until 14:00"),
        ("ежемесячно, 10:00", "Ежемесячно, 10:00", "Monthly, 10:00"),
    ],
)
def test_times_are_written_after_the_dates(text: str, ru: str, en: str) -> None:
    tf = parse(text)
    assert (format(tf), format(tf, lang="en")) == (ru, en)


@pytest.mark.parametrize(
    ("text", "ru", "en"),
    [
        ("4-5 апреля 2024 г.", "4-5 апреля 2024 г.", "4–5 April 2024"),
        ("Май-июнь 2024 г.", "Май-июнь 2024 г.", "May–June 2024"),
        ("Первое полугодие 2024 г.", "Первое полугодие 2024 г.", "H1 2024"),
        ("В течение 2024 г.", "В течение 2024 г.", "2024"),
        ("28 февраля 2024 г.", "28 февраля 2024 г.", "28 February 2024"),
        (
            "30 сентября – 2 октября 2024 г.",
            "30 сентября – 2 октября 2024 г.",
            "30 September – 2 October 2024",
        ),
        ("1 кв. 2025", "I квартал 2025 г.", "Q1 2025"),
        ("третья декада мая 2025", "III декада мая 2025 г.", "21–31 May 2025"),
        ("весна 2025 г.", "Весна 2025 г.", "Spring 2025"),
        ("зима 2025", "Зима 2024–2025 гг.", "Winter 2024–2025"),
        ("2024–2025 гг.", "2024–2025 гг.", "2024–2025"),
        ("до 15 марта 2025 г.", "До 15 марта 2025 г.", "By 15 March 2025"),
        ("до конца марта 2025", "До конца марта 2025 г.", "By the end of March 2025"),
        ("ежемесячно в течение 2024 г.", "Ежемесячно, в течение 2024 г.", "Monthly, 2024"),
        ("по согласованию", "Дата уточняется", "Date to be confirmed"),
        (
            "декабрь 2024 – январь 2025 г.",
            "Декабрь 2024 г. – январь 2025 г.",
            "December 2024 – January 2025",
        ),
    ],
)
def test_canonical_texts(text: str, ru: str, en: str) -> None:
    tf = parse(text)
    assert format(tf) == ru
    assert format(tf, lang="en") == en


def test_format_refuses_an_unknown_language() -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        format(Timeframe(text=""), lang="de")


def test_parse_accepts_none_and_non_strings_quietly() -> None:
    assert parse(None).precision == "unknown"  # type: ignore[arg-type]


def test_the_library_does_not_import_django() -> None:
    code = (
        "import sys, civicplan.timeframes as t; t.parse('Май 2024 г.');"
        "print('django' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_the_quick_reading_of_common_shapes_is_the_grammars() -> None:
    """`_simple` reads "28 февраля 2024 г.", "4-5 апреля", "Май-июнь 2024 г." without grouping
    points; on every phrase of the table it gives what the grammar gives, or leaves it."""
    read = 0
    for row in load_table():
        normal = parser._normalise(row.phrase)
        tokens, flags = parser._tokenise(normal, [])
        if flags & parser._RAISED:  # a year ("2024") may be a time ("0900"): decided here
            flags = (flags & ~parser._RAISED) | parser._raised_minutes(tokens, row.default_year)
        if flags or normal in parser._UNDATED_EXACT:
            continue
        simple = parser._simple(tokens, row.default_year)
        if simple is not None:
            read += 1
            grammar = parser._read_grammar(tokens, row.default_year, None, None)
            assert (simple, False) == grammar, row
    assert read >= 50


@pytest.mark.parametrize(
    ("text", "month", "start", "end", "precision"),
    [
        ("в течение месяца", 5, date(2021, 5, 1), date(2021, 5, 31), "month"),
        ("в течение квартала", 8, date(2021, 7, 1), date(2021, 9, 30), "quarter"),
        ("в течение полугодия", 8, date(2021, 7, 1), date(2021, 12, 31), "half"),
    ],
)
def test_this_month_quarter_or_half_is_the_default_months(
    text: str, month: int, start: date, end: date, precision: str
) -> None:
    tf = parse(text, default_year=2021, default_month=month)
    assert (tf.start, tf.end, tf.precision, tf.warning) == (start, end, precision, None)


def test_a_quarter_without_its_month_is_said() -> None:
    assert parse("в течение квартала", default_year=2021).warning == "квартал не указан"
    assert parse("в течение полугодия", default_year=2021).warning == "полугодие не указано"


@pytest.mark.parametrize(
    "text",
    [
        "режим работы 9:00-13:00",
        "(Начало соревнований в 10.00 ч)",
        "04.01.23 в 15 -00",
        "Июнь-июль (по вызову)",
        "15 декабря (10-27 декабря)",
        "21 декабря 2017 — 5 января 2018 По графику",
        "0900 – 1000",
        "1930 2000",
        "• 22 августа",
        "по 10 мая",
    ],
)
def test_the_usual_phrasing_is_no_warning(text: str) -> None:
    assert parse(text, default_year=2024).warning is None


@pytest.mark.parametrize("text", ["еженедельно", "по средам", "каждую среду"])
def test_a_weekly_recurrence_in_a_months_plan_is_that_month(text: str) -> None:
    tf = parse(text, default_year=2024, default_month=6)
    assert (tf.start, tf.end, tf.recurrence, tf.warning) == (
        date(2024, 6, 1),
        date(2024, 6, 30),
        "weekly",
        None,
    )
    assert parse(text, default_year=2024).end == date(2024, 12, 31)  # no month: the year
    assert parse("ежемесячно", default_year=2024, default_month=6).end == date(2024, 12, 31)


def test_a_number_no_date_has_is_a_warning_never_an_error() -> None:
    frame = parse("в течение года (" + "1" * 5000 + ")", default_year=2026)
    assert frame.start is None
    assert frame.warning is not None
    assert len(frame.warning) < 200
