"""The «Место проведения» cell: every seed row exactly, unseen cells, formats, robustness."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civicplan.plandoc.data import build_settlements
from civicplan.plandoc.model import FORMATS, SCOPES, City, Place
from civicplan.plandoc.places import COUNTRIES, SETTLEMENTS, place_at_end, read_format, read_place

EXPECTED = Path(__file__).parents[1] / "data" / "plan-2024.expected.json"
SEED = json.loads(EXPECTED.read_text(encoding="utf-8"))["activities"]


def _place(data: dict[str, Any]) -> Place:
    cities = tuple(City(**city) for city in data["cities"])
    return Place(text=data["text"], cities=cities, venue=data["venue"], scope=data["scope"])


def _city(name: str, region: str | None = None, country: str = "Россия") -> City:
    return City(name=name, region=region, country=country)


# -- the 2024 plan: all 37 rows ---------------------------------------------------------------


@pytest.mark.parametrize("activity", SEED, ids=[f"row{a['position']}" for a in SEED])
def test_seed_place(activity: dict[str, Any]) -> None:
    assert read_place(activity["place"]["text"]) == _place(activity["place"])


@pytest.mark.parametrize("activity", SEED, ids=[f"row{a['position']}" for a in SEED])
def test_seed_format(activity: dict[str, Any]) -> None:
    assert read_format(activity["place"]["text"]) == activity["format"]


def test_seed_has_all_rows_and_the_empty_cell() -> None:
    assert len(SEED) == 37
    assert SEED[-1]["place"]["text"] is None
    assert read_place(None) == Place()
    assert read_format(None) is None


# -- unseen cells ------------------------------------------------------------------------------

KRASNODAR = "Краснодарский край"

UNSEEN: list[tuple[str, tuple[City, ...], str | None, str | None]] = [
    # text, cities, venue, scope
    ("с. Дивноморское Краснодарского края", (_city("Дивноморское", KRASNODAR),), None, None),
    ("пгт. Ярега Республики Коми", (_city("Ярега", "Республика Коми"),), None, None),
    ("г.Пермь", (_city("Пермь"),), None, None),
    ("Москва", (_city("Москва"),), None, None),
    ("Казань", (_city("Казань"),), None, None),
    ("Казань, Республика Татарстан", (_city("Казань", "Республика Татарстан"),), None, None),
    ("г. Нижний Новгород", (_city("Нижний Новгород"),), None, None),
    ("г. Казани", (_city("Казань"),), None, None),
    ("в г. Перми", (_city("Пермь"),), None, None),
    ("г. Минск Республики Беларусь", (_city("Минск", country="Беларусь"),), None, None),
    ("г. Минск", (_city("Минск", country="Беларусь"),), None, None),
    ("г. Пермь, г. Екатеринбург", (_city("Пермь"), _city("Екатеринбург")), None, None),
    ("г. Пермь; г. Пермь", (_city("Пермь"),), None, None),
    ("г. Пермь, г. Пермь Пермского края", (_city("Пермь", "Пермский край"),), None, None),
    # a village is never taken for the town of the list (Ивановка is a town in Kyrgyzstan)
    ("д. Ивановка Тверской области", (_city("Ивановка", "Тверская область"),), None, None),
    ("г. Брест", (_city("Брест", country="Беларусь"),), None, None),
    ("г. Королев Московской области", (_city("Королёв", "Московская область"),), None, None),
    ("г. Орла", (_city("Орёл"),), None, None),
    ("Город Сочи", (_city("Сочи"),), None, None),
    (
        "г. Казань (Республика Татарстан)",
        (_city("Казань", "Республика Татарстан"),),
        None,
        None,
    ),
    ("г. Пермь, Пермский край, Россия", (_city("Пермь", "Пермский край"),), None, None),
    ("Республика Беларусь, г. Гродно", (_city("Гродно", country="Беларусь"),), None, None),
    (
        "Дом культуры «Октябрь», г. Сургут Ханты-Мансийского автономного округа – Югры",
        (_city("Сургут", "Ханты-Мансийский автономный округ – Югра"),),
        "Дом культуры «Октябрь»",
        None,
    ),
    ("ДК «Октябрь» г. Сургут", (_city("Сургут"),), "ДК «Октябрь»", None),
    ("ДК «Октябрь» в г. Сургуте", (_city("Сургут"),), "ДК «Октябрь»", None),
    # a city in the genitive is part of the venue's name
    ("Администрация г. Перми", (_city("Пермь"),), "Администрация г. Перми", None),
    ("ДК «Октябрь» г. Сургута", (_city("Сургут"),), "ДК «Октябрь» г. Сургута", None),
    ("ДК «Юбилейный» (ул. Ленина, 5)", (), "ДК «Юбилейный» (ул. Ленина, 5)", None),
    (
        "Муниципальные образования – члены Ассоциации (по отдельному плану)",
        (),
        None,
        "members",
    ),
    ("онлайн", (), None, None),
    ("в формате ВКС", (), None, None),
    ("Гибридный формат", (), None, None),
    ("по согласованию", (), None, None),
    ("ДК «Юбилейный»", (), "ДК «Юбилейный»", None),
    ("муниципальные образования – члены Ассоциации", (), None, "members"),
    ("Муниципальные образования-члены Ассоциации", (), None, "members"),
    ("МУНИЦИПАЛЬНЫЕ ОБРАЗОВАНИЯ — ЧЛЕНЫ АССОЦИАЦИИ", (), None, "members"),
    ("муниципальные образования – участники Конкурса", (), None, "contest_participants"),
    ("г. Ростов-на-Дону", (_city("Ростов-на-Дону"),), None, None),
    (
        "г. Великие Луки Псковской области",
        (_city("Великие Луки", "Псковская область"),),
        None,
        None,
    ),
    ("г. Набережные Челны", (_city("Набережные Челны"),), None, None),
    (
        "г. Санкт-Петербург, Конгрессно-выставочный центр «Экспофорум»",
        (_city("Санкт-Петербург"),),
        "Конгрессно-выставочный центр «Экспофорум»",
        None,
    ),
    ("Вологодская область, г. Череповец", (_city("Череповец", "Вологодская область"),), None, None),
    (
        "г. Череповец (Вологодская область)",
        (_city("Череповец", "Вологодская область"),),
        None,
        None,
    ),
    ("г. Москва Московской области", (_city("Москва"),), None, None),
    ("г. Астана, Казахстан", (_city("Астана", country="Казахстан"),), None, None),
    ("г. Алматы Республики Казахстан", (_city("Алматы", country="Казахстан"),), None, None),
    ("г. Пекин (Китай)", (_city("Пекин", country="Китай"),), None, None),
    ("г. Харбин Китайской Народной Республики", (_city("Харбин", country="Китай"),), None, None),
    ("г. Бишкек Кыргызской Республики", (_city("Бишкек", country="Киргизия"),), None, None),
    (
        "г. Якутск Республики Саха (Якутия)",
        (_city("Якутск", "Республика Саха (Якутия)"),),
        None,
        None,
    ),
    (
        "г. Владикавказ Республики Северная Осетия – Алания",
        (_city("Владикавказ", "Республика Северная Осетия – Алания"),),
        None,
        None,
    ),
    (
        "г. Чебоксары Чувашской Республики – Чувашии",
        (_city("Чебоксары", "Чувашская Республика – Чувашия"),),
        None,
        None,
    ),
    (
        "с. Дивноморское Геленджикского района Краснодарского края",
        (_city("Дивноморское", KRASNODAR),),
        None,
        None,
    ),
    ("г. Томск Томской обл.", (_city("Томск", "Томская область"),), None, None),
    (
        "г. Новый Уренгой Ямало-Ненецкого АО",
        (_city("Новый Уренгой", "Ямало-Ненецкий автономный округ"),),
        None,
        None,
    ),
    ("г. Москва, ул. Ильинка, д. 6", (_city("Москва"),), "ул. Ильинка, д. 6", None),
    ("г. Москва (онлайн)", (_city("Москва"),), None, None),
    ("г. Пермь, онлайн-трансляция", (_city("Пермь"),), None, None),
    ("Электронная площадка Ассоциации", (), "Электронная площадка Ассоциации", None),
    ("Правительство Пермского края", (), "Правительство Пермского края", None),
    ("Казань Экспо", (), "Казань Экспо", None),
    ("—", (), None, None),
    (
        "г. Москва, РУДН; муниципальные образования – участники Конкурса",
        (_city("Москва"),),
        "РУДН",
        "contest_participants",
    ),
]


@pytest.mark.parametrize(("text", "cities", "venue", "scope"), UNSEEN, ids=[u[0] for u in UNSEEN])
def test_unseen_place(
    text: str, cities: tuple[City, ...], venue: str | None, scope: str | None
) -> None:
    assert read_place(text) == Place(text=text, cities=cities, venue=venue, scope=scope)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("онлайн", "online"),
        ("Онлайн-формат", "online"),
        ("в формате ВКС", "online"),
        ("видеоконференцсвязь", "online"),
        ("дистанционно", "online"),
        ("Вебинар-платформа Ассоциации", "online"),
        ("Электронная площадка Ассоциации", "online"),
        ("Гибридный формат", "hybrid"),
        ("Офлайн/онлайн формат", "hybrid"),
        ("онлайн/офлайн", "hybrid"),
        ("очно-заочный формат", "hybrid"),
        ("г. Москва (онлайн)", "hybrid"),
        ("г. Пермь, онлайн-трансляция", "hybrid"),
        ("очно", "offline"),
        ("г. Казани", "offline"),
        ("ДК «Юбилейный»", "offline"),
        ("по согласованию", "offline"),
        ("Муниципальные образования – члены Ассоциации", "offline"),
        ("", None),
        ("   \n", None),
        ("—", None),
    ],
)
def test_format(text: str, expected: str | None) -> None:
    assert read_format(text) == expected


def test_text_is_the_cell_stripped_and_blank_is_empty() -> None:
    assert read_place("  г. Пермь \n").text == "г. Пермь"
    assert read_place("   ") == Place()
    assert read_place("") == Place()


# -- never raises --------------------------------------------------------------------------------

_VOCABULARY = st.sampled_from(
    [
        "г.",
        "г. Пермь",
        "с.",
        "пгт.",
        "Республики",
        "Республика",
        "области",
        "обл.",
        "края",
        "АО",
        "автономного округа",
        "–",
        "-",
        "(",
        ")",
        "«",
        "»",
        '"',
        ",",
        ";",
        "/",
        " / ",
        "\n",
        "онлайн",
        "Москва",
        "Казахстана",
        "члены Ассоциации",
        "участники Конкурса",
        "Вологодской",
        "Югры",
        "ДК",
        "",
        " ",
        ".",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), st.lists(_VOCABULARY, max_size=12).map(" ".join)))
def test_never_raises(text: str) -> None:
    place = read_place(text)
    assert place.text == (text.strip() or None)
    assert read_format(text) in (*FORMATS, None)
    assert place.scope in (*SCOPES, None)
    assert len({(city.name, city.country) for city in place.cities}) == len(place.cities)


def test_long_cells_stay_cheap() -> None:
    many = ", ".join(["г. Пермь"] * 3000)
    assert read_place(many).cities == (_city("Пермь"),)
    glued = "г. Пермь " * 3000  # one piece: too long to look inside, kept as written
    assert read_place(glued) == Place(text=glued.strip(), venue=glued.strip())
    assert read_format("«" + "г. Пермь (" * 500) == "offline"


# -- the settlements list ----------------------------------------------------------------------


def test_settlements_list_is_small_and_cyrillic() -> None:
    lines = SETTLEMENTS.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "name\tcountry\tpopulation"
    rows = [line.split("\t") for line in lines[1:]]
    assert 500 < len(rows) < 5000
    assert all(len(row) == 3 and row[2].isdigit() and row[1] in COUNTRIES for row in rows)
    assert all(re.fullmatch(r"[А-ЯЁ][А-Яа-яЁё -]*", row[0]) for row in rows)
    assert ["Москва", "RU", "10381222"] in rows


def test_russian_name_is_chosen_among_alternate_names() -> None:
    kazan = {"name": "Kazan", "countrycode": "RU", "alternatenames": ["Kazan", "Казан", "Казань"]}
    assert build_settlements.russian_name(kazan) == "Казань"
    # far abroad, a name pymorphy3 does not know is not taken for Russian ("Источни Лондон")
    serbian = {"name": "East London", "countrycode": "ZA", "alternatenames": ["Источни Лондон"]}
    assert build_settlements.russian_name(serbian) is None


def test_places_does_not_import_django() -> None:
    code = "import sys, civicplan.plandoc.places; print('django' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("text", "cities"),
    [
        ("Кожино", ["Кожино"]),
        ("Дорохово ДК", ["Дорохово"]),
        ("Лыщиково СК", ["Лыщиково"]),
        ("Богородский СК", []),  # an adjective: the club's name, not a village
        ("Кино", []),  # common nouns of the same ending
        ("Домино", []),
        ("Пианино", []),
        ("Дорохово, парк культуры", ["Дорохово"]),
    ],
)
def test_a_village_named_without_its_marker(text: str, cities: list[str]) -> None:
    assert [city.name for city in read_place(text).cities] == cities


@pytest.mark.parametrize(
    ("text", "city"),
    [
        ("в парке ст. Новоджерелиевской", "Новоджерелиевская"),  # станица: feminine
        ("Мемориал Славы в хуторе Ивановском", "Ивановский"),  # хутор: masculine
        ("в селе Петровском", "Петровское"),  # село: neuter
        ("х. Донской", "Донской"),  # already the nominative
        ("Клуб д.Л.Гора", "Л.Гора"),  # the first word abbreviated
        ("д.Марьино обелиск", "Марьино"),
        ("МБОУ «СОШ №16» ст-ца Геймановская, ул. Октябрьская, 7", "Геймановская"),
        ("г. Каменск-Уральский", "Каменск-Уральский"),
        ("площадь при Доме культуры (п.Окунайский, ул. Ленина, д.5)", "Окунайский"),
        ("ДК (Москва, онлайн)", "Москва"),
    ],
)
def test_a_settlements_name_in_the_nominative_of_its_kind(text: str, city: str) -> None:
    assert [found.name for found in read_place(text).cities] == [city]


@pytest.mark.parametrize(
    ("text", "cities"),
    [
        ("Лесная поляна близ дороги на с.Малая Валяевка", []),
        ("стоянка у трассы в направлении г. Пенза", []),
        ("Экскурсия в г. Пермь", ["Пермь"]),  # a trip is held where it goes
        ("ДК в г. Сургуте", ["Сургут"]),
        ("поездка в г. Тулу", ["Тула"]),  # the accusative
    ],
)
def test_a_settlement_a_road_leads_to_is_not_the_place(text: str, cities: list[str]) -> None:
    assert [city.name for city in read_place(text).cities] == cities


def test_a_place_set_by_another_document_is_no_venue() -> None:
    place = read_place("По Положению")
    assert (place.cities, place.venue, place.scope) == ((), None, None)


@pytest.mark.parametrize(
    ("text", "cut"),
    [
        (
            "Открытые соревнования, посвященные памяти Л.И. Гарбера, оз. Тургояк, Миасс",
            ("Открытые соревнования, посвященные памяти Л.И. Гарбера", "оз. Тургояк, Миасс", ""),
        ),
        (
            "Первенство по туризму на пешеходных дистанциях (оз. Тургояк, Миасс)",
            ("Первенство по туризму на пешеходных дистанциях", "оз. Тургояк, Миасс", ""),
        ),
        (
            "Первенство по ориентированию. Лично-командные соревнования. г.Чебаркуль.",
            ("Первенство по ориентированию. Лично-командные соревнования", "г.Чебаркуль", ""),
        ),
        (
            "Торжественный прием, приуроченный ко Дню физкультурника, ул. Цвиллинга 27, 13:00",
            (
                "Торжественный прием, приуроченный ко Дню физкультурника",
                "ул. Цвиллинга 27",
                "13:00",
            ),
        ),
        ("Концерт, посвящённый Дню города", ("Концерт, посвящённый Дню города", "", "")),
        ("Выставка рисунков (2-4 классы)", ("Выставка рисунков (2-4 классы)", "", "")),
    ],
)
def test_the_place_at_the_end_of_an_activity_and_place_cell(
    text: str, cut: tuple[str, str, str]
) -> None:
    assert place_at_end(text) == cut


def test_a_route_typed_without_spaces_gives_both_settlements() -> None:
    assert [c.name for c in read_place("г.Цимлянск-ст.Маркинская").cities] == [
        "Цимлянск",
        "Маркинская",
    ]
