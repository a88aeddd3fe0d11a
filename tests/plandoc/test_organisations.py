"""The «Ответственный» cell: splitting, roles, contacts, kinds, keys and recognising one
organisation however it is written.

The 37 seed rows are checked against tests/data/plan-2024.expected.json through one
OrganisationIndex in row order, with the importer's name rule (as written when new or matched by
key, the known name when matched only fuzzily). The other cells are unseen, realistic ones whose
expected readings were written from the rules, not from the code's output.
"""

from __future__ import annotations

import ast
import functools
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civicplan.plandoc import organisations
from civicplan.plandoc.model import ORGANISATION_KINDS, ROLES, Responsible
from civicplan.plandoc.organisations import (
    FUZZY_THRESHOLD,
    Match,
    OrganisationIndex,
    classify,
    organisation_key,
    read_responsible,
)

ROOT = Path(__file__).parents[2]
EXPECTED = ROOT / "tests" / "data" / "plan-2024.expected.json"
SEED = ROOT / "examples" / "plan-2024.txt"  # the seed, as in ../shared/seed


# --- the seed ---------------------------------------------------------------------------------


def _seed_cells() -> list[tuple[str, str]]:
    """(Сроки, Ответственный) of every row; a cell broken by a page break ("ГБУЗ «Сахалинский",
    then a row with only its 4th column) is joined with a space."""
    rows: list[list[str]] = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) != 4 or not parts[3].strip() or parts[3].strip() == "Ответственный":
            continue
        if parts[0].strip():
            rows.append([parts[0].strip(), parts[3].strip()])
        elif rows:
            rows[-1][1] += " " + parts[3].strip()
    return [(when, cell) for when, cell in rows]


@functools.cache
def _seed_readings() -> list[tuple[str, list[dict[str, str]], list[dict[str, str]]]]:
    """Every row read and recognised in order with one index, as the importer does."""
    activities = json.loads(EXPECTED.read_text(encoding="utf-8"))["activities"]
    cells = _seed_cells()
    assert len(cells) == len(activities) == 37
    index = OrganisationIndex()
    readings = []
    for (when, cell), activity in zip(cells, activities, strict=True):
        assert when == activity["when"]["text"]  # the cells line up with the expected rows
        got = []
        for party in read_responsible(cell):
            match = index.resolve(party.name)
            name = match.name if match.how == "fuzzy" else party.name  # the importer's rule
            assert name == match.preferred
            got.append({"name": name, "role": party.role})
        readings.append((cell, got, activity["responsible"]))
    return readings


@pytest.mark.parametrize("row", range(1, 38))
def test_seed_row(row: int) -> None:
    cell, got, expected = _seed_readings()[row - 1]
    assert got == expected, cell


def test_seed_page_break_cell_is_joined() -> None:
    cells = [cell for _, cell in _seed_cells()]
    assert cells[17].endswith(
        "ГБУЗ «Сахалинский областной центр общественного здоровья и медицинской профилактики»"
    )


SEED_KINDS = {
    "Мэрия г. Череповца": "municipal",
    "Мэрия города Череповца": "municipal",
    "Дирекция Ассоциации": "association",
    "Дирекция Ассоциация": "association",
    "Комитет по здравоохранению Правительства Санкт-Петербурга": "regional",
    "Комиссия по демографии, защите семьи, детей и традиционных семейных ценностей "
    "Общественной палаты Российской Федерации": "federal",
    "Администрация г. Перми": "municipal",
    "Министерство здравоохранения Пермского края": "regional",
    "ГБУЗ ПК «Центр общественного здоровья и медицинской профилактики»": "institution",
    "Органы власти муниципальных образований – члены Ассоциации": "collective",
    "Органы власти муниципальных образований - члены Ассоциации": "collective",
    "ООО «Лига здоровья нации»": "company",
    "Министерство здравоохранения Российской Федерации": "federal",
    "ФГБУ «НМИЦ ПН им. В.М. Бехтерева» Минздрава России": "institution",
    "ФГБУ «Национальный медицинский исследовательский центр терапии и профилактической "
    "медицины» Минздрава России": "institution",
    "Администрация г. Хабаровска": "municipal",
    "АНО «Здоровье 360»": "ngo",
    "Предприятия": "collective",
    "Совет Федерации ФС РФ": "federal",
    "Общественная палата РФ": "federal",
    "РСПП": "ngo",
    "Фонд Росконгресс": "ngo",
    "Мэрия г. Владивостока": "municipal",
    "Ответственные городов-побратимов со стороны Китая, Индии": "collective",
    "Представительство ВОЗ в Российской Федерации": "international",
    "Органы власти муниципальных образований – члены Ассоциации (участники Проекта)": (
        "collective"
    ),
    "Министерство экологии и природных ресурсов Республики Казахстан": "international",
    "Акимат г. Астаны": "international",
    "Российский университет дружбы народов (г. Москва)": "university",
    "Министерство здравоохранения Сахалинской области": "regional",
    "ГБУЗ «Сахалинский областной центр общественного здоровья и медицинской профилактики»": (
        "institution"
    ),
    "Федеральный научный центр пищевых систем Российской академии наук": "institution",
    "МГТУ им. Н. Э. Баумана": "university",
    "ВОД «Волонтеры-медики»": "ngo",
    "Совет Федерации Федерального Собрания Российской Федерации": "federal",
    "Образовательные организации среднего профессионального и высшего образования": ("collective"),
    "Образовательные организации высшего образования": "collective",
    "Государственная Дума Федерального Собрания Российской Федерации": "federal",
    "Министерство экономического развития Российской Федерации": "federal",
    "Правительство Санкт-Петербурга": "regional",
    "МИД России": "federal",
    "Россотрудничество": "federal",
    "Министерство здравоохранения Ульяновской области": "regional",
    "ГУЗ «Центр общественного здоровья и медицинской профилактики Ульяновской области»": (
        "institution"
    ),
    "Мэрия г. Новосибирска": "municipal",
    "Члены Координационного комитета Ассоциации": "association",
    "Партнеры Ассоциации": "collective",
    "ФГБУ «Национальный медицинский исследовательский центр терапии и профилактической "
    "медицины» Министерства здравоохранения Российской Федерации": "institution",
    "Региональные центры общественного здоровья и медицинской профилактики": "collective",
    "Эксперты/ партнеры Ассоциации": "collective",
}


def test_every_seed_party_has_the_kind_the_rules_give() -> None:
    seen = set()
    for _, cell in _seed_cells():
        for party in read_responsible(cell):
            assert party.kind == SEED_KINDS[party.name], party.name
            seen.add(party.name)
    assert seen == set(SEED_KINDS)


@pytest.mark.parametrize(("name", "kind"), sorted(SEED_KINDS.items()))
def test_classify_seed_names(name: str, kind: str) -> None:
    assert classify(name) == kind


# --- unseen cells -----------------------------------------------------------------------------

R, ORG, S = "responsible", "organiser", "supporter"
DIRECTORATE = ("Дирекция Ассоциации", R, "association", None)

# (cell, [(name, role, kind, contact), …]) written from the rules.
CELLS = [
    ("Иванова А.П.", [("Иванова А.П.", R, "person", None)]),
    (
        "А.П. Иванова, Петров Иван Сергеевич",
        [("А.П. Иванова", R, "person", None), ("Петров Иван Сергеевич", R, "person", None)],
    ),
    (
        "МБУ «Центр культуры» (О.И. Петрова)",
        [("МБУ «Центр культуры»", R, "institution", "О.И. Петрова")],
    ),
    (
        "Администрация г. Перми (Петрова О.И.), дирекция Ассоциации",
        [("Администрация г. Перми", R, "municipal", "Петрова О.И."), DIRECTORATE],
    ),
    (
        "ГБУЗ «Городская поликлиника № 2» (контактное лицо: Петрова О.И., тел. 8 (8202) 50-00-00)",
        [
            (
                "ГБУЗ «Городская поликлиника № 2»",
                R,
                "institution",
                "Петрова О.И., тел. 8 (8202) 50-00-00",
            )
        ],
    ),
    (
        "МБУ «Центр», контактное лицо: Петрова О.И., тел. 8-999-123-45-67",
        [("МБУ «Центр»", R, "institution", "Петрова О.И., тел. 8-999-123-45-67")],
    ),
    (
        "Организатор: Минздрав России; дирекция Ассоциации",
        [("Минздрав России", ORG, "federal", None), DIRECTORATE],
    ),
    (
        "Организаторы: Правительство Пермского края, Администрация г. Перми",
        [
            ("Правительство Пермского края", ORG, "regional", None),
            ("Администрация г. Перми", ORG, "municipal", None),
        ],
    ),
    (
        "Организатор – Фонд Росконгресс, дирекция Ассоциации",  # no semicolon: both
        [("Фонд Росконгресс", ORG, "ngo", None), ("Дирекция Ассоциации", ORG, "association", None)],
    ),
    (
        "Соорганизаторы: Минздрав России, РСПП",
        [("Минздрав России", ORG, "federal", None), ("РСПП", ORG, "ngo", None)],
    ),
    (
        "дирекция Ассоциации, при поддержке Министерства здравоохранения Пермского края, "
        "Благотворительного фонда «Здоровое поколение»",
        [
            DIRECTORATE,
            ("Министерство здравоохранения Пермского края", S, "regional", None),
            ("Благотворительный фонд «Здоровое поколение»", S, "ngo", None),
        ],
    ),
    (
        "при поддержке губернатора Пермского края, Законодательного собрания Пермского края; "
        "Администрация г. Перми",
        [
            ("Губернатор Пермского края", S, "regional", None),
            ("Законодательное собрание Пермского края", S, "regional", None),
            ("Администрация г. Перми", R, "municipal", None),
        ],
    ),
    (
        "АНО «Центр «Здоровье» и спорт», дирекция Ассоциации",
        [("АНО «Центр «Здоровье» и спорт»", R, "ngo", None), DIRECTORATE],
    ),
    (
        'ООО "Компания "Здоровье"", дирекция Ассоциации',
        [('ООО "Компания "Здоровье""', R, "company", None), DIRECTORATE],
    ),
    (
        "АНО «Здоровье, спорт», дирекция Ассоциации",
        [("АНО «Здоровье, спорт»", R, "ngo", None), DIRECTORATE],
    ),
    (
        "Министерство науки и высшего образования Российской Федерации; "
        "Министерство экологии и природных ресурсов Республики Татарстан",
        [
            ("Министерство науки и высшего образования Российской Федерации", R, "federal", None),
            (
                "Министерство экологии и природных ресурсов Республики Татарстан",
                R,
                "regional",
                None,
            ),
        ],
    ),
    (
        "Министерство физической культуры, спорта и молодежной политики Свердловской области, "
        "дирекция Ассоциации",
        [
            (
                "Министерство физической культуры, спорта и молодежной политики Свердловской "
                "области",
                R,
                "regional",
                None,
            ),
            DIRECTORATE,
        ],
    ),
    (
        "дирекция Ассоциации. Партнеры: ПАО «Сбербанк», РСПП",
        [DIRECTORATE, ("ПАО «Сбербанк»", S, "company", None), ("РСПП", S, "ngo", None)],
    ),
    (
        "дирекция Ассоциации в партнерстве с Общественной палатой РФ, Российским союзом "
        "промышленников и предпринимателей",
        [
            DIRECTORATE,
            ("Общественная палата РФ", S, "federal", None),
            ("Российский союз промышленников и предпринимателей", S, "ngo", None),
        ],
    ),
    (
        "Минздрав России, Минздрав Пермского края (организаторы); дирекция Ассоциации",
        [
            ("Минздрав России", ORG, "federal", None),
            ("Минздрав Пермского края", ORG, "regional", None),
            DIRECTORATE,
        ],
    ),
    (
        "Фонд Росконгресс (организатор), дирекция Ассоциации",
        [("Фонд Росконгресс", ORG, "ngo", None), DIRECTORATE],
    ),
    (
        "При поддержке: Общественная палата РФ, РСПП",
        [("Общественная палата РФ", S, "federal", None), ("РСПП", S, "ngo", None)],
    ),
    (
        "при поддержке Минздрава России, органы власти муниципальных образований – члены "
        "Ассоциации",  # a name that cannot be genitive ends the supporters
        [
            ("Минздрав России", S, "federal", None),
            ("Органы власти муниципальных образований – члены Ассоциации", R, "collective", None),
        ],
    ),
    (
        "при участии органов власти муниципальных образований – членов Ассоциации",
        [("Органы власти муниципальных образований – члены Ассоциации", R, "collective", None)],
    ),
    (
        "Организаторы: Минздрав России, ФГБУ «НМИЦ ТПМ» Минздрава России, совместно с "
        "дирекцией Ассоциации",
        [
            ("Минздрав России", ORG, "federal", None),
            ("ФГБУ «НМИЦ ТПМ» Минздрава России", ORG, "institution", None),
            DIRECTORATE,
        ],
    ),
    ("при поддержке Иванова И.И.", [("Иванова И.И.", S, "person", None)]),
    ("Ответственный: Иванова А.П.", [("Иванова А.П.", R, "person", None)]),
    (
        "дирекция Ассоциации\nМинистерство здравоохранения\nРоссийской Федерации",
        [DIRECTORATE, ("Министерство здравоохранения Российской Федерации", R, "federal", None)],
    ),
    (
        "1. Дирекция Ассоциации;\n2. Администрация г. Перми.",
        [DIRECTORATE, ("Администрация г. Перми", R, "municipal", None)],
    ),
    (
        "  дирекция   Ассоциации ,  предприятия ",
        [DIRECTORATE, ("Предприятия", R, "collective", None)],
    ),
    (
        "Информационные партнеры: ТАСС, «Российская газета»",
        [("ТАСС", S, "other", None), ("«Российская газета»", S, "other", None)],
    ),
    (
        "ФГБОУ ВО «Пермский государственный медицинский университет им. академика Е.А. Вагнера» "
        "Минздрава России, Управление Роспотребнадзора по Пермскому краю",
        [
            (
                "ФГБОУ ВО «Пермский государственный медицинский университет им. академика "
                "Е.А. Вагнера» Минздрава России",
                R,
                "university",
                None,
            ),
            ("Управление Роспотребнадзора по Пермскому краю", R, "federal", None),
        ],
    ),
    (
        "Департамент здравоохранения города Москвы, Городская Дума г. Перми, Администрация "
        "Красносельского района Санкт-Петербурга",
        [
            ("Департамент здравоохранения города Москвы", R, "regional", None),
            ("Городская Дума г. Перми", R, "municipal", None),
            ("Администрация Красносельского района Санкт-Петербурга", R, "municipal", None),
        ],
    ),
    (
        "Всемирная организация здравоохранения, Посольство Республики Беларусь в Российской "
        "Федерации, Ассоциация «Здоровые города, районы и посёлки»",
        [
            ("Всемирная организация здравоохранения", R, "international", None),
            ("Посольство Республики Беларусь в Российской Федерации", R, "international", None),
            ("Ассоциация «Здоровые города, районы и посёлки»", R, "association", None),
        ],
    ),
    (
        "АНО «Здоровье, дирекция Ассоциации",  # an unclosed quote does not swallow the rest
        [("АНО «Здоровье", R, "ngo", None), DIRECTORATE],
    ),
    ("", []),
    ("   ,;  \n ", []),
    ("«»; ()", []),
]


@pytest.mark.parametrize(("cell", "expected"), CELLS, ids=[f"cell{i}" for i in range(len(CELLS))])
def test_unseen_cell(cell: str, expected: list[tuple[str, str, str, str | None]]) -> None:
    got = [(p.name, p.role, p.kind, p.contact) for p in read_responsible(cell)]
    assert got == expected


def test_at_least_25_unseen_cells() -> None:
    assert len(CELLS) >= 25


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Российская академия наук", "institution"),
        ("НИИ питания РАН", "institution"),
        ("Пермский государственный национальный исследовательский университет", "university"),
        ("Академия постдипломного образования ФМБА России", "university"),
        ("МГУ им. М.В. Ломоносова", "university"),
        ("Федеральное агентство по делам молодежи", "federal"),
        ("Росмолодежь", "federal"),
        ("Министерство здравоохранения", "federal"),
        ("Министерство здравоохранения Ульяновской обл.", "regional"),
        ("Ассоциация медицинских сестер России", "ngo"),
        ("Главы муниципальных образований – члены Ассоциации", "collective"),
        ("Муниципальное бюджетное учреждение «Центр культуры»", "institution"),
        ("Европейское региональное бюро ВОЗ", "international"),
        ("ПАО «Ростелеком»", "company"),
        ("Общество с ограниченной ответственностью «Ромашка»", "company"),
        ("Петр Сергеевич Иванов", "person"),
        ("", "other"),
        ("«Российская газета»", "other"),
    ],
)
def test_classify_unseen(name: str, kind: str) -> None:
    assert classify(name) == kind


# --- keys -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spellings",
    [
        (
            "Министерство здравоохранения РФ",
            "Министерство здравоохранения Российской Федерации",
            "министерство  здравоохранения России",
        ),
        ("Мэрия г. Череповца", "Мэрия города Череповца", "мэрия г.Череповца"),
        ("АНО «Здоровье 360»", 'АНО "Здоровье 360"', "АНО “Здоровье 360”", "АНО „Здоровье 360“"),
        (
            "Органы власти муниципальных образований – члены Ассоциации",
            "органы власти муниципальных образований - члены Ассоциации",
            "Органы власти муниципальных образований — члены Ассоциации",
        ),
        (
            "Ассоциация «Здоровые города, районы и посёлки»",
            "АССОЦИАЦИЯ ЗДОРОВЫЕ ГОРОДА РАЙОНЫ И ПОСЕЛКИ",
        ),
        ("МГТУ им. Н. Э. Баумана", "МГТУ имени Н.Э. Баумана"),
        ("ГБУЗ «Поликлиника № 5»", "ГБУЗ «Поликлиника №5»"),
        (
            "Министерство здравоохранения Ульяновской области",
            "Министерство здравоохранения Ульяновской обл.",
        ),
    ],
)
def test_one_key_for_every_spelling(spellings: tuple[str, ...]) -> None:
    assert len({organisation_key(s) for s in spellings}) == 1


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (
            "Министерство здравоохранения Сахалинской области",
            "Министерство здравоохранения Ульяновской области",
        ),
        ("Российский университет дружбы народов", "Министерство здравоохранения РФ"),
        ("Города – члены Ассоциации", "г. Члены Ассоциации"),  # "города" is a city mark only
        ("ГБУЗ «Поликлиника № 5»", "ГБУЗ «Поликлиника № 6»"),
    ],
)
def test_different_organisations_have_different_keys(left: str, right: str) -> None:
    assert organisation_key(left) != organisation_key(right)


def test_key_shape() -> None:
    assert organisation_key("  Мэрия  г. Череповца ") == "мэрия г череповца"
    # A known abbreviation is written out (tests/plandoc/test_abbreviations.py)
    assert organisation_key("Совет Федерации ФС РФ") == "совет федерации федеральное собрание рф"
    assert organisation_key("") == ""
    assert organisation_key("«» – ;") == ""


# --- the index --------------------------------------------------------------------------------


def test_the_seed_typo_is_matched_to_the_known_name() -> None:
    index = OrganisationIndex()
    assert index.resolve("дирекция Ассоциации").how == "new"
    match = index.resolve("дирекция Ассоциация")
    assert (match.how, match.name, match.written) == (
        "fuzzy",
        "Дирекция Ассоциации",
        "Дирекция Ассоциация",
    )
    assert FUZZY_THRESHOLD <= match.score < 100
    assert match.preferred == "Дирекция Ассоциации"
    again = index.resolve("дирекция Ассоциация")  # a known misspelling stays a near miss
    assert (again.how, again.preferred) == ("fuzzy", "Дирекция Ассоциации")
    assert len(index) == 1


DISTINCT = [
    (
        "Министерство здравоохранения Сахалинской области",
        "Министерство здравоохранения Ульяновской области",
    ),
    ("Мэрия г. Череповца", "Мэрия г. Новосибирска"),
    (
        "Образовательные организации высшего образования",
        "Образовательные организации среднего профессионального и высшего образования",
    ),
    (
        "Органы власти муниципальных образований – члены Ассоциации",
        "Органы власти муниципальных образований – члены Ассоциации (участники Проекта)",
    ),
    ("Министерство здравоохранения Омской области", "Министерство здравоохранения Томской области"),
    ("ГБУЗ «Поликлиника № 5»", "ГБУЗ «Поликлиника № 6»"),
    ("Министерство здравоохранения Пермского края", "Министерства здравоохранения Пермского края"),
]


@pytest.mark.parametrize(("first", "second"), DISTINCT)
@pytest.mark.parametrize("threshold", [FUZZY_THRESHOLD, 0.0])
def test_distinct_organisations_are_not_matched(first: str, second: str, threshold: float) -> None:
    """Not even with no similarity threshold at all: the word comparison alone keeps them apart."""
    index = OrganisationIndex(threshold=threshold)
    index.resolve(first)
    match = index.resolve(second)
    assert (match.how, match.name) == ("new", second)
    assert len(index) == 2


@pytest.mark.parametrize(
    ("known", "typo"),
    [
        (
            "Министерство здравоохранения Ульяновской области",
            "Министрество здравоохранения Ульяновской области",
        ),
        (
            "Министерство здравоохранения Пермского края",
            "Министерство здравоохранения Пермскогокрая",
        ),
        ("Мэрия г. Череповца", "Мэрия г. Череповец"),
        (
            "Комитет по здравоохранению Правительства Санкт-Петербурга",
            "Комитет по здравоохранению Правительство Санкт-Петербурга",
        ),
    ],
)
def test_typos_are_matched(known: str, typo: str) -> None:
    index = OrganisationIndex()
    index.add(known, "regional")
    match = index.resolve(typo)
    assert (match.how, match.name, match.kind, match.preferred) == (
        "fuzzy",
        known,
        "regional",
        known,
    )
    assert index.get(known) is not None
    assert typo in index.get(known).aliases  # type: ignore[union-attr]


def test_a_typo_two_organisations_away_is_new_and_names_the_nearest() -> None:
    index = OrganisationIndex()
    index.add("Мэрия г. Омска")
    index.add("Мэрия г. Томска")
    match = index.resolve("Мэрия г. оомска")
    assert match.how == "new"
    assert match.near in ("Мэрия г. Омска", "Мэрия г. Томска")
    assert match.score >= FUZZY_THRESHOLD


def test_exact_matches_keep_the_spelling_and_record_aliases() -> None:
    index = OrganisationIndex()
    first = index.resolve("Мэрия г. Череповца")
    second = index.resolve("мэрия города  Череповца")
    third = index.resolve("Мэрия города Череповца")
    assert first.how == "new"
    assert (second.how, second.name, second.preferred) == (
        "exact",
        "Мэрия г. Череповца",
        "Мэрия города Череповца",
    )
    assert third.how == "exact"
    organisation = index.get("МЭРИЯ Г. ЧЕРЕПОВЦА")
    assert organisation is not None
    assert organisation.name == "Мэрия г. Череповца"
    assert organisation.aliases == ["Мэрия города Череповца"]  # tidied, once, not the name
    assert organisation.key == "мэрия г череповца"
    assert organisation.kind == "municipal"
    assert [o.name for o in index] == ["Мэрия г. Череповца"]


def test_known_organisations_and_their_aliases() -> None:
    index = OrganisationIndex()
    index.add("Дирекция Ассоциации", "association", aliases=["дирекция Ассоциация"])
    index.add("Министерство здравоохранения Российской Федерации", "federal")
    index.add("Министерство здравоохранения РФ")  # the same key: one more spelling
    assert len(index) == 2
    known_typo = index.resolve("Дирекция Ассоциация")
    assert (known_typo.how, known_typo.name) == ("fuzzy", "Дирекция Ассоциации")
    federal = index.resolve("Министерство здравоохранения России")
    assert (federal.how, federal.kind) == ("exact", "federal")
    assert index.get("Министерство здравоохранения РФ").aliases == [  # type: ignore[union-attr]
        "Министерство здравоохранения РФ",
        "Министерство здравоохранения России",
    ]


def test_a_name_without_letters_is_not_registered() -> None:
    index = OrganisationIndex()
    match = index.resolve(" «» ")
    assert isinstance(match, Match)
    assert match.how == "new"
    assert len(index) == 0


# --- robustness, purity and speed ------------------------------------------------------------

PIECES = st.sampled_from(
    [
        "дирекция Ассоциации",
        "Организаторы:",
        "Организатор –",
        "при поддержке",
        "в партнерстве с",
        "(организатор)",
        "(О.И. Петрова)",
        "Иванова А.П.",
        "«",
        "»",
        '"',
        "(",
        ")",
        "„",
        "“",
        ",",
        ";",
        ":",
        ".",
        "\n",
        " – ",
        "тел. 8-999-123-45-67",
        "Совета Федерации ФС РФ",
        "Индии",
        "защите",
        "и",
        "г.",
        "№",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=12).map(" ".join))
def test_any_text_reads_without_raising(text: str) -> None:
    index = OrganisationIndex()
    for party in read_responsible(text):
        assert isinstance(party, Responsible)
        assert party.role in ROLES
        assert party.kind in ORGANISATION_KINDS
        assert party.name
        assert party.name == party.name.strip()
        assert index.resolve(party.name).how in ("new", "exact", "fuzzy")
    assert classify(text) in ORGANISATION_KINDS
    assert isinstance(organisation_key(text), str)
    index.add(text, aliases=[text[::-1]])


def test_the_module_does_not_import_django() -> None:
    tree = ast.parse(Path(organisations.__file__).read_text(encoding="utf-8"))
    imported = [
        name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for name in (
            [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
        )
    ]
    assert not [name for name in imported if name.split(".")[0] == "django"]


def test_two_thousand_rows_are_recognised_as_the_same_few_organisations() -> None:
    """2,000 rows × 5 parties, with typos: every spelling lands on its organisation (speed is
    measured by `make bench`, not here)."""
    regions = ["Пермского края", "Сахалинской области", "Ульяновской области", "Омской области"]
    cities = ["Череповца", "Перми", "Хабаровска", "Владивостока", "Новосибирска", "Томска"]
    cells = []
    for row in range(2000):
        region, city = regions[row % len(regions)], cities[row % len(cities)]
        typo = "Министрество" if row % 20 == 0 else "Министерство"
        cells.append(
            f"Организаторы: {typo} здравоохранения {region}, Администрация г. {city}; "
            f"дирекция Ассоциации, МБУ «Центр № {row % 300}» (Петрова О.И.), "
            f"при поддержке Общественной палаты РФ"
        )
    index = OrganisationIndex()
    parties = 0
    for cell in cells:
        for party in read_responsible(cell):
            index.resolve(party.name)
            parties += 1
    assert parties == 10_000
    assert len(index) == len(regions) + len(cities) + 1 + 300 + 1


# -- people as school and municipal plans write them ---------------------------------------------


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("Кулешова Р.В. Звягина М.А.", ["Кулешова Р.В.", "Звягина М.А."]),
        ("Нечаева А. В.", ["Нечаева А. В."]),
        (
            "Кулешова Р.В. Деменко Л.Я. Главы поселений и руководители структурных подразделений",
            [
                "Кулешова Р.В.",
                "Деменко Л.Я.",
                "Главы поселений",
                "Руководители структурных подразделений",
            ],
        ),
        ("Смирнова О.А. – главный библиотекарь", ["Смирнова О.А."]),
        ("Гусева В.П. -заведующий детским отделом", ["Гусева В.П."]),
        ("Методист ЦКС Амагу Х.С.", ["Амагу Х.С."]),
        ("Классные руководители Столярова И.В.", ["Классные руководители", "Столярова И.В."]),
        ("Мухорин Д.А. и ансамбль «Мейян пае»", ["Мухорин Д.А.", "Ансамбль «Мейян пае»"]),
        (
            "МБУ Музей Ш.Худайбердина Абдульманова Г.М.",
            ["МБУ Музей Ш.Худайбердина", "Абдульманова Г.М."],
        ),
        ("Г.В.Куралесина", ["Г.В.Куралесина"]),
        ("ЦБ Абрамова Е Ю Светлакова О А", ["ЦБ", "Абрамова Е Ю", "Светлакова О А"]),
        (
            "Кл. руководители Организатор Библиотекарь",
            ["Кл. руководители", "Организатор", "Библиотекарь"],
        ),
        ("Зав. по ВР и СВ. Зав. отделениями", ["Зав. по ВР и СВ", "Зав. отделениями"]),
        (
            "Директор В.С. Сачивко, хранитель фондов Н.Н. Прядунова",
            ["В.С. Сачивко", "Н.Н. Прядунова"],
        ),
        (
            "Министерство здравоохранения и социального развития",
            ["Министерство здравоохранения и социального развития"],
        ),
        (
            'и.о. начальника МУ "Управление по делам ГОЗНТЧС города Брянска" А.А.Горбачев',
            ["А.А.Горбачев"],
        ),
        (
            "Усманская сельская библиотека-филиал № 21 Группа инф. технологий",
            ["Усманская сельская библиотека-филиал № 21", "Группа инф. технологий"],
        ),
        ("Школа № 5 Ленинского района", ["Школа № 5 Ленинского района"]),
        ("Валентина Вячеславовна Ени 79 444", ["Валентина Вячеславовна Ени"]),
        ("Лицей № 1535", ["Лицей № 1535"]),
        ('зам директора МБУ"РКЦ" Кудрявцева Е.С.', ["Кудрявцева Е.С."]),
        ("Классные руководители и воспитатели", ["Классные руководители", "Воспитатели"]),
        ("Матлашова Д.А., зав. Геймановской п/б 89186258893", ["Матлашова Д.А."]),
        ("Щербакова М.В., гл. библиотекарь юношеской кафедры", ["Щербакова М.В."]),
        ("Черкасов М.Н., ст. вожатый", ["Черкасов М.Н."]),
        ("По Положению", []),  # set by the contest's regulations, no party
        (
            "Иванова И.И., учителя начальных классов",
            ["Иванова И.И.", "Учителя начальных классов"],
        ),
        (
            "Отдел культуры и молодежной политики",
            ["Отдел культуры и молодежной политики"],
        ),
    ],
)
def test_people_listed_without_commas_and_their_positions(cell: str, names: list[str]) -> None:
    assert [party.name for party in read_responsible(cell)] == names


def test_by_agreement_stays_with_its_party_not_in_its_name() -> None:
    parties = read_responsible("Гладкий И.А. (по согласованию) Мацалышенко В.М.")
    assert [(party.name, party.remark) for party in parties] == [
        ("Гладкий И.А.", "по согласованию"),
        ("Мацалышенко В.М.", None),
    ]
    (party,) = read_responsible("главы сельских поселений (по согласованию)")
    assert (party.name, party.remark) == ("Главы сельских поселений", "по согласованию")
