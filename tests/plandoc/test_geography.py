"""One list of countries and federal cities: places and organisations read them alike."""

from __future__ import annotations

import pytest

from civicplan.plandoc.geography import COUNTRY_NAMES, FEDERAL_CITIES, RUSSIA
from civicplan.plandoc.model import City
from civicplan.plandoc.organisations import classify
from civicplan.plandoc.places import read_place

GOVERNMENTS = {
    "Москва": "Правительство Москвы",
    "Санкт-Петербург": "Правительство Санкт-Петербурга",
    "Севастополь": "Правительство Севастополя",
}


def test_every_federal_city_is_checked() -> None:
    assert set(GOVERNMENTS) == FEDERAL_CITIES


@pytest.mark.parametrize("city", sorted(GOVERNMENTS))
def test_federal_city_is_a_region_of_russia_as_a_place_and_for_an_organisation(city: str) -> None:
    assert read_place(f"г. {city}").cities == (City(name=city, region=None, country=RUSSIA),)
    assert read_place(city).cities == (City(name=city, region=None, country=RUSSIA),)
    assert classify(GOVERNMENTS[city]) == "regional"


def test_sevastopol_is_russian_whatever_the_settlements_list_says() -> None:
    # GeoNames lists Sevastopol under UA; as a federal city it is a region of Russia of its own.
    place = read_place("г. Севастополь, Республика Крым")
    assert place.cities == (City(name="Севастополь", region=None, country=RUSSIA),)
    assert classify("Департамент здравоохранения Севастополя") == "regional"


@pytest.mark.parametrize(
    ("country", "genitive"),
    [
        ("Казахстан", "Казахстана"),
        ("Израиль", "Израиля"),
        ("Япония", "Японии"),
        ("Абхазия", "Абхазии"),
    ],
)
def test_foreign_country_is_foreign_as_a_place_and_for_an_organisation(
    country: str, genitive: str
) -> None:
    assert country in COUNTRY_NAMES
    assert read_place(f"г. Ивановск, {country}").cities == (
        City(name="Ивановск", region=None, country=country),
    )
    assert classify(f"Министерство здравоохранения {genitive}") == "international"
