"""The «Место проведения» cell understood: cities, venue, scope and the activity's format.

Plans write venues as the sentence needs them: "г. Череповец Вологодской области",
"г. Астана Республики Казахстан", "г. Москва, Общественная палата РФ", "Муниципальные
образования – члены Ассоциации", "Офлайн/онлайн формат". The cell is split into pieces at
commas and semicolons; each piece is a city (with its region and country), a region or country
of a neighbouring city, a scope, a format phrase or, failing all these, a venue kept as written.

A city is found by its marker ("г.", "с.", "пгт." …), and then it need not be known, or
without one when the shipped settlements list knows it ("Москва", "Казань") or when it is a
village's name of the neuter form, alone or before its club ("Кожино", "Дорохово ДК"). Regions and
countries are found by their anchor words ("области", "края", "Республики" …) and put in the
nominative with pymorphy3, never inferred from the city.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from civicplan.plandoc.geography import COUNTRIES, FEDERAL_CITIES, RUSSIA, country_keys
from civicplan.plandoc.model import City, Place
from civicplan.plandoc.morphology import (
    can_be_nominative,
    is_dictionary_word,
    parses,
    to_nominative,
)

SETTLEMENTS = Path(__file__).with_name("data") / "settlements.tsv"
_COUNTRY_KEYS = country_keys()

_CASES = ("gent", "loct", "datv", "ablt", "accs")  # «в г. Тулу»: the accusative too
_VILLAGE_NAME = re.compile(r"[А-ЯЁ][а-яё]{2,}(?:ов|ев|ёв|ин|ын)о")
_ABBREVIATION = re.compile(r"[А-ЯЁ]{2,5}")  # «ДК», «СК», «СДК», «СОШ»
_PROPER_NAME = frozenset(("Geox", "Surn", "Name", "Patr"))
_DASHES = frozenset("-–—‑−")  # hyphen, en dash, em dash, non-breaking hyphen, minus

_MARKER = re.compile(
    r"(?:г|гор|г\.о|го|пгт|рп|р\.п|пос|дер|ст|ст-ца|с|п|д|х)\.|пгт|рп|ст-ца"
    r"|город[ау]?|городе|сел[оау]|селе|пос[её]л(?:ок|ка|ке)|деревн[яие]|станиц[аые]|хутор[ае]?|аул"
)
_MARKER_CAPITAL = re.compile(r"г\.|город[ау]?|городе", re.IGNORECASE)  # "Г. Пермь", "Город Сочи"
# A marker written with a capital as a cell's first word ("С. Шемурша", "Д. Копчиково"): there a
# capital is the sentence's, not an initial (a person is not a venue).
_FIRST_MARKER = re.compile(r"(?:пгт|рп|пос|дер|ст|с|п|д|х)\.", re.IGNORECASE)
_GLUED_MARKER = re.compile(r"(?<![А-Яа-яЁё.\-])(г|гор|пгт|пос|дер|рп|ст|п|с|д|х)\.(?=[А-ЯЁ])")
_NAME = re.compile(
    r"[А-ЯЁ][а-яё]+(?:-(?:[А-ЯЁ][а-яё]+|[а-яё]{1,3}(?=-)|[а-яё]+$))*\.?"
)  # "Пермь", "Ростов-на-Дону", "Петропавловск-Камчатский"; never an abbreviation like "ДК"
# A route typed without spaces, «г.Цимлянск-ст.Маркинская»: a dash between two settlements.
_ROUTE_HYPHEN = re.compile(r"(?<=[а-яё])-(?=(?:г|гор|ст|с|п|пос|д|дер|х|пгт|рп)\.\s?[А-ЯЁ])")
_TIME_ALONE = re.compile(r"(?:в\s*)?(?:[01]?\d|2[0-3])[:.][0-5]\d(?:\s*ч\.?)?", re.IGNORECASE)
# The first word of an address or a natural place: «ул.», «пр-т», «пл.», «оз.», «р.», «пос.».
_WHERE_WORD = re.compile(
    r"(?:ул|улица|пр|просп|пр-т|пер|пл|площадь|наб|мкр|оз|озеро|р|река|г|гор|п|пос|с|д|пгт"
    r"|рп|ст|х)\.?\s*[А-ЯЁ\d«\"]",
)
# The grammatical gender of a settlement's kind, by its marker: the ending of its name.
_MARKER_GENDERS = {
    "г": "masc", "гор": "masc", "пос": "masc", "п": "masc", "х": "masc", "пгт": "masc",
    "рп": "masc", "с": "neut", "ст": "femn", "ст-ца": "femn", "д": "femn", "дер": "femn",
}  # fmt: skip
_MARKER_STEMS = (
    ("город", "masc"), ("посел", "masc"), ("посёл", "masc"), ("хутор", "masc"),
    ("сел", "neut"), ("станиц", "femn"), ("деревн", "femn"),
)  # fmt: skip
# An adjective-form name («…ский», «…цкая») in an oblique case.
_OBLIQUE_ADJECTIVE = re.compile(r"([А-ЯЁ][а-яё-]*[сц]к)(ого|ому|ом|им|ой|ую)")
# Words before a settlement that make it where a road leads, not where the activity is:
# «близ дороги на», «у трассы на», «в направлении», «в сторону» (a trip to a town is held there).
_TOWARDS = re.compile(
    r"(?:\b(?:дорог|трасс|шоссе)\w*\s+(?:на|в|к|до)|\bв\s+(?:направлении|сторону))\s*$",
    re.IGNORECASE,
)
# After a marker, a name may abbreviate its first word: «д. Л.Гора», «с. Б.Ключи».
_MARKED_NAME = re.compile(rf"(?:[А-ЯЁ]\.)?{_NAME.pattern}")
_TOKEN = re.compile(r"«[^»]*(?:»|$)|\([^()]*(?:\)|$)|\"[^\"]*(?:\"|$)|“[^”]*(?:”|$)|[^\s«(\"“]+")
_REGION_ANCHOR = re.compile(
    r"(?i:област[ьиюя]\w*|обл\.?|кра[йяюе]|краем|края[хм]?|округ\w*|республик\w*|респ\.?)|АО"
)
# Abbreviated anchors -> (nominative, genitive); the adjective before tells which is meant.
_ANCHOR_WORDS = {
    "обл": ("область", "области"),
    "ао": ("автономный округ", "автономного округа"),
    "респ": ("Республика", "Республики"),
}
_NOMINATIVE_ANCHORS = frozenset(("область", "край", "округ", "республика"))
_DISTRICT_ANCHOR = re.compile(r"район\w*|р-н\w*|округ\w*", re.IGNORECASE)
_REPUBLIC = re.compile(r"республик\w*|респ\.?", re.IGNORECASE)
_PREPOSITIONS = frozenset(("в", "во", "на"))
_LONGEST_PIECE = 200  # characters; a longer piece is kept as a venue without looking inside

_SCOPE = re.compile(
    r"(?:во?\s+)?(?:все[хм]?\s+)?"
    r"(?:(?:муниципальн\w*\s+образовани\w*|город\w*|муниципалитет\w*|поселени\w*|территори\w*|МО)"
    r"\s*[-–—‑−]+\s*)?"
    r"(член|участник)\w*\s+(ассоциаци|конкурс)\w*(?:\s+«.*)?(?:\s*\(.*\))?\.?",
    re.IGNORECASE,
)
_TO_BE_AGREED = re.compile(
    r"по\s+согласованию|на\s+согласовании|уточня\w+|определя\w+|подлежит\s+уточнению"
    r"|будет\s+(?:уточнено|определено|объявлено)|не\s+определено|tbd"
    r"|(?:по|согласно)\s+(?:положению|плану|графику|регламенту)\.?",  # set by another document
    re.IGNORECASE,
)

# The patterns of a piece's reading, compiled once (read_place runs on every new cell).
_WORD_CHARACTER = re.compile(r"\w")
_SUBPIECE_BORDER = re.compile(r"\s+/\s+|\s+и\s+(?=(?:г|с|п|пгт|д|ст|пос)\.)")
_SHORT_WORD_DOT = re.compile(r"(?<!\w)[а-яё]{1,4}\.$")
_BRACKETED_END = re.compile(r"(.*\S)\s*\(([^()]*)\)")
_FORMAT_WORD = re.compile(r"[\w-]+")
_LOCATED = re.compile(r"(?:^|\s)(?:в|во|на)$")
_TOWN_MARKER = re.compile(r"г\.|город\w*|гор\.|г\.о\.|го\.")
_RUSSIAN_WORD = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*")
_DASH = re.compile(r"\s*[-–—‑−]\s*")

_HYBRID = re.compile(r"гибрид|смешанн\w*\s+формат|очно-заочн|hybrid", re.IGNORECASE)
_ONLINE = re.compile(
    r"онлайн|он-лайн|online|on-line|дистанц|удал[её]нн|\bВКС\b|видеоконф|видео-конф|видеосвяз"
    r"|вебинар|webinar|веб-конф|\bzoom\b|телемост|сферум|контур\.толк|mts\s*link|мтс\s*линк"
    r"|pruffme|skype|youtube|rutube|вконтакте|платформ|электронн\w*\s+площадк|интернет"
    r"|трансляци|(?<![а-яё])заочн|\bсайт",
    re.IGNORECASE,
)
_OFFLINE = re.compile(
    r"офлайн|оффлайн|offline|off-line|(?<![а-яё])очн(?:о|ый|ая|ое|ые|ом|ой|ого|ых)?\b",
    re.IGNORECASE,
)
# Any word of a format: most cells have none, and are told so by one search instead of three.
_ANY_FORMAT = re.compile(
    "|".join(pattern.pattern for pattern in (_HYBRID, _ONLINE, _OFFLINE)), re.IGNORECASE
)
_FORMAT_ONLY_WORD = re.compile(
    r"в|во|на|с|со|и|или|по|через|формат\w*|режим\w*|онлайн\w*|он-лайн|online|офлайн\w*"
    r"|оффлайн\w*|offline|гибридн\w*|смешанн\w*|дистанционн\w*|удал[её]нн\w*|вкс"
    r"|видеоконференц\w*|видео-конференц\w*|видеосвяз\w*|связ\w*|вебинар\w*|очн\w*|заочн\w*"
    r"|очно-заочн\w*|онлайн-\w+|трансляци\w*|подключени\w*|участи\w*|использовани\w*"
    r"|применени\w*|проведени\w*|мероприяти\w*",
    re.IGNORECASE,
)


def read_place(text: str | None) -> Place:
    """Understand a «Место проведения» cell; an empty cell gives an empty Place."""
    stripped = (text or "").strip()
    if not stripped:
        return Place()
    return _read_place(stripped)


@functools.lru_cache(maxsize=8192)
def _read_place(stripped: str) -> Place:
    """read_place, kept for cells written again in later rows (the Place is frozen)."""
    items: list[_Item] = []
    for piece in _pieces(_ROUTE_HYPHEN.sub(" – ", stripped)):
        # a city is given its region by the pieces around it: each cell has its own
        items.extend(copy.copy(item) if isinstance(item, _City) else item for item in _read(piece))
    _attach_areas(items)
    cities: list[City] = []
    venues: list[str] = []
    scope: str | None = None
    for item in items:
        if isinstance(item, _City):
            city = item.result()
            same = [
                i for i, c in enumerate(cities) if (c.name, c.country) == (city.name, city.country)
            ]
            if not same:
                cities.append(city)
            elif cities[same[0]].region is None:  # "г. Пермь, г. Пермь Пермского края"
                cities[same[0]] = city
        elif isinstance(item, _Area | _Venue) and item.text not in venues:  # an area no city took
            venues.append(item.text)
        elif isinstance(item, _Scope) and scope is None:
            scope = item.scope
    return Place(
        text=stripped,
        cities=tuple(cities),
        venue=", ".join(venues) or None,
        scope=scope,
    )


def place_at_end(text: str) -> tuple[str, str, str]:
    """A «Наименование мероприятия и место проведения» cell cut into the activity, its place
    and a time of day («…, посвященные памяти Л.И. Гарбера, оз. Тургояк, Миасс», «… (оз.
    Тургояк, Миасс)», «… соревнования. г.Чебаркуль.», «…, ул. Цвиллинга 27, 13:00»): the pieces
    at its end that name a settlement, an address or a district, and a time after them."""
    stripped = text.strip().rstrip(" .;")
    bracket = re.search(r"\(([^()]*)\)$", stripped)
    if bracket and all(_names_where(piece) for piece in _pieces(bracket.group(1))):
        return stripped[: bracket.start()].strip(" ,."), bracket.group(1).strip(), ""
    pieces = re.split(r"(?<=[^\s.]{3})[,.]\s+|,\s+", stripped)
    time = ""
    if len(pieces) > 1 and _TIME_ALONE.fullmatch(pieces[-1]):
        time = pieces.pop()
    cut = len(pieces)
    while cut > 1 and _names_where(pieces[cut - 1]):
        cut -= 1
    if cut == len(pieces):
        return (
            (text.strip(), "", "") if not time else (stripped[: -len(time)].strip(" ,."), "", time)
        )
    place = ", ".join(pieces[cut:])
    title_end = stripped.rfind(pieces[cut])
    return stripped[:title_end].strip(" ,."), place, time


def _names_where(piece: str) -> bool:
    """A settlement («Миасс», «п. Слюдорудник»), an address or a natural place («ул. Цвиллинга
    27», «оз. Тургояк») or a district («Кыштымский городской округ»)."""
    piece = piece.strip(" .")
    if _WHERE_WORD.match(piece) or (_DISTRICT_ANCHOR.search(piece) and len(piece.split()) <= 4):
        return True
    place = read_place(piece)
    return bool(place.cities) and place.venue is None


def read_format(text: str | None) -> str | None:
    """ "offline", "online" or "hybrid" from the venue cell; None when the cell says nothing."""
    if text is None:
        return None
    return _read_format(text)


@functools.lru_cache(maxsize=8192)
def _read_format(text: str) -> str | None:
    if not _WORD_CHARACTER.search(text):
        return None
    if not _ANY_FORMAT.search(text):
        return "offline"
    if _HYBRID.search(text):
        return "hybrid"
    online = _ONLINE.search(text) is not None
    if online and (_OFFLINE.search(text) or read_place(text).cities):
        return "hybrid"
    return "online" if online else "offline"


# -- the pieces of a cell ------------------------------------------------------------------


@dataclass(slots=True)
class _City:
    name: str
    region: str | None = None
    country: str | None = None  # named in the text
    listed_country: str | None = None  # from the settlements list

    def accepts(self, area: _Area) -> bool:
        if area.region is not None and (self.region is not None or self.federal):
            return False
        return area.country is None or self.country is None

    def take(self, area: _Area) -> None:
        self.region = area.region or self.region
        self.country = area.country or self.country

    @property
    def federal(self) -> bool:
        """A federal city of Russia (unless the text puts it in another country): a region of
        its own, and in Russia whatever country the settlements list gives its name."""
        return self.name in FEDERAL_CITIES and (self.country or RUSSIA) == RUSSIA

    def result(self) -> City:
        if self.federal:
            return City(name=self.name, region=None, country=RUSSIA)
        country = self.country or self.listed_country or RUSSIA
        return City(name=self.name, region=self.region, country=country)


@dataclass(slots=True)
class _Area:
    """A region or country standing as its own piece: it belongs to a city next to it."""

    region: str | None
    country: str | None
    text: str


@dataclass(slots=True)
class _Venue:
    text: str


@dataclass(slots=True)
class _Scope:
    scope: str


_Item = _City | _Area | _Venue | _Scope


def _pieces(text: str) -> Iterator[str]:
    """Split at commas, semicolons, line breaks and " / ", never inside quotes or brackets."""
    start, quotes, brackets, straight = 0, 0, 0, False
    for index, char in enumerate(text):
        if char in "«“":
            quotes += 1
        elif char in "»”":
            quotes = max(0, quotes - 1)
        elif char == '"':
            straight = not straight
        elif char == "(":
            brackets += 1
        elif char == ")":
            brackets = max(0, brackets - 1)
        elif char in ",;\n" and not (quotes or brackets or straight):
            yield from _subpieces(text[start:index])
            start = index + 1
    yield from _subpieces(text[start:])


def _subpieces(piece: str) -> Iterator[str]:
    for part in _SUBPIECE_BORDER.split(piece):
        part = part.strip()
        if part.endswith(".") and not _SHORT_WORD_DOT.search(part):
            part = part[:-1].rstrip()  # the sentence's full stop, not "обл." or "д."
        if part:
            yield part


@functools.lru_cache(maxsize=16384)
def _read(piece: str) -> tuple[_Item, ...]:
    """What one piece is, kept for pieces written again in other cells («г. Сальск» before
    each of its venues)."""
    return tuple(_classify(piece))


def _classify(piece: str) -> list[_Item]:
    """What one piece is; a city piece may also carry a venue ("ДК «Октябрь» г. Сургут")."""
    scope = _scope(piece)
    if scope is not None:
        return [_Scope(scope)]
    if _format_only(piece) or _TO_BE_AGREED.fullmatch(piece) or not _WORD_CHARACTER.search(piece):
        return []
    if len(piece) > _LONGEST_PIECE:
        return [_Venue(piece)]
    piece = _GLUED_MARKER.sub(r"\1. ", piece)
    tokens = [(m.group(), m.start()) for m in _TOKEN.finditer(piece)]
    items = _city_piece(piece, tokens)
    bracketed = _BRACKETED_END.fullmatch(piece)
    if bracketed and (items is None or not isinstance(items[-1], _City)):
        # "г. Пермь (Пермский край)", "Москва (онлайн)": a bracket that is a region, a country,
        # a city or a format is a piece of its own; any other stays in the venue as written
        inner = [item for part in _pieces(bracketed.group(2)) for item in _classify(part)]
        if not any(isinstance(item, _Venue) for item in inner):
            return _classify(bracketed.group(1)) + inner
        if inner and isinstance(inner[0], _City):
            # "площадь при ДК (п.Окунайский, ул. Ленина, д.5)": an address gives its settlement
            return [_Venue(piece), inner[0]]
    if items is not None:
        return items
    area = _area(tuple(text for text, _ in tokens))
    if area is not None and area != (None, None):
        return [_Area(area[0], area[1], piece)]
    return _bare_village([text for text, _ in tokens], piece) or [_Venue(piece)]


def _bare_village(words: list[str], piece: str) -> list[_Item] | None:
    """A village named without its marker, alone or before its club's abbreviation («Кожино»,
    «Дорохово ДК», «Лыщиково СК»): a name of the neuter form Russian villages take (-ово, -ево,
    -ино, -ыно) that is no common noun («Кино», «Домино»)."""
    if not words or not _VILLAGE_NAME.fullmatch(words[0]):
        return None
    if not all(_ABBREVIATION.fullmatch(word) for word in words[1:]):
        return None
    if any(
        parse.tag.POS == "NOUN" and not _PROPER_NAME.intersection(parse.tag.grammemes)
        for parse in parses(words[0].lower())
    ):
        return None
    village = _City(words[0])
    return [village, _Venue(piece)] if len(words) > 1 else [village]


def _scope(piece: str) -> str | None:
    match = _SCOPE.fullmatch(piece)
    if match is None:
        return None
    return "members" if match.group(2).lower() == "ассоциаци" else "contest_participants"


def _format_only(piece: str) -> bool:
    """ "онлайн", "в формате ВКС", "Офлайн/онлайн формат": says how, not where."""
    if not _ANY_FORMAT.search(piece):
        return False  # most pieces: no word of a format at all, and no word to look at
    words = _FORMAT_WORD.findall(piece)
    return bool(words) and all(_FORMAT_ONLY_WORD.fullmatch(word) for word in words)


# -- cities ------------------------------------------------------------------------------


def _city_piece(piece: str, tokens: list[tuple[str, int]]) -> list[_Item] | None:
    """The city of a piece (and what the piece says besides), or None when it names none."""
    words = [text for text, _ in tokens]
    marker = next(
        (
            i
            for i in range(len(words) - 1)
            if (_is_marker(words[i]) or (i == 0 and _FIRST_MARKER.fullmatch(words[i])))
            and _MARKED_NAME.fullmatch(words[i + 1])
        ),
        None,
    )
    if marker is None:
        if words and words[0].lower() in _PREPOSITIONS:
            words = words[1:]
        found = _split_city(words, marker=None)
        if found is None or found[1] != len(words):
            return None
        return [found[0]]
    rest = words[marker + 1 :]
    found = _split_city(rest, marker=words[marker])
    if found is None:
        return None
    city, used = found
    end = marker + 1 + used
    after = piece[tokens[end][1] :].strip() if end < len(tokens) else ""
    before = piece[: tokens[marker][1]].strip()
    if _TOWARDS.search(before):
        return [_Venue(piece)]  # "близ дороги на с. Малая Валяевка": where the road leads
    located = _LOCATED.search(before)  # "ДК «Октябрь» в г. Сургуте"
    before = before[: located.start()].strip() if located else before
    items: list[_Item] = []
    if before and not located and _key(rest[0].rstrip(".")) != _key(city.name.split(" ")[0]):
        # "Администрация г. Перми": a city in the genitive belongs to the venue's name
        items.append(_Venue(piece[: len(piece) - len(after)].strip()))
    elif before:
        items.extend(_classify(before))
    items.append(city)
    if after:
        items.extend(_classify(after))
    return items


def _is_marker(word: str) -> bool:
    return bool(_MARKER.fullmatch(word) or _MARKER_CAPITAL.fullmatch(word))


def _split_city(words: list[str], marker: str | None) -> tuple[_City, int] | None:
    """The city at the start of `words` and how many words it (with its region) takes.

    Each way to cut the name from what follows is tried: a name the settlements list knows
    wins, then the cut that leaves the most words understood as region and country. A village
    ("с.", "д.", "пгт." …) is never looked up: the list has only towns of 15,000 people or
    more, and "д. Ивановка" is not the Kyrgyz town of that name.
    """
    marked = marker is not None
    village = marked and not _TOWN_MARKER.fullmatch(marker.lower())
    names = 0
    while names < min(len(words), 4) and (
        _NAME.fullmatch(words[names]) or (marked and not names and _MARKED_NAME.fullmatch(words[0]))
    ):
        names += 1
    options = []
    for cut in range(1, names + 1):
        name = " ".join(words[:cut]).rstrip(".")
        used, area = _longest_area(words, cut)
        options.append((cut, used, area, name, _settlement(name)))
    listed = [option for option in options if option[4] is not None and not village]
    if listed:
        cut, used, area, name, (canonical, code) = max(listed, key=lambda o: (o[1], o[0]))
        if not marked and used != len(words):
            return None
        city = _City(canonical, area[0], area[1], COUNTRIES.get(code))
        return city, used
    if not marked or not options:
        return None
    cut, used, area, name, _ = max(options, key=lambda o: (o[1], -o[0]))
    return _City(_adjective_name(name, marker) or _nominative_name(name), area[0], area[1]), used


def _adjective_name(name: str, marker: str | None) -> str | None:
    """A name of adjective form in another case, put in the nominative of the settlement's
    kind, which the marker tells: «хуторе Ивановском» → Ивановский, «ст. Новоджерелиевской» →
    Новоджерелиевская, «в селе Петровском» → Петровское. None when the name is not such."""
    gender = _MARKER_GENDERS.get((marker or "").lower().rstrip("."))
    if gender is None:
        gender = next(
            (g for stem, g in _MARKER_STEMS if (marker or "").lower().startswith(stem)), None
        )
    match = _OBLIQUE_ADJECTIVE.fullmatch(name)
    if gender is None or match is None:
        return None
    if match.group(2) == "ой" and gender == "masc":
        return None  # «х. Донской» is already in the nominative
    return match.group(1) + {"masc": "ий", "neut": "ое", "femn": "ая"}[gender]


def _longest_area(words: list[str], cut: int) -> tuple[int, tuple[str | None, str | None]]:
    """How far the region and country after a city name go: "Вологодской области", …"""
    for end in range(min(len(words), cut + 10), cut, -1):
        area = _area(tuple(words[cut:end]))
        if area is not None:
            return end, area
    return cut, (None, None)


@functools.lru_cache(maxsize=16384)
def _nominative_name(name: str) -> str:
    """A settlement the list does not know, in the nominative only when the dictionary knows
    its words: a guess on an unknown word would turn "Ярега" into "Ярег"."""
    words = name.split()
    if all(can_be_nominative(word) for word in words) or any(map(_first_name_only, words)):
        return name  # «пос. Ис» is no plural of the name «Иса»
    if all(is_dictionary_word(word) for word in words):
        for case in _CASES:
            nominative = to_nominative(name, case)
            if nominative != name:
                return nominative
    return name


def _first_name_only(word: str) -> bool:
    """Whether the dictionary reads a word only as a form of a person's first name: a
    settlement's name is never such a form."""
    found = parses(word.lower())
    return bool(found) and all("Name" in parse.tag for parse in found)


@functools.cache
def _settlements() -> dict[str, tuple[str, str]]:
    """Name key -> (name, country code); a name in several countries is Russia's first, then
    the most populous city's."""
    best: dict[str, tuple[bool, int, str, str]] = {}
    with SETTLEMENTS.open(encoding="utf-8") as lines:
        next(lines, None)
        for line in lines:
            fields = line.rstrip("\n").split("\t")
            if len(fields) != 3 or not fields[2].isdigit():
                continue
            name, code, population = fields[0], fields[1], int(fields[2])
            rank = (code == "RU", population, name, code)
            key = _key(name)
            if key not in best or rank > best[key]:
                best[key] = rank
    return {key: (name, code) for key, (_, _, name, code) in best.items()}


@functools.lru_cache(maxsize=16384)
def _settlement(name: str) -> tuple[str, str] | None:
    """(Name as listed, country code) for a settlement name in any case: "Казани" -> Казань."""
    known = _settlements()
    for form in _forms(name):
        found = known.get(_key(form))
        if found is not None:
            return found
    return None


# -- regions and countries -----------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _area(words: tuple[str, ...]) -> tuple[str | None, str | None] | None:
    """(region, country) when `words` are only a district, region and/or country, else None."""
    if not words:
        return (None, None)
    for end in range(len(words), 0, -1):
        rest = _area(words[end:])
        if rest is None:
            continue
        head = words[:end]
        country = _country(head)
        if country is not None and rest[1] is None:
            return (rest[0], country)
        region = _region(head)
        if region is not None and rest[0] is None:
            return (region, rest[1])
        if _district(head):
            return rest
    return None


@functools.lru_cache(maxsize=4096)
def _country(words: tuple[str, ...]) -> str | None:
    """The short name of a country named in any case: "Республики Казахстан" -> Казахстан."""
    text = " ".join(words).strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    if not text or len(words) > 6:
        return None
    for form in _forms(text):
        key = _key(form)
        for candidate in (key, key.removeprefix("республика ")):
            if candidate in _COUNTRY_KEYS:
                return _COUNTRY_KEYS[candidate]
    return None


@functools.lru_cache(maxsize=4096)
def _region(words: tuple[str, ...]) -> str | None:
    """A Russian region in the nominative: "Вологодской области" -> "Вологодская область",
    "Республики Коми" -> "Республика Коми", "Ханты-Мансийского автономного округа – Югры"."""
    if len(words) < 2 or len(words) > 8:
        return None
    if _REPUBLIC.fullmatch(words[0]):
        return _republic(words[1:])
    anchor = next((i for i, word in enumerate(words) if _REGION_ANCHOR.fullmatch(word)), None)
    if not anchor or not words[0][:1].isupper():
        return None
    head = _region_head(words[:anchor], words[anchor])
    if head is None:
        return None
    suffix = _region_suffix(words[anchor + 1 :])
    if suffix is None:
        return None
    return _nominative_region(head) + suffix


def _republic(name: tuple[str, ...]) -> str | None:
    """ "Республики Коми" -> "Республика Коми": the republic's own name is left as written."""
    if not _NAME.fullmatch(name[0]) or len(name) > 5:
        return None
    if not all(_NAME.fullmatch(w) or w in _DASHES or w.startswith("(") for w in name):
        return None
    return "Республика " + " ".join(word.rstrip(".") for word in name)


def _region_head(adjectives: tuple[str, ...], anchor: str) -> str | None:
    """The adjectives and the anchor word ("Вологодской области"), an abbreviated anchor
    written out in the adjectives' case ("обл." -> "области"); a "округ" must be autonomous."""
    if not all(_is_adjective(word) for word in adjectives):
        return None
    abbreviation = _ANCHOR_WORDS.get(anchor.rstrip(".").lower())
    if abbreviation is not None:
        anchor = abbreviation[0 if can_be_nominative(adjectives[-1]) else 1]
    elif anchor.lower().startswith("округ") and not any(
        word.lower().startswith("автономн") for word in adjectives
    ):
        return None
    return " ".join([*adjectives, anchor])


def _region_suffix(after: tuple[str, ...]) -> str | None:
    """What may follow the anchor: nothing, or a dash and a name ("– Югры" -> " – Югра")."""
    if not after:
        return ""
    if after[0] not in _DASHES or not 2 <= len(after) <= 3:
        return None
    if not all(_NAME.fullmatch(word) for word in after[1:]):
        return None
    return f" {after[0]} " + " ".join(_nominative_word(word) for word in after[1:])


def _nominative_region(phrase: str) -> str:
    """The region's name in the nominative, "Республика" capitalised."""
    if phrase.split(" ")[-1].lower() not in _NOMINATIVE_ANCHORS:  # "Псковской" may be nominative
        for case in _CASES:
            nominative = to_nominative(phrase, case)
            if nominative != phrase:
                phrase = nominative
                break
    return re.sub(r"\bреспублик", "Республик", phrase)


def _district(words: tuple[str, ...]) -> bool:
    """ "Геленджикского района", "Пермского муниципального округа": dropped, a City has no
    district."""
    if len(words) < 2 or not _DISTRICT_ANCHOR.fullmatch(words[-1]):
        return False
    adjectives = words[:-1]
    if not words[0][:1].isupper() or not all(_is_adjective(word) for word in adjectives):
        return False
    if words[-1].lower().startswith("округ"):
        return any(re.match(r"муниципальн|городск|федеральн", w.lower()) for w in adjectives)
    return True


@functools.lru_cache(maxsize=16384)
def _is_adjective(word: str) -> bool:
    if not _RUSSIAN_WORD.fullmatch(word):
        return False
    return any(parse.tag.POS in ("ADJF", "PRTF") for parse in parses(word))


def _nominative_word(word: str) -> str:
    if can_be_nominative(word):
        return word
    for case in _CASES:
        nominative = to_nominative(word, case)
        if nominative != word:
            return nominative
    return word


# -- helpers -----------------------------------------------------------------------------


def _attach_areas(items: list[_Item]) -> None:
    """A region or country piece goes to the nearest city before it that has none, else the
    nearest after it; an area no city takes stays (as a venue)."""
    for index, item in enumerate(items):
        if not isinstance(item, _Area):
            continue
        before = [c for c in reversed(items[:index]) if isinstance(c, _City) and c.accepts(item)]
        after = [c for c in items[index + 1 :] if isinstance(c, _City) and c.accepts(item)]
        target = (before or after or [None])[0]
        if target is not None:
            target.take(item)
            items[index] = _Venue("")  # taken: leaves nothing behind
    items[:] = [item for item in items if not (isinstance(item, _Venue) and not item.text)]


def _forms(phrase: str) -> Iterator[str]:
    """The phrase as written, then as the nominative of each oblique case it may be in (each
    put in the nominative only if the forms before it were not the one sought)."""
    forms = [phrase]
    yield phrase
    for case in _CASES:
        form = to_nominative(phrase, case)
        if form not in forms:
            forms.append(form)
            yield form


def _key(name: str) -> str:
    name = name.lower().replace("ё", "е")
    return " ".join(_DASH.sub("-", name).split())
