"""Finding the plan in a document, the same for every format (plandoc.layout, plandoc.columns):
headers of every form, tables without one, two-row headers, start/end and time columns, extra
columns, date and month headings, sub-rows, a table per month, list plans."""

from __future__ import annotations

import io
from datetime import date, time

import docx
import pytest

from civicplan.plandoc import read_plan
from civicplan.plandoc.columns import assign_roles, header_score, header_scores
from civicplan.plandoc.layout import arrange
from civicplan.plandoc.raw import RawDocument, RawHeading, RawNote, RawRow
from civicplan.plandoc.readers import read_raw
from civicplan.plandoc.source import Paragraph, SourceDocument, Table, row_of
from tests.plandoc.builders import Merged, build_docx
from tests.plandoc.builders import Table as DocxTable


def text_plan(*lines: str, title: str = "ПЛАН МЕРОПРИЯТИЙ НА 2026 ГОД") -> RawDocument:
    return read_raw("\n".join([title, *lines]).encode("utf-8"), "plan.txt")


def rows(document: RawDocument) -> list[RawRow]:
    return [item for item in document.items if isinstance(item, RawRow)]


def headings(document: RawDocument) -> list[str]:
    return [item.text for item in document.items if isinstance(item, RawHeading)]


# -- headers by meaning ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("Сроки", "when"),
        ("Дата и время проведения", "when"),
        ("Срок исполнения", "when"),
        ("Период проведения", "when"),
        ("Дата начала", "start"),
        ("Срок окончания реализации", "end"),
        ("Время", "time"),
        ("Наименование мероприятия (форма проведения)", "title"),
        ("Содержание работы", "title"),
        ("Тема занятия", "title"),
        ("Место проведения", "place"),
        ("Адрес, площадка", "place"),
        ("Где", "place"),
        ("Ответственные исполнители", "responsible"),
        ("Ответственный за проведение мероприятия", "responsible"),
        ("Ф.И.О., должность, контактный телефон", "responsible"),
        ("Организатор", "responsible"),
        ("Соисполнители", "responsible"),
        ("Участники", "participants"),
        ("Целевая аудитория", "participants"),
        ("Ожидаемый результат", "result"),
        ("Отметка о выполнении", "done"),
        ("Примечание", "other"),
        ("№ п/п", "number"),
        ("Ответствен- ные", "responsible"),
        ("Мероприя\xadтия", "title"),
    ],
)
def test_header_words_name_their_role(header: str, role: str) -> None:
    scores = header_scores(header)
    assert max(scores, key=scores.__getitem__) == role


def test_a_row_of_the_plan_is_not_a_header_though_it_uses_such_words() -> None:
    assert header_score(["Сроки", "Мероприятие", "Место проведения", "Ответственный"]) == 4
    row = ["В течение 2024 г.", "Мероприятия по проектам", "Электронная площадка", "Дирекция"]
    assert header_score(row) == 0


def test_cells_decide_what_a_vague_header_leaves_open() -> None:
    cells = [
        ["15.03.2026", "20.04.2026", "май 2026 г."],
        ["Семинар для специалистов здравоохранения", "Форум здоровых городов", "Конкурс"],
        ["Иванова М.П.", "Петров С.С., Сидорова А.А.", "Управление культуры"],
    ]
    assert assign_roles(["Время проведения", "Что", "Кто"], cells) == (
        "when",
        "title",
        "responsible",
    )


# -- tables ---------------------------------------------------------------------------------------


def test_unusual_headers_extra_columns_and_time_column() -> None:
    document = text_plan(
        "№\tДата\tВремя\tСодержание работы\tГде\tИсполнители\tОтметка о выполнении",
        "1\t15.03.2026\t10:00-12:00\tСеминар «Здоровье»\tг. Пермь\tИванова М.П.\tвыполнено",
    )
    (row,) = rows(document)
    assert row.cells == {
        "title": "Семинар «Здоровье»",
        "place": "г. Пермь",
        "responsible": "Иванова М.П.",
        "when": "15.03.2026 10:00-12:00",
    }
    assert row.extra == [("Отметка о выполнении", "выполнено")]
    assert document.columns[0].roles == (
        "number",
        "when",
        "time",
        "title",
        "place",
        "responsible",
        "done",
    )


def test_start_and_end_columns_make_one_time_frame() -> None:
    plan = read_plan(
        "План на 2026 год\nМероприятие\tДата начала\tДата окончания\n"
        "Форум\t01.03.2026\t05.03.2026\n".encode(),
        "plan.txt",
    )
    (activity,) = plan.activities
    assert (activity.when.start, activity.when.end) == (date(2026, 3, 1), date(2026, 3, 5))


def test_a_table_without_header_is_read_by_its_cells() -> None:
    document = text_plan(
        "1\tСеминар для педагогов\t15 марта\tМБОУ СОШ № 5\tИванова М.П.",
        "2\tКонкурс рисунков «Весна»\t20 апреля\tДК с. Серноводское\tПетров С.С.",
        "3\tЛекция о здоровом питании\t25 мая\tбиблиотека\tСидорова А.А.",
    )
    assert [row.cells["when"] for row in rows(document)] == ["15 марта", "20 апреля", "25 мая"]
    assert rows(document)[1].cells["title"] == "Конкурс рисунков «Весна»"
    assert rows(document)[2].cells["responsible"] == "Сидорова А.А."


def _two_row_header_docx() -> bytes:
    """«Срок» merged across two columns over «с | по», as Word writes it."""
    document = docx.Document()
    document.add_paragraph("План на 2026 год")
    table = document.add_table(rows=3, cols=3)
    for row, texts in enumerate(
        (["Мероприятие", "Срок", ""], ["", "с", "по"], ["Форум", "01.03.2026", "05.03.2026"])
    ):
        for column, text in enumerate(texts):
            table.cell(row, column).text = text
    table.cell(0, 1).merge(table.cell(0, 2)).text = "Срок"
    table.cell(0, 0).merge(table.cell(1, 0)).text = "Мероприятие"
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def test_a_two_row_header_in_word_and_in_text() -> None:
    docx_data = _two_row_header_docx()
    text = (
        "План на 2026 год\nМероприятие\tСрок\t\n\tначала\tокончания\n"
        "Форум\t01.03.2026\t05.03.2026\n"
    )
    for data, name in ((docx_data, "plan.docx"), (text.encode(), "plan.txt")):
        document = read_raw(data, name)
        assert document.columns[0].roles[1:] == ("start", "end"), name
        assert [row.cells["when"] for row in rows(document)] == ["01.03.2026 – 05.03.2026"]


def test_several_responsible_columns_are_joined() -> None:
    document = text_plan(
        "Сроки\tМероприятие\tОтветственный\tСоисполнители",
        "Март\tФорум\tДирекция Ассоциации\tАдминистрация г. Перми",
    )
    assert rows(document)[0].cells["responsible"] == "Дирекция Ассоциации; Администрация г. Перми"


def test_the_columns_given_for_a_header_override_the_guess() -> None:
    source = SourceDocument(
        "plan.txt",
        [
            Table(
                [
                    row_of(1, ["Сроки", "Мероприятие", "Место проведения"]),
                    row_of(2, ["Март", "Форум", "Дирекция"]),
                ]
            )
        ],
        merges=False,
    )
    guessed = arrange(source)
    signature = guessed.columns[0].signature
    assert guessed.columns[0].roles == ("when", "title", "place")
    chosen = arrange(source, {signature: ("when", "title", "responsible")})
    assert rows(chosen)[0].cells["responsible"] == "Дирекция"
    assert "place" not in rows(chosen)[0].cells


# -- headings and layouts -------------------------------------------------------------------------


def test_a_date_heading_gives_its_rows_their_date_and_a_month_heading_its_month() -> None:
    plan = read_plan(
        "План на 2026 год\nСроки\tМероприятие\tОтветственный\n"
        "15 марта 2026 г.\t\t\n"
        "10:00\tОткрытие форума\tДирекция\n"
        "\tПленарное заседание\tДирекция\n"
        "Сентябрь\t\t\n"
        "3 декада\tКонференция\tДирекция\n".encode(),
        "plan.txt",
    )
    first, second, third = plan.activities
    assert (first.when.start, first.when.start_time) == (date(2026, 3, 15), time(10, 0))
    assert second.when.start == date(2026, 3, 15)
    assert (third.when.start, third.when.end) == (date(2026, 9, 21), date(2026, 9, 30))
    assert third.section == (None, "Сентябрь")  # a month heads a part, a date does not


def test_numbered_sub_rows_make_their_parent_a_heading() -> None:
    document = text_plan(
        "№\tМероприятие\tСрок\tОтветственный",
        "1.\tОрганизационная работа\t\t",
        "1.1.\tСовещание\tянварь\tДирекция",
        "1.2.\tСеминар\tфевраль\tДирекция",
        "2.\tКонкурс «Здоровый город»\tмарт\tДирекция",
    )
    assert headings(document) == ["Организационная работа"]
    assert [row.cells["title"] for row in rows(document)] == [
        "Совещание",
        "Семинар",
        "Конкурс «Здоровый город»",
    ]


def test_a_table_per_month_with_the_month_between_them() -> None:
    header = ["Дата", "Мероприятие", "Ответственный"]
    docx = build_docx(
        ["План работы на 2026 год"],
        [
            "Январь",
            DocxTable([header, ["10.01.2026", "Лекция", "Иванова М.П."]]),
            "Февраль",
            DocxTable([header, ["12.02.2026", "Выставка", "Петров С.С."]]),
            "Директор ______ И.И. Иванов",
        ],
    )
    document = read_raw(docx, "plan.docx")
    assert headings(document) == ["Февраль"]  # «Январь» is before the plan: the title's
    assert [row.cells["title"] for row in rows(document)] == ["Лекция", "Выставка"]
    assert [item.text for item in document.items if isinstance(item, RawNote)] == [
        "Директор ______ И.И. Иванов"
    ]


def test_a_list_plan_without_a_table() -> None:
    source = SourceDocument(
        "plan.txt",
        [
            Paragraph(1, "Календарь памятных дат на 2026 год"),
            Paragraph(2, "7 апреля — Всемирный день здоровья"),
            Paragraph(3, "Апрель – май: акция «Чистый город»"),
            Paragraph(4, "Всероссийский день семьи (8 июля)"),
        ],
    )
    document = arrange(source)
    assert document.title == "Календарь памятных дат на 2026 год"
    assert [(row.cells["when"], row.cells["title"]) for row in rows(document)] == [
        ("7 апреля", "Всемирный день здоровья"),
        ("Апрель – май", "акция «Чистый город»"),
        ("8 июля", "Всероссийский день семьи"),
    ]


def test_a_time_frame_and_a_place_in_one_cell() -> None:
    plan = read_plan(
        "План на 2025 год\nМероприятие\tСрок и место проведения\tОтветственный\n"
        "Лекция\t03 января ДК ст. Ассиновская\tМетодист ЦКС Амагу Х.С.\n".encode(),
        "plan.txt",
    )
    (activity,) = plan.activities
    assert activity.when.start == date(2025, 1, 3)
    assert activity.place.text == "ДК ст. Ассиновская"
    assert [party.name for party in activity.responsible] == ["Амагу Х.С."]


def test_no_plan_is_refused_with_what_was_looked_for() -> None:
    from civicplan.plandoc.errors import PlanReadError

    with pytest.raises(PlanReadError, match="не найдена таблица плана"):
        text_plan("Фамилия\tТелефон", "Иванов\t123")
    with pytest.raises(PlanReadError, match="нет таблицы плана"):
        arrange(SourceDocument("plan.txt", [Paragraph(1, "Мероприятия будут позже.")]))


def test_merged_heading_rows_still_head_in_word() -> None:
    docx = build_docx(
        ["План на 2026 год"],
        [DocxTable([["Сроки", "Мероприятие"], Merged("I КВАРТАЛ"), ["Март", "Форум"]])],
    )
    assert headings(read_raw(docx, "plan.docx")) == ["I КВАРТАЛ"]


def test_a_list_plan_of_bullets_under_month_headings_with_a_dateline_above() -> None:
    source = SourceDocument(
        "plan.txt",
        [
            Paragraph(1, "Календарь мероприятий"),
            Paragraph(2, "04 июля 2023 года 08:31"),  # the page's dateline
            Paragraph(3, "Январь"),
            Paragraph(4, "- Посещение детской библиотеки"),
            Paragraph(5, "- Мероприятия по ПДД"),
            Paragraph(6, "Февраль"),
            Paragraph(7, "1. Малые Олимпийские игры"),
        ],
    )
    document = arrange(source)
    assert document.title == "Календарь мероприятий"
    assert document.dateline == "04 июля 2023 года 08:31"
    assert headings(document) == ["Январь", "Февраль"]
    assert [row.cells["title"] for row in rows(document)] == [
        "Посещение детской библиотеки",
        "Мероприятия по ПДД",
        "Малые Олимпийские игры",
    ]
    plan = read_plan("\n".join(p.text for p in source.blocks).encode(), "plan.txt")
    assert plan.year == 2023
    assert [a.when.start for a in plan.activities] == [
        date(2023, 1, 1),
        date(2023, 1, 1),
        date(2023, 2, 1),
    ]


def test_a_time_in_the_place_cell_and_a_date_in_a_place_and_date_column() -> None:
    plan = read_plan(
        "План на 2014 год\nДата\tМероприятие\tМесто проведения\n"
        "12.12.2014\tЛитературный час\tКощинская СБ, 13:30\n"
        "15.12.2014\tВыставка\tул. Ленина, 10-15\n".encode(),
        "plan.txt",
    )
    first, second = plan.activities
    assert (first.when.start_time, first.place.text) == (time(13, 30), "Кощинская СБ")
    assert (second.when.start_time, second.place.text) == (None, "ул. Ленина, 10-15")
    plan = read_plan(
        "План мероприятий\nМероприятие\tМесто и дата проведения\n"
        "Концерты\tОбразовательные учреждения 10 - 12 июня 2003 г.\n".encode(),
        "plan.txt",
    )
    (activity,) = plan.activities
    assert (activity.when.start, activity.when.end) == (date(2003, 6, 10), date(2003, 6, 12))
    assert activity.place.text == "Образовательные учреждения"


def test_a_place_and_people_column_and_places_as_plans_write_them() -> None:
    plan = read_plan(
        "План на май 2024 года\nМероприятие\tДата\tМесто проведения, ответственные\n"
        "Ночь музеев\t18 мая\tМузей Сотрудники музея\n"
        "Чемпионат по армреслингу (г. Полесск)\t31 мая\t\n"
        "Субботник\t20 мая\tД. Копчиково\n"
        "Чтения\t21 мая\tБиблиотека, г. Богданович, ул. Гагарина, 10, Чупров Г.Л.\n".encode(),
        "plan.txt",
    )
    museum, championship, cleanup, reading = plan.activities
    assert [party.name for party in reading.responsible] == ["Чупров Г.Л."]  # not «Г. Богданович»
    assert museum.place.text == "Музей Сотрудники музея"
    assert [party.name for party in museum.responsible] == ["Сотрудники музея"]
    assert [city.name for city in championship.place.cities] == ["Полесск"]
    assert [city.name for city in cleanup.place.cities] == ["Копчиково"]


# -- row numbers, datelines and stray cells ------------------------------------------------------


def test_row_numbers_typed_in_the_activity_cell_are_taken_out():
    document = text_plan(
        "Мероприятия\tСрок\tОтветственные",
        "1. Акция «Адрес ветерана»\tв течение года\tШколы района",
        "2.Акция «Память в камне»\tмай\tОтдел образования",
        "3) Смотр строя и песни\tмай\tОтдел образования",
    )
    assert [row.cells["title"] for row in rows(document)] == [
        "Акция «Адрес ветерана»",
        "Акция «Память в камне»",
        "Смотр строя и песни",
    ]


def test_numbers_that_do_not_count_up_stay_in_the_title():
    document = text_plan(
        "Мероприятия\tСрок\tОтветственные",
        "9. Встреча выпускников\tмай\tШкола",
        "3. Обзор книг\tмай\tБиблиотека",
    )
    assert [row.cells["title"] for row in rows(document)] == [
        "9. Встреча выпускников",
        "3. Обзор книг",
    ]


def test_a_date_over_a_table_with_dates_of_its_own_is_the_pages_dateline():
    document = text_plan(
        "17 февраля 2015 г.",
        "Наименование мероприятия\tСроки проведения\tОтветственные",
        "Классные часы\tПо плану\tКлассные руководители",
        "Выпуск стенных газет\tдо 3.05.2015\tКлассные руководители",
    )
    assert document.dateline == "17 февраля 2015 г."
    assert headings(document) == []
    assert "17 февраля" not in document.title


def test_a_date_over_a_table_of_times_heads_its_rows():
    document = text_plan(
        "17 февраля 2015 г.",
        "Время\tМероприятие\tМесто проведения",
        "10:00\tОткрытие\tПлощадь",
        "12:00\tКонцерт\tДом культуры",
    )
    assert headings(document) == ["17 февраля 2015 г."]
    assert document.dateline == ""


def test_a_dateline_between_a_heading_and_its_repetition_leaves_the_title():
    lines = [
        "ПЛАН ПРОВЕДЕНИЯ праздника «Масленица» 2017 года",
        "17 февраля 2017",
        "ПЛАН ПРОВЕДЕНИЯ",
        "праздника «Масленица» 2017 года",
        "№ п/п\tВремя проведения\tМероприятие",
        "1.\t10.00 – 14.00\tОзвучивание города",
        "2.\t11.00 – 17.00\tЯрмарка",
        "3.\t11.30 – 12.30\tИгровые зоны",
    ]
    document = read_raw("\n".join(lines).encode(), "plan.txt")
    assert document.dateline == "17 февраля 2017"
    assert "17 февраля" not in document.title
    plan = read_plan("\n".join(lines).encode(), "plan.txt")
    assert plan.year == 2017
    assert [(a.when.start, a.when.start_time) for a in plan.activities] == [
        (None, time(10, 0)),
        (None, time(11, 0)),
        (None, time(11, 30)),
    ]


def test_a_header_whose_activity_column_is_named_weakly_is_found():
    document = text_plan(
        "\tВид спорта\tДата, время проведения\tМесто проведения",
        "1.\tЛыжня России\t08 февраля\tБерезовая роща",
        "2.\tЗональные соревнования\tФевраль-май\tАчинск",
    )
    assert [row.cells.get("place") for row in rows(document)] == ["Березовая роща", "Ачинск"]


def test_a_stray_empty_cell_of_a_text_file_does_not_shift_the_row():
    document = text_plan(
        "N п/п\tНаименование мероприятий\tСрок исполнения\tОтветственный",
        "1.\tПодготовка распоряжения\tдо 05.10.2008\tАдминистрации районов",
        "2.\tВыступления должностных лиц\t\tв течение месячника\tРуководители предприятий",
    )
    second = rows(document)[1].cells
    assert second["when"] == "в течение месячника"
    assert second["responsible"] == "Руководители предприятий"


def test_a_village_after_the_date_in_a_date_and_place_cell_is_the_place():
    plan = read_plan(
        "\n".join(
            [
                "План мероприятий на 2017 год",
                "№ п/п\tНаименование мероприятия\tДата и место проведения\tОтветственный",
                "1\tЭкологические чтения\tИюнь 2017 г. с. Шестаково\tБиблиотека",
                "2\tФотоальбом\tНоябрь 2017 г. пгт. Верх-Чебула\tМетодическая группа",
            ]
        ).encode(),
        "plan.txt",
    )
    assert [[city.name for city in a.place.cities] for a in plan.activities] == [
        ["Шестаково"],
        ["Верх-Чебула"],
    ]
    assert [a.when.start for a in plan.activities] == [date(2017, 6, 1), date(2017, 11, 1)]


def test_a_settlement_alone_in_the_activity_column_heads_the_rows_below():
    document = text_plan(
        "Дата и время проведения\tНаименование мероприятия\tМесто проведения\tОтветственный",
        "\tг/п Руза\t\t",
        "22 февраля 13:00-16:00\tПроводы зимы – массовое гуляние\tстадион «Урожай»\tМочалова В.Н.",
        "\tс/п Дороховское\t\t",
        "22 февраля 12.00\tМасленичное гуляние\tДорохово ДК\tРоманова Н.И",
    )
    assert headings(document) == ["г/п Руза", "с/п Дороховское"]
    assert rows(document)[0].cells["title"] == "Проводы зимы – массовое гуляние"


def test_a_header_cell_that_names_a_period_is_still_a_header():
    document = text_plan(
        "№ п/п\tНаименование мероприятия на май 2015г.\tДата и время проведения\tМесто проведения",
        "1.\tМитинг памяти\t07.05.2015г. 11.00\tд.Марьино обелиск",
        "2.\tПраздничный концерт\t09.05.2015г. 11.20\tд.Ерохово обелиск",
    )
    assert document.columns[0].roles == ("number", "title", "when", "place")
    assert [row.cells["place"] for row in rows(document)] == [
        "д.Марьино обелиск",
        "д.Ерохово обелиск",
    ]


def test_two_years_in_turn_start_at_the_first_month_heading():
    plan = read_plan(
        "\n".join(
            [
                "План новогодних мероприятий 2019-2020 г.г.",
                "№\tДата (время и место проведения)\tНаименование мероприятия",
                "Декабрь\t\t",
                "1\tПлощадь им. Ленина г. Усмани 27 декабря 2019 г. 17-00\tСтарт торжеств",
                "Январь\t\t",
                "2\tСпортивный зал колледжа 3 января 10.00\tТурнир по волейболу",
                "3\tДворец спорта «Новое поколение» 3-5 января 15.00\tТурнир по боксу",
            ]
        ).encode(),
        "plan.txt",
    )
    assert [a.when.start for a in plan.activities] == [
        date(2019, 12, 27),
        date(2020, 1, 3),
        date(2020, 1, 3),
    ]


def test_the_header_again_for_the_next_month_is_skipped():
    document = text_plan(
        "№ п/п\tНаименование мероприятия на июнь 2015г.\tДата проведения\tМесто проведения",
        "1.\tИгровая программа\t01.06.2015г.\tБиблиотека",
        "№ п/п\tНаименование мероприятия на май 2015г.\tДата проведения\tМесто проведения",
        "1.\tМитинг памяти\t07.05.2015г.\tд.Марьино обелиск",
    )
    assert [row.cells["title"] for row in rows(document)] == ["Игровая программа", "Митинг памяти"]


def test_a_row_that_names_what_follows_with_a_colon_heads_the_rows_below():
    plan = read_plan(
        "\n".join(
            [
                "План проведения Дня молодежи 28.06.2014 года",
                "Время проведения\tМероприятие\tМесто проведения\tОтветственные",
                "13.00-14.00\tСоревнования\tМалое поле\tДЮСШ",
                "Программа в парке\t\t\t",
                "13.40\tРисунки на асфальте\tПлощадь\tГазета «Городские вести»",
                "14.00-16.00\tРабота площадок:\t\t",
                "\tКлассики\tВертолетная площадка\tГазета «Городские вести»",
                "\tКараоке\tПлощадка у кассы\tУправление культуры",
            ]
        ).encode(),
        "plan.txt",
    )
    assert [(a.title, a.section[0]) for a in plan.activities][1:] == [
        ("Рисунки на асфальте", "Программа в парке"),
        ("Классики", "Работа площадок"),
        ("Караоке", "Работа площадок"),
    ]
    # the day the title names holds under a section heading too
    assert [(a.when.start, a.when.start_time) for a in plan.activities] == [
        (date(2014, 6, 28), time(13, 0)),
        (date(2014, 6, 28), time(13, 40)),
        (date(2014, 6, 28), time(14, 0)),
        (date(2014, 6, 28), time(14, 0)),
    ]


def test_the_next_sections_header_naming_the_same_roles_otherwise_is_skipped():
    document = text_plan(
        "№ п/п\tНаименование проекта\tВремя проведения",
        "1.\tСтроительство экспозиции\t2026г.",
        "№ п/п\tНаименование\tСрок исполнения",
        "1.\tСоздание краеведческого общества\tянварь",
    )
    assert [row.cells["title"] for row in rows(document)] == [
        "Строительство экспозиции",
        "Создание краеведческого общества",
    ]


def test_a_time_and_place_column_and_an_institution_column():
    plan = read_plan(
        "\n".join(
            [
                "План мероприятий на 9 мая 2026 года",
                "№\tМероприятия\tВремя и место проведения",
                "1.\tАппаратное совещание\t08:15, ПС",
                "2.\tВнеплановое заседание\t09:00, б. зал ПС",
                "3.\tМероприятие у памятника\t10:00, памятник Подводникам",
            ]
        ).encode(),
        "plan.txt",
    )
    assert [(a.when.start_time, a.place.text) for a in plan.activities] == [
        (time(8, 15), "ПС"),
        (time(9, 0), "б. зал ПС"),
        (time(10, 0), "памятник Подводникам"),
    ]
    institutions = text_plan(
        "Дата\tМероприятие\tУчреждение\tВремя проведения",
        "1 июня\tМузыкальная сказка\tТеатр драмы и комедии «Наш дом»\t10-00",
        "1 июня\tИнтермедия\tТеатр кукол «Золотой петушок»\t10-00",
        "2 июня\tКонкурсная программа\tДК им. А.С. Пушкина поселок Татыш\t11-00",
    )
    assert institutions.columns[0].roles == ("when", "title", "place", "time")


def test_a_programme_table_without_a_header_under_day_headings():
    plan = read_plan(
        "\n".join(
            [
                "Летние спортивные игры 2022 года",
                "Программа соревнований:",
                "25 августа (четверг)\t\t",
                "10.00-17.00\tКомиссия по допуску участников\tЛ/а манеж «Рекорд»",
                "17.00-18.00\tВзвешивание дзюдо\tЗал борьбы",
                "26 августа (пятница)\t\t",
                "10.00-14.00\tМини-футбол\tОсновное поле стадиона «Олимп»",
            ]
        ).encode(),
        "plan.txt",
    )
    assert [(a.title, a.when.start, a.when.start_time, a.place.text) for a in plan.activities] == [
        ("Комиссия по допуску участников", date(2022, 8, 25), time(10, 0), "Л/а манеж «Рекорд»"),
        ("Взвешивание дзюдо", date(2022, 8, 25), time(17, 0), "Зал борьбы"),
        ("Мини-футбол", date(2022, 8, 26), time(10, 0), "Основное поле стадиона «Олимп»"),
    ]


def test_a_day_over_the_table_holds_under_its_section_headings_and_times_in_the_place_cell():
    plan = read_plan(
        "\n".join(
            [
                "План проведения шестого школьного дня",
                "на 6 марта 2021 года",
                "Наименование мероприятия\tВремя и место проведения\tОтветственный",
                "Школьные и классные мероприятия\t\t",
                "Работа школы раннего развития\t10.00\tВолчанина Т.В.",
                "Игра-путешествие\t10.00 229 кабинет\tСермяжко Т.С.",
                "Мастер-класс «Подарок маме»\t11.00, 205 кабинет\tИванова А.А.",
            ]
        ).encode(),
        "plan.txt",
    )
    assert [(a.when.start, a.when.start_time, a.place.text) for a in plan.activities] == [
        (date(2021, 3, 6), time(10, 0), None),
        (date(2021, 3, 6), time(10, 0), "229 кабинет"),
        (date(2021, 3, 6), time(11, 0), "205 кабинет"),
    ]


def test_an_activity_and_place_column_is_cut_into_both():
    document = text_plan(
        "№ п/п\tСрок\tНаименование мероприятий и место проведения",
        "1\t3-7 августа\tОткрытые соревнования по спортивному туризму, оз. Тургояк, Миасс",
        "2\t9-14 августа\tПервенство России по спортивному ориентированию. г.Чебаркуль.",
        "3\t11 августа\tТоржественный прием, ул. Цвиллинга 27, 13:00",
    )
    assert [
        (row.cells["title"], row.cells["place"], row.cells["when"]) for row in rows(document)
    ] == [
        ("Открытые соревнования по спортивному туризму", "оз. Тургояк, Миасс", "3-7 августа"),
        ("Первенство России по спортивному ориентированию", "г.Чебаркуль", "9-14 августа"),
        ("Торжественный прием", "ул. Цвиллинга 27", "11 августа 13:00"),
    ]


def test_a_schedule_of_one_event_without_an_activity_column():
    document = text_plan(
        "График проведения Дня пожилого человека.",
        "\tДата\tВремя\tМесто проведения",
        "1.\t01.10.2013\t13:00\tБиблиотека 106 квл, д.1",
        "2.\t01.10.2013\t14:00\tБиблиотека 95 квл, д. 12",
        "3.\t01.10.2013\t16:00\tРесурсный центр 8 мкр, пом.31",
        title="Мероприятия в честь Международного дня пожилого человека",
    )
    assert [row.cells["title"] for row in rows(document)] == ["День пожилого человека"] * 3
