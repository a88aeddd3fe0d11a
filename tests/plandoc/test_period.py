"""The year (and month) a plan is for, from what its document says (plandoc.period)."""

from __future__ import annotations

from datetime import date

import pytest

from civicplan.plandoc import read_plan
from civicplan.plandoc.period import PlanPeriod, plan_period, title_day, title_span


@pytest.mark.parametrize(
    ("title", "rows", "expected"),
    [
        ("ПЛАН ДЕЯТЕЛЬНОСТИ АССОЦИАЦИИ НА 2026 ГОД", (), PlanPeriod(2026)),
        ("План работы библиотеки в 2025 году", (), PlanPeriod(2025)),
        ("План воспитательной работы на 2024/2025 учебный год", (), PlanPeriod(2024, None, True)),
        ("План на 2024-2025 уч. год", (), PlanPeriod(2024)),  # «уч.» alone is not «учебный»
        ("План мероприятий на март 2026 года", (), PlanPeriod(2026, 3)),
        ("План мероприятий на май месяц", ("01.05.15г.", "09.05.15г."), PlanPeriod(2015, 5)),
        ("Программа «Здоровье» на 2024 - 2030 годы", (), PlanPeriod(2024)),
        ("Новогодние праздники (2007 - 2008 г.г.)", (), PlanPeriod(2007, two_years=True)),
        ("План к 65-й годовщине Победы в войне 1941 – 1945 гг.", (), PlanPeriod(2010)),
        ("Мероприятия к 80-летию Победы", (), PlanPeriod(2025)),
        ("Утверждён распоряжением от 12 января 2026 г. № 5. План", (), PlanPeriod(2026)),
        ("Приложение к постановлению от 28.04.2008 № 717. План", (), PlanPeriod(2008)),
        ("План мероприятий", ("15.03.2026", "20.04.2026", "в течение года"), PlanPeriod(2026)),
        ("План мероприятий", (), PlanPeriod(None)),
        ("Утверждаю «___» 2016 г. Календарный план на 2017 год", (), PlanPeriod(2017)),
        ("Праздник 1941 — 1945 годов", (), PlanPeriod(None)),
    ],
)
def test_the_year_from_the_document(
    title: str, rows: tuple[str, ...], expected: PlanPeriod
) -> None:
    assert plan_period(title, rows) == expected


def test_a_school_year_puts_autumn_in_its_first_year_and_spring_in_its_second() -> None:
    plan = read_plan(
        "План работы на 2024/2025 учебный год\nСроки\tМероприятие\n"
        "Сентябрь\tЛинейка\nЯнварь\tЛыжня\nАвгуст\tПедсовет\nАвгуст - сентябрь\tАкция\n".encode(),
        "plan.txt",
    )
    starts = [activity.when.start for activity in plan.activities]
    assert starts == [date(2024, 9, 1), date(2025, 1, 1), date(2024, 8, 1), date(2024, 8, 1)]


def test_a_plan_over_two_years_in_turn_puts_the_months_before_its_first_in_the_second() -> None:
    plan = read_plan(
        "План новогодних мероприятий 2019-2020 г.г.\nДата\tМероприятие\n"
        "27 декабря\tСтарт\n3 января\tТурнир\n".encode(),
        "plan.txt",
    )
    assert [activity.when.start for activity in plan.activities] == [
        date(2019, 12, 27),
        date(2020, 1, 3),
    ]


def test_the_year_an_event_is_named_for_when_nothing_else_gives_one() -> None:
    titles = [
        "Городской праздник с заключительным этапом конкурса «Семья года-2004»",
        "Возложение цветов к Монументу матери",
    ]
    assert plan_period("", ["28 ноября 11.00", "29 ноября"], titles).year == 2004
    # history in a title is not the plan's year, and the title's own year comes first
    assert plan_period("", ["9 мая"], ["Митинг «1941–1945»"]).year is None
    assert plan_period("План на 2025 год", [], ["Кубок-2024"]).year == 2025


@pytest.mark.parametrize(
    ("title", "span"),
    [
        ("ПЛАН месячника с 21 января по 23 февраля 2022 г.", "с 21 января по 23 февраля 2022"),
        ("План работы музея на 3 квартал 2021 года", "3 квартал 2021"),
        ("План мероприятий в 2022 - 2023 учебном году", "2022 - 2023 учебном году"),
        ("План мероприятий на 2024 год", None),
    ],
)
def test_the_span_a_title_names(title: str, span: str | None) -> None:
    assert title_span(title) == span


def test_rows_during_the_plans_span_take_it() -> None:
    plan = read_plan(
        "ПЛАН проведения месячника с 21 января по 23 февраля 2022 г.\n"
        "№\tНаименование мероприятий\tСрок исполнения\tОтветственные\n"
        "1\tОткрытие месячника\t21.01.2022\tДиректор\n"
        "2\tПосещение музеев\tВ течение месячника\tКлассные руководители\n"
        "3\tУроки мужества\tв ходе проведения месячника\tУчителя истории\n".encode(),
        "plan.txt",
    )
    assert [(a.when.start, a.when.end) for a in plan.activities][1:] == [
        (date(2022, 1, 21), date(2022, 2, 23)),
        (date(2022, 1, 21), date(2022, 2, 23)),
    ]


@pytest.mark.parametrize(
    ("title", "day"),
    [
        ("Программа праздника /1 июня 2015 года/", "1 июня 2015"),
        ("Программа 24 и 25 июня 2023 года", None),  # two days
        ("Программа с 28 февраля по 3 марта 2024 года", None),  # a span
        ("План от 12 января 2026 г. на 9 мая 2026 г.", "9 мая 2026"),  # the issue date is not it
    ],
)
def test_the_one_day_a_title_names(title: str, day: str | None) -> None:
    assert title_day(title) == day


def test_a_new_year_celebrated_is_two_years_in_turn_from_the_year_before() -> None:
    period = plan_period("План мероприятий к празднованию Нового 2018 года и Рождества Христова")
    assert period == PlanPeriod(2017, None, False, True)
    assert plan_period("План на 2018 год (Новый 2018 год)").year == 2018  # «на 2018 год» first


def test_rows_over_the_new_year_are_of_the_year_they_start_in() -> None:
    rows = ["25.12.2007", "31.12.2007 – 01.01.2008", "03.01.2008", "05.01.2008", "14.01.2008"]
    assert plan_period("Программа новогодних праздников", rows).year == 2007
    assert plan_period("План", ["03.01.2008", "14.01.2008", "25.12.2008"]).year == 2008


def test_the_anniversary_of_an_event_whose_year_the_plan_writes() -> None:
    lead = "Мероприятия к 80-летию разгрома войск в Сталинградской битве в 1943 году."
    assert plan_period(lead).year == 2023
    assert plan_period("План к 150-летию основания города в 1871 году").year == 2021
    assert plan_period("к 100-летию со дня рождения писателя").year is None
