"""Layouts real plans use that the twelfth and thirteenth corpus batches brought (issue 12):
each rule a general feature of Russian plans, tested on a plan written for the test."""

from __future__ import annotations

from datetime import date, time

import pytest

from civicplan.plandoc import PlanDocument, read_plan
from civicplan.plandoc.model import Activity
from civicplan.plandoc.organisations import read_responsible
from civicplan.plandoc.period import plan_period
from civicplan.timeframes import parse


def plan(*lines: str) -> PlanDocument:
    return read_plan("\n".join(lines).encode("utf-8"), "plan.txt")


def when(activity: Activity) -> tuple[date | None, date | None, time | None, time | None]:
    frame = activity.when
    return frame.start, frame.end, frame.start_time, frame.end_time


def parties(activity: Activity) -> list[str]:
    return [party.name for party in activity.responsible]


def cities(activity: Activity) -> list[str]:
    return [city.name for city in activity.place.cities]


# -- tables -----------------------------------------------------------------------------------


def test_numbered_activities_in_one_cell_are_rows_with_their_own_parties() -> None:
    read = plan(
        "План мероприятий на летний период 2026 года",
        "Месяц\tМероприятие\tОтветственные",
        "Июнь\t1.Праздник, посвященный Дню защиты детей 2.Физкультурный досуг «В поисках клада»"
        " 3.Конкурс рисунка на асфальте\tМузыкальный руководитель Руководитель физ.воспитания"
        " Воспитатели групп",
        "Июль\t1.Развлечение «Парад шляп» 2.Музыкальный досуг «В гостях у Водяного»"
        "\tВоспитатели групп, Музыкальный руководитель, руководитель физ.воспитания",
    )
    titles = [activity.title for activity in read.activities]
    assert titles == [
        "Праздник, посвященный Дню защиты детей",
        "Физкультурный досуг «В поисках клада»",
        "Конкурс рисунка на асфальте",
        "Развлечение «Парад шляп»",
        "Музыкальный досуг «В гостях у Водяного»",
    ]
    assert [parties(activity) for activity in read.activities] == [
        ["Музыкальный руководитель"],
        ["Руководитель физ.воспитания"],
        ["Воспитатели групп"],
        ["Воспитатели групп"],
        ["Музыкальный руководитель", "Руководитель физ.воспитания"],
    ]
    assert all(when(a)[:2] == (date(2026, 6, 1), date(2026, 6, 30)) for a in read.activities[:3])


def test_a_cell_numbering_a_single_item_or_counting_other_things_stays_one_row() -> None:
    read = plan(
        "План мероприятий на 2026 год",
        "Срок\tМероприятие\tОтветственный",
        "Май\tТурнир среди 2. и 3. классов\tУчитель физкультуры",
        "Июнь\tАкция «1. Чистый двор»\tАдминистрация",
    )
    assert [activity.title for activity in read.activities] == [
        "Турнир среди 2. и 3. классов",
        "Акция «1. Чистый двор»",
    ]


def test_rows_under_a_merge_a_text_copy_lost_take_the_cells_above_again() -> None:
    read = plan(
        "План мероприятий ко Дню Пушкина 2026 года",
        "Район\t№ п/п\tНаименование мероприятия\tМесто проведения\tДата\tОтветственный",
        "Ардатовский р-н\t1.\tЛитературная гостиная\tЦентральная библиотека р.п. Ардатов"
        "\t6 июня\tСпиридонова И.А.",
        "2.\tЛитературный салон\tСаконская сельская библиотека с. Саконы\t6 июня\tМочалова Е.Ю.",
    )
    salon = read.activities[1]
    assert salon.title == "Литературный салон"
    assert cities(salon) == ["Саконы"]
    assert parties(salon) == ["Мочалова Е.Ю."]
    assert ("Район", "Ардатовский р-н") in [tuple(field) for field in salon.extra]


def test_a_row_whose_time_frame_stands_left_of_its_column_lost_its_first_cells() -> None:
    read = plan(
        "План работы на декабрь 2026 года",
        "Мероприятия\tГруппы\tВремя",
        "Новогодние праздники\tМладшая «Цыплята»\t26.12 в 10.10",
        "Младшая «Солнышко»\t26.12 в 9.15",
        "Выставка «Новогодняя мозаика»\tВсе группы\tдо 16.12",
    )
    first, second, exhibition = read.activities
    assert second.title == first.title == "Новогодние праздники"
    assert when(second) == (date(2026, 12, 26), date(2026, 12, 26), time(9, 15), None)
    assert exhibition.title == "Выставка «Новогодняя мозаика»"


def test_a_row_without_its_number_under_a_numbered_one_shares_its_date() -> None:
    read = plan(
        "Программа Спартакиады 2025 года",
        "№ п/п\tВид программы\tДата проведения\tМесто проведения\tРезультаты",
        "1.\tЛыжные гонки (эстафета)\t14 марта 2025\tЛыжная база «Метелица»\tИтоги эстафеты",
        "\tЛыжные гонки (массовый старт)\t\t\tИтоги гонок",
        "2.\tПулевая стрельба\t\tТир\tИтоги",
    )
    relay, mass_start, shooting = read.activities
    assert when(mass_start)[:2] == when(relay)[:2] == (date(2025, 3, 14), date(2025, 3, 14))
    assert when(shooting)[:2] == (None, None)


def test_a_doubled_tab_in_a_headerless_table_makes_no_column() -> None:
    read = plan(
        "Режим дня лагеря «Солнышко» 2018",
        "Сбор детей\t8.00 – 8.30",
        "Зарядка\t8.30-8.50",
        "Завтрак\t9.15 - 10.00",
        "Операция «Чистота-залог здоровья»\t\t\t\t13.50-14.00",
    )
    assert [when(activity)[2:] for activity in read.activities] == [
        (time(8), time(8, 30)),
        (time(8, 30), time(8, 50)),
        (time(9, 15), time(10)),
        (time(13, 50), time(14)),
    ]


def test_a_column_of_abbreviations_is_the_responsible_one() -> None:
    read = plan(
        "II. Совершенствование медико-профилактической помощи населению",
        "1\tСоздание городского центра медицинской профилактики\t2005 г.\tДЗ, ОЦМП",
        "2\tИзучение вопроса об эффективности вакцинопрофилактики\t2005 г.\tИГМУ, ИЭМ, ДЗ",
        "3\tОткрытие «Школ здоровья» на базе МУЗ\t2004 - 2005 гг.\tДЗ, ОЦМП",
    )
    assert [parties(activity) for activity in read.activities] == [
        ["ДЗ", "ОЦМП"],
        ["ИГМУ", "ИЭМ", "ДЗ"],
        ["ДЗ", "ОЦМП"],
    ]
    assert read.year == 2004  # a programme whose rows give only years: its first


def test_footnote_marks_after_each_party_end_it() -> None:
    read = plan(
        "План мероприятий по благоустройству на 2026 год",
        "№\tМероприятие\tСрок\tОтветственные",
        "1\tМесячник по благоустройству\tАпрель-май"
        "\tАдминистрация сельского поселения, Старосты* Депутаты* Актив сельского поселения*",
    )
    assert parties(read.activities[0]) == [
        "Администрация сельского поселения",
        "Старосты",
        "Депутаты",
        "Актив сельского поселения",
    ]


# -- parties ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("А.В. Пилясов В.М. Шмелев", ["А.В. Пилясов", "В.М. Шмелев"]),
        ("Пилясов А.В. Шмелев В.М.", ["Пилясов А.В.", "Шмелев В.М."]),
        (
            "Сельские поселения Начальник отдела, главные специалисты ОСЗН",
            ["Сельские поселения", "Начальник отдела", "Главные специалисты ОСЗН"],
        ),
        ("ПЭЖУ № 1, 2, 3", ["ПЭЖУ № 1, 2, 3"]),
        ("Школы № 1, 2, Отдел образования", ["Школы № 1, 2", "Отдел образования"]),
    ],
)
def test_parties_as_people_write_them(cell: str, expected: list[str]) -> None:
    assert [party.name for party in read_responsible(cell)] == expected


# -- the year -----------------------------------------------------------------------------------


def test_a_programme_of_years_is_of_the_year_it_was_approved_in_before_its_anniversary() -> None:
    title = (
        "Приложение к Распоряжению от 06.05.2013 г № 81-Р План основных мероприятий по подготовке"
        " к празднованию 70-й годовщины Победы"
    )
    whens = ["2013 2015 гг.", "2013 - 2015 гг.", "2012 2015 гг."]
    assert plan_period(title, whens).year == 2013
    assert plan_period("План к празднованию 70-й годовщины Победы", whens).year == 2012
    assert plan_period("План к празднованию 70-й годовщины Победы", ["9 мая"]).year == 2015


def test_birth_years_are_no_plans_year() -> None:
    titles = ["1 забег - 800 м. - 2014-2013 г.р.", "2 забег – 2 км. - 2010-2009 г.р."]
    assert plan_period("Программа:", [], titles).year is None
    assert plan_period("Программа:", [], ["Кросс «Осень-2019»"]).year == 2019


def test_a_deadline_in_a_plan_over_the_new_year_keeps_the_year_of_its_day() -> None:
    read = plan(
        "План мероприятий по подготовке и проведению нового 2010 года",
        "№\tМероприятие\tДата проведения\tОтветственные",
        "1.\tИзготовление ледового городка\tс 8 по 20 декабря 2009 г.\tМаннын-оол М.М.",
        "2.\tУстановка городской елки\tк 25 декабря\tМаннын-оол М.М.",
        "3.\tЗаключение договора с художниками\tдо 10 декабря\tМаннын-оол М.М.",
        "4.\tНовогодние утренники\t3 января\tОтдел культуры",
    )
    _, tree, contract, matinees = read.activities
    assert when(tree)[:2] == (date(2009, 1, 1), date(2009, 12, 25))
    assert when(contract)[:2] == (date(2009, 1, 1), date(2009, 12, 10))
    assert when(matinees)[:2] == (date(2010, 1, 3), date(2010, 1, 3))


# -- lists --------------------------------------------------------------------------------------


def test_a_day_above_a_news_headline_that_announces_its_event_is_the_pages_date() -> None:
    read = plan(
        "22.02.2022",
        "«Конопатый день» пройдет в мытищинском парке",
        "Праздник масленицы пройдёт в Центральном парке культуры и отдыха.",
        "11:30 шествие солнца со скоморохами",
        "12:00 Театрализованное представление",
    )
    assert [when(activity) for activity in read.activities] == [
        (None, None, time(11, 30), None),
        (None, None, time(12), None),
    ]


def test_a_dated_list_with_dashed_items_their_descriptions_and_venue_lines() -> None:
    read = plan(
        "Афиша мероприятий с 15 по 21 декабря 2025 года",
        "15 декабря",
        "- Книжная выставка «Грация и сила» 6+",
        "Выставка посвящена традициям и обычаям празднования Нового года.",
        "Библиотека-филиал № 4 с 10:00 до 19:00. - Арт-лаборатория «Рисуй» 6+",
        "На занятии участники распишут магнитики к празднику.",
        "Библиотека-филиал № 6 в 10:00 и 14:00.",
        "16 декабря",
        "- Оздоровительное занятие «Хатха йога» 16+",
        "Центральная городская библиотека им. И. К. Калашникова в 9:30",
    )
    exhibition, laboratory, yoga = read.activities
    assert exhibition.title == "Книжная выставка «Грация и сила» 6+"
    assert when(exhibition) == (date(2025, 12, 15), date(2025, 12, 15), time(10), time(19))
    assert exhibition.place.text == "Библиотека-филиал № 4"
    assert laboratory.title == "Арт-лаборатория «Рисуй» 6+"
    assert when(laboratory)[2] == time(10)
    assert when(yoga) == (date(2025, 12, 16), date(2025, 12, 16), time(9, 30), None)
    assert yoga.place.text == "Центральная городская библиотека им. И. К. Калашникова"
    assert [note.text for note in read.notes] == [
        "Выставка посвящена традициям и обычаям празднования Нового года.",
        "На занятии участники распишут магнитики к празднику.",
    ]


def test_lines_that_close_with_their_time_of_day() -> None:
    read = plan(
        "План мероприятий библиотек на август 2018 года",
        "1 августа",
        "Час информации «Первое августа» (Десятуховская с/б) 11.00",
        "Час поэзии «Взгляд из окопа» (о творчестве В. Динабургского) (Гарцевская с/б) 12-00",
        "Обязательно сдать отчёт до 17.00",
        "2 августа",
        "· Регистрация участников 8 ч. 00 мин. – 9 ч. 30 мин.",
        "· Общий старт 10 ч. 00 мин.",
    )
    information, poetry, registration, start = read.activities
    assert information.title == "Час информации «Первое августа»"
    assert information.place.text == "Десятуховская с/б"
    assert when(information) == (date(2018, 8, 1), date(2018, 8, 1), time(11), None)
    assert poetry.title == "Час поэзии «Взгляд из окопа» (о творчестве В. Динабургского)"
    assert when(registration) == (date(2018, 8, 2), date(2018, 8, 2), time(8), time(9, 30))
    assert when(start)[2] == time(10)
    assert [note.text for note in read.notes] == ["Обязательно сдать отчёт до 17.00"]


def test_programme_lines_as_copies_write_them() -> None:
    read = plan(
        "ПРОГРАММА ПРАЗДНОВАНИЯ ДНЯ ГОРОДА 2022",
        "20 августа",
        "11.00-12.00 – ГДК – Велопробег от ГДК до площади",
        "13. 00 Служба в часовне у музея",
        "15:0016:00 — концерт художественной самодеятельности",
        "22.00 – 04.00 Ночной концерт «Разговор»",
        "До 17.00 отъезд команд",
    )
    ride, service, concert, night, departure = read.activities
    assert (ride.title, ride.place.text) == ("Велопробег от ГДК до площади", "ГДК")
    assert when(ride)[2:] == (time(11), time(12))
    assert (service.title, when(service)[2]) == ("Служба в часовне у музея", time(13))
    assert when(concert)[2:] == (time(15), time(16))
    assert when(night)[2:] == (time(22), time(4))  # the next morning's
    assert when(departure)[2:] == (None, time(17))


def test_numbered_items_closing_with_a_time_under_a_labelled_day_and_place() -> None:
    read = plan(
        "Программа торжественных проводов сборной команды:",
        "Время: 18 февраля 2010 г. 11.30 Место: г. Москва, Поклонная гора",
        "1. Прибытие членов сборной команды в музей 10.45 - 11.15",
        "2. Официальное фотографирование участников 12.30 – 13.00",
    )
    arrival, photographs = read.activities
    assert when(photographs) == (date(2010, 2, 18), date(2010, 2, 18), time(12, 30), time(13))
    assert cities(arrival) == cities(photographs) == ["Москва"]


def test_a_chronicle_of_dated_sentences() -> None:
    read = plan(
        "Неделя культуры в районе",
        "26.05.2025 в 15.00 на базе КДЦ «Дом Москвы» состоится районный праздник «Умники».",
        "27.05.2025 в 13.00 в КДЦ «Дом Москвы» пройдёт торжественное мероприятие.",
    )
    assert [when(activity)[::2] for activity in read.activities] == [
        (date(2025, 5, 26), time(15)),
        (date(2025, 5, 27), time(13)),
    ]


def test_a_slash_between_a_day_and_its_time_and_a_slash_in_other_text() -> None:
    assert parse("03.01/13-00", default_year=2026).start_time == time(13)
    frame = parse("Конференция 0/ Ч", default_year=2026)  # no crash: a number, then a slash
    assert frame.start is None
    assert frame.warning is not None


# -- the thirteenth batch's layouts ----------------------------------------------------------------


def test_a_programme_of_numbered_lines_under_its_labelled_day_and_place() -> None:
    read = plan(
        "Смотр-конкурс ветеранских хоров «Песня – душа народа»",
        "Время",
        "05 октября 2022 - 12:00",
        "Место",
        "ДДТ им. А.И. Ефремова 630024 г. Новосибирск ул. Мира, 14",
        "1. Выставка декоративно-прикладного творчества",
        "2. Открытие фестиваля",
        "3. Награждение.",
    )
    assert [activity.title for activity in read.activities] == [
        "Выставка декоративно-прикладного творчества",
        "Открытие фестиваля",
        "Награждение.",
    ]
    assert all(when(a)[:2] == (date(2022, 10, 5),) * 2 for a in read.activities)
    assert all(cities(activity) == ["Новосибирск"] for activity in read.activities)


def test_a_sentence_then_its_start_and_place() -> None:
    read = plan(
        "Спортивные выходные 2025",
        "27 апреля",
        "- Турнир по футболу. Начало в 9.00 на стадионе «Газовик» (п. Ростоши).",
        "- Кубок по шахматам. Начало в 10.00 в ДЮСШ № 2 «Прогресс».",
    )
    football, chess = read.activities
    assert football.title == "Турнир по футболу"
    assert when(football) == (date(2025, 4, 27), date(2025, 4, 27), time(9), None)
    assert cities(football) == ["Ростоши"]
    assert chess.place.text == "ДЮСШ № 2 «Прогресс»"


def test_a_camp_period_the_lead_names_dates_its_programme_and_daily_regime() -> None:
    read = plan(
        "С 1 по 22 июня 2024 года на базе школы № 59 будет работать летний лагерь.",
        "В программе работы лагеря:",
        "- Двухразовое питание",
        "- Культурные и массовые мероприятия",
        "Режим Дня:",
        "Сбор детей, зарядка — 8.30 — 9.00",
        "Завтрак — 9.15 — 9.45",
    )
    meals, culture, gathering, breakfast = read.activities
    camp = (date(2024, 6, 1), date(2024, 6, 22))
    assert when(meals)[:2] == when(culture)[:2] == camp
    assert when(gathering) == (*camp, time(8, 30), time(9))
    assert when(breakfast)[2:] == (time(9, 15), time(9, 45))


def test_a_cut_header_word_a_ditto_mark_and_a_title_only_numbered_row() -> None:
    read = plan(
        "Календарный план на 2026 год",
        "№\tНаименование мероприятия\tДата\tответст.",
        "1\tЛыжные гонки\tФевраль\tОтдел по спорту",
        "2\tЛегкая атлетика\tМай\t-//-",
        "3\tКросс\tСентябрь\tто же",
        "4\tФутбол\t\t",
        "5\tШахматы\tОктябрь\tШахматный клуб",
    )
    skiing, athletics, cross, football, _chess = read.activities
    assert parties(skiing) == parties(athletics) == parties(cross) == ["Отдел по спорту"]
    assert football.title == "Футбол"
    assert when(football)[:2] == (None, None)  # a row that gives no date stays undated


def test_a_page_stamp_dates_no_row_of_a_years_calendar() -> None:
    read = plan(
        "13.02.2026 16:20 Документ",
        "Единый календарный план спортивных мероприятий на 2026 год",
        "№\tНаименование мероприятия\tДата проведения",
        "1\tЛыжные гонки\tФевраль",
        "2\tЛегкая атлетика\tМай",
        "3\tФутбол\t",
        "4\tШахматы\tОктябрь",
    )
    assert read.activities[2].title == "Футбол"
    assert when(read.activities[2])[:2] == (None, None)


def test_the_anniversaries_activities_mark_give_the_year() -> None:
    titles = [
        "«Нас муза к победе вела…» к 100-летию со д.р Б. Ш. Окуджавы (1924-1997)",
        "Вечер к 130-летию со дня рождения поэта (1894 – 1972)",
        "Час поэзии к 100-летию со дня рождения Ю. Друниной (1924–1991)",
    ]
    assert plan_period("Клуб «Родники»", ["март", "май"], titles).year == 2024


# -- the fourteenth batch's layouts ----------------------------------------------------------------


def test_a_heading_that_starts_with_its_day_dates_the_rows_under_it() -> None:
    read = plan(
        "ПЛАН проведения учебно-методического сбора 2020/2021 учебного года",
        "№ п/п\tМероприятие\tВремя\tМесто проведения\tОтветственный исполнитель",
        "26 августа 2020 г. Учебно-методический сбор факультета\t\t\t\t",
        "\tВступительное слово начальника факультета.\t14.00-14.10\t419-5\tполковник Котенок А.А.",
        "\tДоклад: Анализ результатов успеваемости.\t14.10-14.30\t419-5\tполковник Дудин Е.А.",
    )
    opening, report = read.activities
    assert when(opening) == (date(2020, 8, 26), date(2020, 8, 26), time(14), time(14, 10))
    assert parties(opening) == ["Котенок А.А."]
    assert parties(report) == ["Дудин Е.А."]


def test_a_venue_a_dash_and_the_activity_on_a_time_line() -> None:
    read = plan(
        "Программа празднования Дня Победы 2022",
        "09.00. Мемориал «Вечный Огонь» - торжественно-памятное мероприятие с возложением цветов.",
        "10.00 Стадион «Кубань» - Легкоатлетическая эстафета",
        "11.00 Детский праздник «Царство – государство маленьких детей»",
    )
    memorial, relay, party = read.activities
    assert memorial.title == "торжественно-памятное мероприятие с возложением цветов."
    assert memorial.place.text == "Мемориал «Вечный Огонь»"
    assert (relay.title, relay.place.text) == ("Легкоатлетическая эстафета", "Стадион «Кубань»")
    assert party.title == "Детский праздник «Царство – государство маленьких детей»"


def test_a_rank_is_no_surname_prefix() -> None:
    assert [p.name for p in read_responsible("Майорова Н.В., Матвейчук В.В.")] == [
        "Майорова Н.В.",
        "Матвейчук В.В.",
    ]
