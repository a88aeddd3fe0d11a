"""List plans without a table (plandoc.lists): programmes, dated lists and web-page calendars, as
Russian organisations type them, read into activities with their day, times, place and parties."""

from __future__ import annotations

from datetime import date, time

import pytest

from civicplan.plandoc import PlanReadError, read_plan
from civicplan.plandoc.model import Activity, PlanDocument
from civicplan.plandoc.raw import RawNote
from civicplan.plandoc.readers import read_raw


def plan(*lines: str) -> PlanDocument:
    return read_plan("\n".join(lines).encode("utf-8"), "plan.txt")


def days(activity: Activity) -> tuple[date | None, date | None]:
    return activity.when.start, activity.when.end


def times(activity: Activity) -> tuple[time | None, time | None]:
    return activity.when.start_time, activity.when.end_time


def cities(activity: Activity) -> list[str]:
    return [city.name for city in activity.place.cities]


def test_a_line_of_labelled_parts_is_titled_by_the_text_before_its_first_label() -> None:
    read = plan(
        "Определить даты и места проведения мероприятий в 2022 году:",
        "1) «Проводы зимы», народное гулянье: дата: 06 марта 2022года, время: с 12-00 до 14-00 "
        "место проведения: площадь у Дома культуры п. Улькан",
        "2) Игровая программа: дата: 05 марта 2022 года, время: с 15-00 до 16-00 "
        "ответственный: Иванова А.А.",
    )
    first, second = read.activities
    assert read.title == "Определить даты и места проведения мероприятий в 2022 году:"
    assert first.title == "«Проводы зимы», народное гулянье"
    assert days(first) == (date(2022, 3, 6), date(2022, 3, 6))
    assert times(first) == (time(12), time(14))
    assert cities(first) == ["Улькан"]
    assert second.title == "Игровая программа"
    assert [party.name for party in second.responsible] == ["Иванова А.А."]


def test_time_lines_take_the_day_above_and_labelled_lines_under_them_give_their_parts() -> None:
    read = plan(
        "Календарь масленичных событий",
        "24 февраля 2025",
        "Подготовили для вас календарь событий на неделю:",
        "28 февраля:",
        "12:00 Выставка поделок «Блинное раздолье»",
        "Продлится до 2 марта",
        "Место проведения: Дом культуры с. Садовое, ул. Садовая, 1",
        "1 марта:",
        "12:00, 14:00 Народное гуляние",
        "Место проведения: п. Аэропорт, площадь",
        "13:00 - 15:00 Развлекательная программа",
    )
    exhibition, festival, show = read.activities
    assert exhibition.title == "Выставка поделок «Блинное раздолье»"
    assert days(exhibition) == (date(2025, 2, 28), date(2025, 3, 2))
    assert times(exhibition) == (time(12), None)
    assert cities(exhibition) == ["Садовое"]
    assert days(festival) == (date(2025, 3, 1), date(2025, 3, 1))
    assert times(festival) == (time(12), None)  # two sessions: the first starts it
    assert cities(festival) == ["Аэропорт"]
    assert times(show) == (time(13), time(15))
    assert cities(show) == []  # a place line is of the activity right above it only


def test_a_settlement_and_a_full_stop_before_the_time_is_where_the_line_is() -> None:
    read = plan(
        "11 дек. 2019 г., 12:26",  # the page's dateline, not a programme day
        "13 декабря",
        "Черусти. В 16.30 на площади у Дома культуры состоится праздник «Огоньки».",
        "Шатура. В 17.00 в Центральной библиотеке начнётся вечер поэзии.",
        "Уточняйте по телефону отдела: 8(49645)2-14-87.",
    )
    first, second = read.activities
    assert read.year == 2019
    assert first.title == "на площади у Дома культуры состоится праздник «Огоньки»."
    assert days(first) == (date(2019, 12, 13), date(2019, 12, 13))
    assert times(first) == (time(16, 30), None)
    assert cities(first) == ["Черусти"]  # no town list knows it: the line says it is one
    assert cities(second) == ["Шатура"]


def test_a_date_with_spaces_heads_time_spans_and_settlements_in_the_line_are_their_place() -> None:
    read = plan(
        "План праздничных мероприятий, посвящённых 67-ой годовщине Победы",
        "09. 05. 2012г.",
        "10.00 - 11.30 - шествие колонны по маршруту: п. Мурино, ул. Оборонная, д. 32-а;",
        "11.30 - 12.30 - митинг у мемориала «Авиаторам Балтики»;",
        "13.00 - 18.00 - полевая кухня( п. Мурино, ул. Оборонная, сцена у д. 24);",
        "13.00 - 15.00 - концертная программа в д. Лаврики.",
    )
    route, meeting, kitchen, concert = read.activities
    assert read.year == 2012
    assert [days(activity) for activity in read.activities] == [
        (date(2012, 5, 9), date(2012, 5, 9))
    ] * 4
    assert times(route) == (time(10), time(11, 30))
    assert [cities(activity) for activity in (route, meeting, kitchen, concert)] == [
        ["Мурино"],
        [],
        ["Мурино"],
        ["Лаврики"],
    ]


def test_a_title_line_then_a_line_of_its_venue_and_time_is_one_activity() -> None:
    read = plan(
        "Программа мероприятий на 16-17 сентября 2011 года",
        "16 сентября",
        "Открытие парка отдыха «Треуголка»",
        "Треуголка 10:00",
        "Фотовыставка",
        "Центральная районная библиотека 11:00 – 13:00",
        "17 сентября",
        "Праздничная радиогазета",
        "Центральная площадь 11:00",
    )
    opening, photos, radio = read.activities
    assert opening.title == "Открытие парка отдыха «Треуголка»"
    assert opening.place.text == "Треуголка"
    assert (days(opening), times(opening)) == ((date(2011, 9, 16),) * 2, (time(10), None))
    assert times(photos) == (time(11), time(13))
    assert photos.place.text == "Центральная районная библиотека"
    assert days(radio) == (date(2011, 9, 17), date(2011, 9, 17))


def test_a_title_line_then_its_labelled_date_time_place_and_party_lines() -> None:
    read = plan(
        "Афиша на май 2020 года",
        "Концерт «Весна»",
        "Дата: 5 мая",
        "Время: 18.00",
        "Место: Дом культуры с. Ивановка",
        "Ответственный: Петрова А.А.",
        "Выставка рисунков",
        "Дата: 6 мая",
        "Праздник двора",
        "Начало в 12:00",  # a start time, no venue
    )
    concert, exhibition, party = read.activities
    assert read.title == "Афиша на май 2020 года"
    assert (days(concert), times(concert)) == ((date(2020, 5, 5),) * 2, (time(18), None))
    assert cities(concert) == ["Ивановка"]
    assert [party.name.rstrip(".") for party in concert.responsible] == ["Петрова А.А"]
    assert days(exhibition) == (date(2020, 5, 6), date(2020, 5, 6))
    assert (times(party), party.place.text) == ((time(12), None), None)


def test_a_day_named_with_its_event_heads_the_times_below_and_its_place_is_theirs() -> None:
    read = plan(
        "РЕГЛАМЕНТ туристического слёта «Золотая осень-2010»",
        "23 СЕНТЯБРЯ (ЧЕТВЕРГ): 18.00 часов — КОНКУРС КАПИТАНОВ",
        "Место проведения – актовый зал школы",
        "Обязательно предоставить стенгазету до 17.00 часов",
        "25 СЕНТЯБРЯ (СУББОТА) – ТУРИСТИЧЕСКИЙ СЛЁТ",
        "Место проведения – набережная реки Томь",
        "08.30 – 09.00 – СБОР КОМАНД У ШКОЛЫ",
        "13.00 – 14.00 КОНКУРС БИВУАКОВ",
    )
    captains, rally, gathering, bivouacs = read.activities
    assert (days(captains), times(captains)) == ((date(2010, 9, 23),) * 2, (time(18), None))
    assert captains.place.text == "актовый зал школы"
    assert rally.title == "ТУРИСТИЧЕСКИЙ СЛЁТ"
    assert (days(rally), times(rally)) == ((date(2010, 9, 25),) * 2, (None, None))
    assert days(gathering) == days(bivouacs) == (date(2010, 9, 25), date(2010, 9, 25))
    assert times(gathering) == (time(8, 30), time(9))
    assert bivouacs.title == "КОНКУРС БИВУАКОВ"
    assert gathering.place.text == bivouacs.place.text == "набережная реки Томь"
    assert [note.text for note in read.notes] == [
        "Обязательно предоставить стенгазету до 17.00 часов"
    ]


def test_lines_that_start_with_a_date_and_go_on_with_the_activity() -> None:
    read = plan(
        "План мероприятий празднования 78-й годовщины Победы",
        "с 03.05.2023г Всероссийская акция «Георгиевская ленточка»",
        "04.05.2023г Акция «Сад Памяти» (территория СОШ с. Перемышль и СОШ д. Горки)",
        "05.05.2023г Акция «Огонь Победы» (доставка Вечного огня из г. Боровск)",
        "05.05.2023г. Фестиваль патриотической песни (зал РДК с. Перемышль)",
    )
    ribbon, garden, fire, festival = read.activities
    assert ribbon.title == "Всероссийская акция «Георгиевская ленточка»"
    assert days(ribbon) == (date(2023, 5, 3), date(2023, 12, 31))  # from that day on
    assert days(garden) == (date(2023, 5, 4), date(2023, 5, 4))
    assert cities(garden) == ["Перемышль", "Горки"]
    assert cities(fire) == []  # where the fire comes from, not where the action is
    assert cities(festival) == ["Перемышль"]


def test_a_settlement_heading_and_a_group_heading_over_a_programme_with_no_day() -> None:
    read = plan(
        "с.Целинное",
        "9-00 – акция «Георгиевская ленточка»;",
        "10-00 – торжественный митинг, посвященный 73-й годовщине Победы;",
        "18-00 – 22-00 - вечерняя программа – МДК.",
        "Села района (20 сел):",
        "9-00 – акция «Георгиевская ленточка»;",
        "11-00 – праздничный концерт.",
    )
    assert read.title == ""
    assert read.year == 2018  # 1945 + 73
    assert [cities(activity) for activity in read.activities] == [["Целинное"]] * 3 + [[]] * 2
    assert [times(activity) for activity in read.activities][2] == (time(18), time(22))
    assert all(days(activity) == (None, None) for activity in read.activities)


def test_a_one_day_programme_its_title_names_the_day_of() -> None:
    read = plan(
        "План праздничных мероприятий, посвященных 69-летию Победы, 9 мая 2014 года",
        "С 08.30 – Пост № 1 у обелиска",
        "09.00-09.30 - площадь Ленина. Сбор делегаций предприятий",
        "19.00 – РДК. Праздничная концертная программа",
    )
    post, gathering, concert = read.activities
    assert [days(activity) for activity in read.activities] == [(date(2014, 5, 9),) * 2] * 3
    assert times(post) == (time(8, 30), None)
    assert gathering.title == "площадь Ленина. Сбор делегаций предприятий"
    assert concert.title == "РДК. Праздничная концертная программа"


def test_a_period_alone_and_lead_bullets_are_no_activities() -> None:
    raw = read_raw(
        "\n".join(
            [
                "21 сентября 2018 - 23 сентября 2018",
                "Команды соревнуются в трёх возрастных группах:",
                "- мальчики / девочки 2008-2005 г.р. (1 класс сложности);",
                "21 сентября 2018 г.",
                "С 14.00 до 16.00 заезд команд",
                "15.00– 17.00 – комиссия по допуску участников",
                "Возможны изменения в расписании.",
            ]
        ).encode(),
        "plan.txt",
    )
    assert raw.title.startswith("21 сентября 2018 - 23 сентября 2018 Команды соревнуются")
    assert isinstance(raw.items[-1], RawNote)
    read = plan(
        "Слёт 2018 года",
        "21 сентября 2018 г.",
        "С 14.00 до 16.00 заезд команд",
        "15.00– 17.00 – комиссия по допуску участников",
    )
    arrival, commission = read.activities
    assert arrival.title == "заезд команд"
    assert (days(arrival), times(arrival)) == ((date(2018, 9, 21),) * 2, (time(14), time(16)))
    assert times(commission) == (time(15), time(17))


def test_times_and_dates_that_are_not_a_programme() -> None:
    read = plan(
        "Неделя здоровья 2012 года",
        "Пятница 21 сентября",
        "12.10 Урок Здоровья",  # ten past twelve, not 12 October
        "13.00 Путешествие по станциям Здоровья",
        "Суббота 22 сентября",
        "В 10-11 классах прошли классные часы.",  # classes, not a time
    )
    lesson, journey = read.activities
    assert (days(lesson), times(lesson)) == ((date(2012, 9, 21),) * 2, (time(12, 10), None))
    assert journey.title == "Путешествие по станциям Здоровья"
    with pytest.raises(PlanReadError):
        plan("Новости района", "В 10.00 у администрации пройдёт митинг.", "Приглашаем всех.")


def test_lettered_items_dated_at_their_end_under_numbered_parts() -> None:
    read = plan(
        "План работы общества на 2022 год.",
        "1. Праздники:",
        "а. Новый год 1 января",
        "б. Троица",  # an item with no date
        "в. Масленица 6 марта",
        "День славянской письменности 24 мая",  # no letter, dated as the item above
        "2.Встречи:",
        "а) Встреча с ветеранами – 9 мая",
        "б.Круглый стол. ежеквартально",
        "в. поездка к мемориалу в г.Новороссийск 20-21 августа",
    )
    titles = [activity.title for activity in read.activities]
    assert titles == [
        "Новый год",
        "Троица",
        "Масленица",
        "День славянской письменности",
        "Встреча с ветеранами",
        "Круглый стол.",
        "поездка к мемориалу в г.Новороссийск",
    ]
    new_year, trinity, _, letters, _, table, trip = read.activities
    assert days(new_year) == (date(2022, 1, 1), date(2022, 1, 1))
    assert days(trinity) == (None, None)
    assert days(letters) == (date(2022, 5, 24), date(2022, 5, 24))
    assert days(table) == (date(2022, 1, 1), date(2022, 12, 31))  # a recurrence over the year
    assert days(trip) == (date(2022, 8, 20), date(2022, 8, 21))
    assert cities(trip) == ["Новороссийск"]
    sections = [activity.section[0] for activity in read.activities]
    assert sections == ["1. Праздники:"] * 4 + ["2.Встречи:"] * 3


def test_a_remark_that_ends_with_a_date_under_undated_items_is_a_note() -> None:
    read = plan(
        "План мероприятий библиотеки на май 2023 года",
        "Май",
        "- Выставка «Весна Победы»",
        "- Час истории «Никто не забыт»",
        "Заявки принимаются до 15 мая.",
    )
    assert [activity.title for activity in read.activities] == [
        "Выставка «Весна Победы»",
        "Час истории «Никто не забыт»",
    ]
    assert [note.text for note in read.notes] == ["Заявки принимаются до 15 мая."]


def test_a_time_line_ending_in_a_colon_heads_the_lines_below_it() -> None:
    read = plan(
        "Программа конференции 15 апреля 2021 г.",
        "9.30 – 10.00 Регистрация участников",
        "10.00 – 12.00 – работа секций:",
        "История (ауд. 101)",
        "Право (ауд. 202)",
        "12.00 – 12.30. Перерыв.",
        "12.30 – 13.30 Конкурсы:",
        "– конкурс чтецов;",
        "– конкурс эссе.",
        "Приглашаем всех!",
    )
    titles = [activity.title for activity in read.activities]
    assert titles == [
        "Регистрация участников",
        "История (ауд. 101)",
        "Право (ауд. 202)",
        "Перерыв.",
        "конкурс чтецов;",
        "конкурс эссе.",
    ]
    assert [times(activity) for activity in read.activities] == [
        (time(9, 30), time(10)),
        (time(10), time(12)),
        (time(10), time(12)),
        (time(12), time(12, 30)),
        (time(12, 30), time(13, 30)),
        (time(12, 30), time(13, 30)),
    ]
    assert all(days(activity) == (date(2021, 4, 15),) * 2 for activity in read.activities)
    assert [note.text for note in read.notes] == [
        "10.00 – 12.00 – работа секций:",
        "12.30 – 13.30 Конкурсы:",
        "Приглашаем всех!",
    ]


def test_a_time_alone_heads_its_lines_and_a_place_line_between_is_their_place() -> None:
    read = plan(
        "Фестиваль «Лето-2023» пройдёт 15 и 16 июля.",
        "15 июля",
        "Место проведения: Центральная площадь",
        "10:00",
        "• Открытие фестиваля",
        "12:00",
        "Место проведения: Стадион",
        "• Эстафета",
        "• Турнир по мини-футболу",
        "14:00",
        "Концерт",
        "Выступают творческие коллективы района.",  # goes on with the concert
    )
    opening, relay, football, concert = read.activities
    assert [activity.title for activity in read.activities][1:] == [
        "Эстафета",
        "Турнир по мини-футболу",
        "Концерт",
    ]
    assert (days(opening), times(opening)) == ((date(2023, 7, 15),) * 2, (time(10), None))
    assert times(relay) == times(football) == (time(12), None)
    assert times(concert) == (time(14), None)
    assert opening.place.text == "Центральная площадь"
    assert relay.place.text == football.place.text == "Стадион"


def test_a_programme_with_lines_between_its_times_is_on_the_day_its_lead_names() -> None:
    read = plan(
        "Как отметят День села",
        "2 сентября в парке пройдёт праздник. Программа праздника:",
        "Праздничная ярмарка",
        "9.30 Выставка-продажа изделий мастеров.",
        "Стадион",
        "11.00 Спортивные состязания",
        "Торжественная часть праздника.",  # goes on with the line above
        "Чествование земляков.",
        "13.00 Праздничный концерт.",
        "Метки: День села 2022",
    )
    fair, sport, concert = read.activities
    assert read.year == 2022  # from the page's tag line
    assert [days(activity) for activity in read.activities] == [(date(2022, 9, 2),) * 2] * 3
    assert [times(activity)[0] for activity in read.activities] == [time(9, 30), time(11), time(13)]
    assert (fair.place.text, sport.place.text, concert.place.text) == ("Праздничная ярмарка",) + (
        "Стадион",
    ) * 2
    assert [note.text for note in read.notes] == [
        "Торжественная часть праздника.",
        "Чествование земляков.",
    ]


def test_a_day_named_twice_or_as_a_span_end_is_no_programme_day() -> None:
    read = plan(
        "Программа праздника 2023 года",
        "Праздник пройдёт 24 и 25 июня.",
        "10.00 – открытие",
        "11.00 – концерт",
    )
    assert all(days(activity) == (None, None) for activity in read.activities)
    read = plan(
        "План на неделю, 2024 год",
        "Неделя спорта с 28 февраля по 3 марта:",
        "10.00 – открытие",
        "11.00 – концерт",
    )
    assert all(days(activity) == (None, None) for activity in read.activities)


def test_a_dated_time_line_dates_the_times_below_and_days_with_hours_are_one_frame() -> None:
    read = plan(
        "Программа соревнований 2010 года",
        "1 октября    15:30-17:30 - работа мандатной комиссии;",
        "17-30 совещание судей.",
        "2 октября     Подготовка дистанции",
        "29 сентября - 14:00-20:00; 30 сентября - 10.00-18:00; 3 октября - 10:00-14:00 - "
        "Соревнования по баскетболу, спортзал школы.",
    )
    commission, meeting, preparation, basketball = read.activities
    assert times(commission) == (time(15, 30), time(17, 30))
    assert days(meeting) == days(commission) == (date(2010, 10, 1), date(2010, 10, 1))
    assert times(meeting) == (time(17, 30), None)
    assert days(preparation) == (date(2010, 10, 2), date(2010, 10, 2))
    assert basketball.title == "Соревнования по баскетболу, спортзал школы."
    assert days(basketball) == (date(2010, 9, 29), date(2010, 10, 3))
    assert times(basketball) == (time(14), time(20))  # the first day's hours


def test_times_side_by_side_start_the_line_and_a_sentence_a_date_starts_is_no_activity() -> None:
    read = plan(
        "Программа праздничных мероприятий 9 Мая 2017 года",
        "9 Мая во Всеволожске пройдет праздник. Мероприятия пройдут на площади:",
        "14.00 14.15 приветствие руководителей города",
        "14.15 16.00 концертная программа",
    )
    greeting, concert = read.activities
    assert greeting.title == "приветствие руководителей города"
    assert (days(greeting), times(greeting)) == ((date(2017, 5, 9),) * 2, (time(14), None))
    assert times(concert) == (time(14, 15), None)


def test_a_settlement_the_line_visits_or_a_place_in_it_is_where_it_is() -> None:
    read = plan(
        "Маршрут автопоезда в 2021 году:",
        "18 мая – село Алтыновка;",
        "19 мая – поселок Сибирцево.",
        "20 мая – акция ко Дню освобождения г. Новоржева",
        "21 мая – шествие от Юбилейной площади г. Всеволожска к мемориалу",
        "22 мая – концерт в парке ст. Новоджерелиевской",
    )
    assert [cities(activity) for activity in read.activities] == [
        ["Алтыновка"],
        ["Сибирцево"],
        [],  # what the action is about, not where
        ["Всеволожск"],
        ["Новоджерелиевская"],
    ]


def test_a_time_alone_heads_every_line_below_it_up_to_the_next_time_or_date_line() -> None:
    read = plan(
        "Программа слёта",
        "3 октября 2024 года",
        "В течение дня",
        "Заезд участников, размещение в гостинице.",
        "Экскурсия по городу",
        "4 октября 2024 года",
        "10:00-12:00",
        "Открытие слёта.",
        "Пленарное заседание.",
        "14:00-16:00",
        "Работа секций:",
        "– Секция краеведов.",
        "– Секция экологов.",
        "16.00-17:00",
        "Концерт",
    )
    titles = [activity.title for activity in read.activities]
    assert titles == [
        "Заезд участников, размещение в гостинице.",
        "Экскурсия по городу",
        "Открытие слёта.",
        "Пленарное заседание.",
        "Секция краеведов.",
        "Секция экологов.",
        "Концерт",
    ]
    arrival, excursion, opening, plenary, local, ecology, concert = read.activities
    assert days(arrival) == days(excursion) == (date(2024, 10, 3),) * 2
    assert times(arrival) == times(excursion) == (None, None)
    assert days(opening) == days(concert) == (date(2024, 10, 4),) * 2
    assert times(opening) == times(plenary) == (time(10), time(12))
    assert times(local) == times(ecology) == (time(14), time(16))
    assert [note.text for note in read.notes] == ["Работа секций:"]


def test_an_item_right_under_a_time_line_is_at_its_time() -> None:
    read = plan(
        "Программа праздника 9 мая 2019 года",
        "11.00 - Торжественный митинг",
        "12.00 - Открытие Вахты памяти",
        "- Акция «Спасибо!»",
        "- Выставка рисунков",
        "13.00 - Концерт",
    )
    assert [times(activity) for activity in read.activities] == [
        (time(11), None),
        (time(12), None),
        (time(12), None),
        (time(12), None),
        (time(13), None),
    ]
    assert all(days(activity) == (date(2019, 5, 9),) * 2 for activity in read.activities)


def test_a_day_line_closing_a_programme_of_times_is_their_day() -> None:
    read = plan(
        "День города 2017",
        "10:00 – Открытие праздника. Место: Ротонда городского парка.",
        "18:00 – Праздник «Танцующий город» (Городской парк)",
        "26.08.2017, суббота",
    )
    opening, dance = read.activities
    assert days(opening) == days(dance) == (date(2017, 8, 26),) * 2
    assert times(opening) == (time(10), None)
    assert opening.place.text == "Ротонда городского парка"


def test_a_date_heading_naming_a_place_is_the_day_and_place_of_the_time_lines_below() -> None:
    read = plan(
        "Празднование Дня Победы в 2014 году",
        "Программа мероприятий:",
        "7 мая, Васильевский остров",
        "14:00 — торжественное собрание, Университетская наб., д. 7",
        "8 мая, Петергоф",
        "13:00 — торжественное собрание, Ульяновская ул., д. 3",
        "13:30 - легкоатлетический забег",
    )
    meeting, other_meeting, race = read.activities
    assert days(meeting) == (date(2014, 5, 7),) * 2
    assert cities(meeting) == []  # a city district, no settlement
    assert days(other_meeting) == days(race) == (date(2014, 5, 8),) * 2
    assert cities(other_meeting) == cities(race) == ["Петергоф"]


def test_a_time_frame_may_have_its_place_before_or_after_the_dash() -> None:
    read = plan(
        "График встреч с населением на 2017 год:",
        "1 октября в 15:00 часов в городском доме культуры - концерт «От сердца к сердцу»",
        "с 1 по 31 октября в городских школах - акция «Тепло наших рук»",
        "Гарцевское сельское поселение (Зайцев Н.П.) - 7 февраля в 14.00 Ковалевский СДК;",
        "С 15.04.2017 по окончание празднования: Изготовление открыток.",
    )
    concert, action, report, cards = read.activities
    assert concert.title == "концерт «От сердца к сердцу»"
    assert (days(concert), times(concert)) == ((date(2017, 10, 1),) * 2, (time(15), None))
    assert concert.place.text == "в городском доме культуры"
    assert days(action) == (date(2017, 10, 1), date(2017, 10, 31))
    assert report.title == "Гарцевское сельское поселение (Зайцев Н.П.)"
    assert (days(report), times(report)) == ((date(2017, 2, 7),) * 2, (time(14), None))
    assert report.place.text == "Ковалевский СДК"
    assert [party.name for party in report.responsible] == []
    assert cards.title == "Изготовление открыток."  # «по окончание …» is the time frame's
    assert days(cards) == (date(2017, 4, 15), date(2017, 12, 31))
    assert cards.place.text is None


def test_date_lines_with_a_time_and_a_lower_case_activity_or_a_remark_after_the_date() -> None:
    read = plan(
        "Новогодние праздники в городе (план мероприятий)",
        "25.12.2007-13.01.2008 в 10.00 и 13.00 проведение утренников (Драматический театр);",
        "31.12.2007 – 01.01.2008 в 00.00 развлекательная программа «Новогодняя ночь»;",
        "03, 05, 08.01.2008 в 12.00 конкурсные программы для детей;",
        "27–30 апреля   (последняя неделя апреля)   Европейская неделя иммунизации",
        "31.12.2007 в 13.00 состоится открытие ёлки.",  # a sentence
    )
    matinees, night, contests, week = read.activities
    assert matinees.title == "проведение утренников (Драматический театр);"
    assert (days(matinees), times(matinees)) == (
        (date(2007, 12, 25), date(2008, 1, 13)),
        (time(10), None),
    )
    assert days(night) == (date(2007, 12, 31), date(2008, 1, 1))
    assert night.title == "развлекательная программа «Новогодняя ночь»;"
    assert days(contests) == (date(2008, 1, 3), date(2008, 1, 8))
    assert week.title == "Европейская неделя иммунизации"
    assert days(week) == (date(2008, 4, 27), date(2008, 4, 30))


def test_a_visit_to_a_settlement_named_by_its_kind_in_any_case_is_there() -> None:
    read = plan(
        "Утвердили расписание новогодних программ на 2024 год:",
        "на станции Безменово – 29 декабря в 13.00",
        "в поселке Привольный – 27 декабря в 15.00",
    )
    station, village = read.activities
    assert station.title == "на станции Безменово"
    assert (days(station), times(station)) == ((date(2024, 12, 29),) * 2, (time(13), None))
    assert cities(station) == ["Безменово"]
    assert cities(village) == ["Привольный"]


def test_a_labelled_place_is_the_lines_and_weekly_in_a_months_plan_is_the_month() -> None:
    read = plan(
        "Медиаплан на июнь 2024 года:",
        "· Мониторинг качества воды — еженедельно;",
        "· Всемирный день мороженого — 10 июня;",
        "10:00 - турнир по шахматам, место проведения - КОГОБУ Лицей г. Советска;",
        "11:00 - аквагрим, место проведения - Детская библиотека;",
    )
    water, ice_cream, chess, face_painting = read.activities
    assert water.title == "Мониторинг качества воды"
    assert days(water) == (date(2024, 6, 1), date(2024, 6, 30))
    assert days(ice_cream) == (date(2024, 6, 10),) * 2
    assert cities(chess) == ["Советск"]
    assert face_painting.place.text == "Детская библиотека"


def test_a_capital_after_the_date_starts_the_activity_not_its_place() -> None:
    read = plan(
        "План мероприятий на 2024 год",
        "1 сентября День знаний - торжественная линейка",
        "5 октября День учителя - концерт",
    )
    assert [activity.title for activity in read.activities] == [
        "День знаний - торжественная линейка",
        "День учителя - концерт",
    ]
    assert all(activity.place.text is None for activity in read.activities)


def test_a_title_line_then_a_dash_and_a_time_alone_is_one_activity_at_that_time() -> None:
    read = plan(
        "«Лыжня России-2020» пройдет в Серове 8 февраля",
        "Выдача номеров участникам спортивного забега",
        "— с 10.00 до 10.30",
        "Старт спортивного забега, дистанция 5 км:",
        "— в 10.50",
    )
    numbers, start = read.activities
    assert numbers.title == "Выдача номеров участникам спортивного забега"
    assert times(numbers) == (time(10, 0), time(10, 30))
    assert days(start) == (date(2020, 2, 8),) * 2
    assert times(start) == (time(10, 50), None)
    assert numbers.place.text is None


def test_time_lines_with_a_place_after_a_comma_an_hour_in_words_or_a_latin_c() -> None:
    read = plan(
        "Мероприятия, посвящённые Дню Победы 2017 года",
        "9 Мая",
        "10-30, аллея у пл. Ленина — открытая библиотечная площадка «Бессмертный книжный полк».",
        "11-00, пл. Победы — митинг.",
        "C 12:00 до 23:30 Универсальная ярмарка (городской стадион)",
        "В 15 часов состоится торжественное открытие турнира по борьбе",
    )
    library, meeting, fair, opening = read.activities
    assert library.title.startswith("открытая библиотечная площадка")
    assert library.place.text == "аллея у пл. Ленина"
    assert times(library) == (time(10, 30), None)
    assert meeting.title == "митинг."
    assert days(meeting) == (date(2017, 5, 9),) * 2
    assert times(fair) == (time(12, 0), time(23, 30))
    assert opening.title == "состоится торжественное открытие турнира по борьбе"
    assert times(opening) == (time(15, 0), None)


def test_dashed_lines_without_a_space_under_a_time_line_are_its_activities() -> None:
    read = plan(
        "9 августа 2025 года состоится фестиваль",
        "Программа мероприятия",
        "10.00 турнир по шахматам",
        "11.00 Соревнования по бегу.(регистрация с 10.00)",
        "-500 метров детские забеги,",
        "-1 км, 3км, по возрастным группам вдоль набережной.",
        "12.00 открытие фестиваля.",
    )
    titles = [activity.title for activity in read.activities]
    assert titles[2:4] == [
        "500 метров детские забеги,",
        "1 км, 3км, по возрастным группам вдоль набережной.",
    ]
    assert all(times(activity)[0] == time(11, 0) for activity in read.activities[1:4])


def test_dates_without_a_year_after_a_december_row_are_in_the_next_year() -> None:
    read = plan(
        "ПЛАН СПОРТИВНЫХ МЕРОПРИЯТИЙ НА 2012 ГОД:",
        "1. Бокс «Новогодняя елка» 27-29 декабря",
        "2. Турнир по баскетболу - 3, 5, 7 января в 11.00, стадион «Труд»",
    )
    boxing, basketball = read.activities
    assert days(boxing) == (date(2012, 12, 27), date(2012, 12, 29))
    assert days(basketball) == (date(2013, 1, 3), date(2013, 1, 7))


def test_a_visit_to_an_address_is_at_its_settlement() -> None:
    read = plan(
        "Расписание «Поезда здоровья» на 2024 год до конца октября:",
        "- 13 октября: Тюльганский район, п. Тюльган, ул. 8 Марта, 11;",
        "- 29 октября: г. Соль-Илецк, ул. Ленинградская, 1 (взрослые)/ул. Сорокинская, 10 (дети).",
    )
    tyulgan, sol_iletsk = read.activities
    assert cities(tyulgan) == ["Тюльган"]
    assert cities(sol_iletsk) == ["Соль-Илецк"]
    assert days(tyulgan) == (date(2024, 10, 13),) * 2


def test_a_programme_run_into_one_paragraph_is_read_as_its_lines() -> None:
    read = plan(
        "Приглашаем принять участие в праздничных мероприятиях",
        "Уважаемые жители района! Приглашаем вас. 9 мая 2018 год: 10.00 -23.00 - народные "
        "гулянья; 9.00 - сбор участников акции  ( возле кинотеатра «Родина»); 10.00 – митинг; "
        "11.00 -14.00 - работа «Парка Победы» ( парк культуры и отдыха станицы "
        "Старощербиновская): - Полевая кухня « Солдатская каша» - «Стена памяти»  19.00 – "
        "праздничный концерт;  20.00 - 21.20- концертная программа.",
    )
    titles = [activity.title for activity in read.activities]
    assert titles == [
        "народные гулянья",
        "сбор участников акции ( возле кинотеатра «Родина»)",
        "митинг",
        "Полевая кухня « Солдатская каша»",
        "«Стена памяти»",
        "праздничный концерт",
        "концертная программа.",
    ]
    gulyanye, _gathering, _meeting, kitchen, _wall, _concert, programme = read.activities
    assert days(gulyanye) == (date(2018, 5, 9),) * 2
    assert times(gulyanye) == (time(10), time(23))
    assert times(kitchen) == (time(11), time(14))
    assert cities(kitchen) == ["Старощербиновская"]
    assert times(programme) == (time(20), time(21, 20))


def test_an_item_closing_with_its_date_after_a_later_dash_or_before_its_venue() -> None:
    read = plan(
        "ПЛАН СПОРТИВНЫХ МЕРОПРИЯТИЙ НА 2012 ГОД:",
        "1. «Открытие сезона» - горные лыжи - 29 декабря в 11.00, г/б «Снежинка»",
        "2. Соревнования «Новогодняя гонка» 31 декабря в 11.00, освещенная трасса л/б «Снежинка»",
    )
    skiing, race = read.activities
    assert skiing.title == "«Открытие сезона» - горные лыжи"
    assert (days(skiing), times(skiing)) == ((date(2012, 12, 29),) * 2, (time(11), None))
    assert skiing.place.text == "г/б «Снежинка»"
    assert race.title == "Соревнования «Новогодняя гонка»"
    assert (days(race), times(race)) == ((date(2012, 12, 31),) * 2, (time(11), None))
    assert race.place.text == "освещенная трасса л/б «Снежинка»"
