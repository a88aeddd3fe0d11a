"""Known abbreviations as equivalences in the organisations' keys (plandoc.abbreviations)."""

from __future__ import annotations

import pytest

from civicplan.plandoc import abbreviations
from civicplan.plandoc.organisations import OrganisationIndex, organisation_key, plain_key

SAME = [
    ("Минздрав России", "Министерство здравоохранения Российской Федерации"),
    ("Отдел Минздрава России", "Отдел Министерства здравоохранения РФ"),
    ("ФС РФ", "Федеральное собрание Российской Федерации"),
    ("Совет Федерации ФС РФ", "СФ Федерального собрания РФ"),
    (
        "ГБУЗ «Городская поликлиника № 2»",
        "Государственное бюджетное учреждение здравоохранения «Городская поликлиника № 2»",
    ),
    (
        "ФГБУ «НМИЦ ТПМ» Минздрава России",
        "Федеральное государственное бюджетное учреждение «НМИЦ ТПМ» Министерства "
        "здравоохранения Российской Федерации",
    ),
    ("ЕРБ ВОЗ", "Европейское региональное бюро Всемирной организации здравоохранения"),
    ("Офис ЕРБ ВОЗ", "Офис Европейского регионального бюро ВОЗ"),
    (
        "Управление Роспотребнадзора по Пермскому краю",
        "Управление Федеральной службы по надзору в сфере защиты прав потребителей и "
        "благополучия человека по Пермскому краю",
    ),
    ("ЦОЗиМП", "ЦОЗМП"),
    ("ЦОЗМП г. Перми", "Центр общественного здоровья и медицинской профилактики г. Перми"),
    ("Администрация МО г. Пермь", "Администрация муниципального образования город Пермь"),
    ("АНО «Здоровье»", "Автономная некоммерческая организация «Здоровье»"),
    ("МБОУ СОШ № 5", "Муниципальное бюджетное общеобразовательное учреждение СОШ № 5"),
    ("Общественная палата РФ", "ОП РФ"),
]


@pytest.mark.parametrize(("short", "full"), SAME)
def test_an_abbreviation_and_its_full_form_have_one_key(short: str, full: str) -> None:
    assert organisation_key(short) == organisation_key(full)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # A name's first word is taken as written, as everywhere in the keys.
        (
            "Министерство здравоохранения Пермского края",
            "Министерства здравоохранения Пермского края",
        ),
        ("ГБУЗ «Поликлиника № 5»", "ГБУЗ «Поликлиника № 6»"),
        ("ГБУ «Центр»", "ГБУЗ «Центр»"),
        ("Минздрав Пермского края", "Минздрав России"),
    ],
)
def test_other_names_stay_apart(first: str, second: str) -> None:
    assert organisation_key(first) != organisation_key(second)


def test_the_index_matches_an_abbreviation_to_the_full_name_and_keeps_the_text() -> None:
    index = OrganisationIndex()
    first = index.resolve("Министерство здравоохранения Российской Федерации")
    again = index.resolve("Минздрав России")
    assert (first.how, again.how) == ("new", "exact")
    assert again.name == "Министерство здравоохранения Российской Федерации"
    assert again.written == "Минздрав России"  # what the plan says is kept as written
    assert len(index) == 1


def test_a_misspelt_full_form_is_still_a_near_miss() -> None:
    """The key keeps full forms, so a typo in one stays one letter away."""
    index = OrganisationIndex()
    index.add("Минздрав Ульяновской области", "regional")
    match = index.resolve("Министрество здравоохранения Ульяновской области")
    assert (match.how, match.name) == ("fuzzy", "Минздрав Ульяновской области")


def test_the_shipped_list_reads_and_every_line_is_a_rule() -> None:
    with abbreviations.ABBREVIATIONS.open(encoding="utf-8") as lines:
        pairs = abbreviations.read_list(lines)
    assert len(pairs) > 100
    assert ("ГБУЗ", "государственное бюджетное учреждение здравоохранения") in pairs
    for short, full in pairs:
        if plain_key(short) != plain_key(full):
            assert organisation_key(short) == organisation_key(full), short


def test_a_line_without_a_tab_is_refused() -> None:
    with pytest.raises(ValueError, match="abbreviation<TAB>full form"):
        abbreviations.read_list(["# a note", "", "ГБУЗ государственное учреждение"])


def test_a_list_of_ones_own() -> None:
    expander = abbreviations.Expander([("ПК", "Пермский край")], plain_key)
    assert expander.expand("гбуз пк") == "гбуз пермский край"
    assert expander.expand("министерство пермского края") == "министерство пермский край"
    assert expander.expand("пкк") == "пкк"  # whole words only
