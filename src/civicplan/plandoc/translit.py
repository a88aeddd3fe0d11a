"""Russian words in Latin letters and back, for finding Russian names from the English pages.

A reader types a Russian name as they have seen it written: on a passport (ICAO Doc 9303:
"Iaroslavl", "Velikii"), in a library catalogue (GOST 7.79-2000 system B: "Yaroslavl`",
"Cherepovecz"), in Wikipedia ("Nizhny", "Yelabuga", "Karelia") or on an English map (BGN/PCGN:
"Velikiy"). `latin_forms` gives the spellings a Cyrillic word has in these systems (their rules,
context and word endings included, are the iuliia library's), soft and hard signs left out as a
reader leaves them out. `cyrillic_forms` guesses the way back: a few candidates, which the caller
checks against the words it knows ("kazan" -> "казан", "казань", …).

Both take one word (hyphenated parts stay joined: "южно-сахалинск" <-> "yuzhno-sakhalinsk"),
and answer in lower case with ё as е (a ё, when given, also yields its "yo").
"""

from __future__ import annotations

import functools
import heapq
import json
import re
import unicodedata
from pathlib import Path

import iuliia

# The systems a reader may have met: passports (since 2013), GOST 7.79-2000 system B,
# Wikipedia's own, and BGN/PCGN (English maps and atlases; "-iy" for "-ий").
_SCHEMAS = ("icao_doc_9303", "gost_779_alt", "wikipedia", "bgn_pcgn")

_CYRILLIC = re.compile(r"[а-яё]")
_LATIN = re.compile(r"[a-z]")
# What systems write for the soft and hard signs and, BGN/PCGN's "·", to separate letters
# ("t·s"): a reader leaves them out, and the search strips apostrophes from what is typed.
_APOSTROPHES = frozenset("'`’‘ʹʺ”“″′\"")
_MARKS = str.maketrans(dict.fromkeys([*_APOSTROPHES, "·"], None))
# English usage writes a final "-ия" as "-ia" (Karelia, Chuvashia, Maria), not "-iya".
_IYA = re.compile(r"iya\b")


def _plain(latin: str) -> str:
    """A system's spelling as a person types it: no apostrophes, no diacritics (BGN/PCGN's "ë",
    which iuliia writes as "ё")."""
    return _without_diacritics(latin.translate(_MARKS).replace("ё", "e"))


def _without_diacritics(text: str) -> str:
    """ "ë" and "ñ" as "e" and "n": iuliia's BGN/PCGN and a reader's "Kazañ", "Orël"."""
    if text.isascii():
        return text
    return "".join(
        char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char)
    )


class _System:
    """One transliteration system of iuliia, compiled for speed: iuliia reads a word letter by
    letter in Python (4 to 8 µs a word); here the letters that depend on their neighbours (word
    endings, the letter before or after) are found by one regular expression and the rest by
    str.translate. The result is iuliia's, marks left out (tests compare the two)."""

    def __init__(self, name: str) -> None:
        self.schema = iuliia.schemas.get(name)
        rules = json.loads(Path(self.schema.path).read_text(encoding="utf-8"))
        self.table = str.maketrans({k: _plain(v) for k, v in rules["mapping"].items()})
        endings = rules.get("ending_mapping") or {}
        # (pattern, Latin) in iuliia's order: a word's ending, then a letter read by the one
        # before it, then by the one after it; letters with the same reading share a pattern.
        found: list[tuple[str, str]] = [
            (rf"(?<=\w){re.escape(key)}(?!\w)", value) for key, value in endings.items()
        ]
        # iuliia reads the stem of a word with a special ending alone: its last letter is then
        # followed by nothing.
        ending = "(?:{})(?!\\w)".format("|".join(map(re.escape, endings))) if endings else ""
        guard = f"(?!{ending})" if ending else ""
        last = f"(?:(?!\\w)|(?={ending}))" if ending else "(?!\\w)"
        for side in ("prev", "next"):
            contexts: dict[tuple[str, str], list[str]] = {}
            for key, value in (rules.get(f"{side}_mapping") or {}).items():
                letter, context = (key[-1], key[:-1]) if side == "prev" else (key[0], key[1:])
                contexts.setdefault((letter, value), []).append(context)
            for (letter, value), around in contexts.items():
                near = "[{}]".format("".join(map(re.escape, filter(None, around))))
                letter = re.escape(letter)
                if side == "prev":
                    found += [(rf"(?<={near}){letter}", value)] if any(around) else []
                    found += [(rf"(?<!\w){letter}", value)] if not all(around) else []
                else:
                    found += [(rf"{letter}{guard}(?={near})", value)] if any(around) else []
                    found += [(letter + last, value)] if not all(around) else []
        self.replacements = [_plain(value) for _, value in found]
        pattern = "|".join(f"({p})" for p, _ in found)
        self.context = re.compile(pattern) if found else None

    def _replace(self, match: re.Match[str]) -> str:
        return self.replacements[(match.lastindex or 1) - 1]

    def __call__(self, word: str) -> str:
        if self.context is not None:
            word = self.context.sub(self._replace, word)
        return word.translate(self.table)


@functools.cache
def _systems() -> tuple[_System, ...]:
    """Compiled on first use, not on import: it reads four JSON files and builds their
    patterns, which a process that never transliterates need not pay for."""
    return tuple(_System(name) for name in _SCHEMAS)


def is_latin(word: str) -> bool:
    """Whether a word is written in Latin letters (and has no Cyrillic one): "Perm", "COVID-19"."""
    lowered = word.lower()
    return bool(_LATIN.search(lowered)) and not _CYRILLIC.search(lowered)


@functools.lru_cache(maxsize=65536)
def latin_forms(word: str) -> frozenset[str]:
    """The lower-case Latin spellings a person may type for a Russian word: "ярославль" ->
    {"iaroslavl", "yaroslavl"}, "великий" -> {"velikii", "velikij", "veliky", "velikiy"}.
    Soft and hard signs are left out (ICAO writes "ъ" as "ie", which stays). Empty for a word
    with no Cyrillic letter."""
    word = word.lower()
    if not _CYRILLIC.search(word):
        return frozenset()
    forms = {system(word) for system in _systems()}
    forms |= {_IYA.sub("ia", form) for form in forms if "iya" in form}
    return frozenset(forms)


# --- Latin -> Cyrillic -------------------------------------------------------------------------
#
# Every Latin letter or letter group has its readings, each with a cost (0 for the usual one).
# The candidates are the cheapest readings of the whole word: a small beam search, so that the
# answer stays small however ambiguous the word ("y" is "ы", "й", "ий" or "ый"; "ts" is "ц" or
# "тс"; a final consonant may have lost its soft sign).

_VOWELS = frozenset("аеёиоуыэюя")
_SIGNS = frozenset("ьъ")
# Consonants that often end a word with a soft sign, and those that rarely do (feminine nouns:
# "рожь", "ночь", "мышь").
_SOFT_AT_END = (
    dict.fromkeys("лнртдмв", 0.8) | dict.fromkeys("сзбпф", 1.2) | dict.fromkeys("жшчщ", 1.5)
)
# A soft sign between consonants: common after "л" ("Тобольск", "Нальчик"), possible after a
# few others ("Вязьма", "Октябрьский", "Свадьба").
_SOFT_INSIDE = {"л": 1.0, "н": 2.0, "р": 2.0, "з": 2.0, "с": 2.5, "д": 2.5, "т": 2.5}
_LATIN_VOWELS = frozenset("aeiouy")

# Readings that do not depend on the neighbours, longest groups first where it matters.
_PLAIN: dict[str, tuple[tuple[str, float], ...]] = {
    "shch": (("щ", 0),),
    "shh": (("щ", 0),),  # GOST 7.79 B
    "sch": (("щ", 0.5), ("сч", 1)),  # Moscow metro, German habit
    "zh": (("ж", 0),),
    "kh": (("х", 0),),
    "ts": (("ц", 0), ("тс", 1)),  # "Irkutsk" is "Иркутск"
    "tz": (("ц", 1),),
    "cz": (("ц", 0),),  # GOST 7.79 B
    "ch": (("ч", 0),),
    "sh": (("ш", 0),),
    "a": (("а", 0),),
    "b": (("б", 0),),
    "c": (("ц", 1), ("к", 1)),
    "d": (("д", 0),),
    "f": (("ф", 0),),
    "g": (("г", 0),),
    "h": (("х", 0.5),),
    "j": (("й", 0.5),),  # GOST 7.79 B
    "k": (("к", 0),),
    "l": (("л", 0),),
    "m": (("м", 0),),
    "n": (("н", 0),),
    "o": (("о", 0),),
    "p": (("п", 0),),
    "q": (("к", 1),),
    "r": (("р", 0),),
    "s": (("с", 0),),
    "t": (("т", 0),),
    "u": (("у", 0),),
    "v": (("в", 0),),
    "w": (("в", 0.5),),
    "x": (("кс", 0.5), ("х", 0.5)),  # GOST 7.79 B writes "х" as "x"
    "z": (("з", 0),),
}
_IOTATED = {"a": "я", "u": "ю", "e": "е", "o": "е"}  # "yo" is "ё", kept as "е"
_GROUPS = sorted(_PLAIN, key=len, reverse=True)
_BEAM = 24


def _position(last: str) -> str:
    """Where the next letter stands: at a word's "start", after a "vowel" (or a sign, which
    iotates the next vowel too), or after a "consonant"."""
    if not last or not last.isalpha():
        return "start"
    return "vowel" if last in _VOWELS or last in _SIGNS else "consonant"


Reading = tuple[int, str, float]  # how many Latin letters, the Cyrillic, the cost


def _readings(text: str, i: int, last: str) -> list[Reading]:
    """The readings of the Latin letters at text[i:]: (how many letters, Cyrillic, cost).
    `last` is the Cyrillic letter before them ("" at the start)."""
    char = text[i]
    nxt = text[i + 1] if i + 1 < len(text) else ""
    where = _position(last)
    found = _pair_readings(char, nxt, where)
    letter = _LETTER_READINGS.get(char)
    if letter is None and char in _APOSTROPHES:
        letter = _apostrophe_readings
    if letter is not None:
        return found + letter(nxt, where, last)
    return found or _group_readings(text, i, where)


def _pair_readings(char: str, nxt: str, where: str) -> list[Reading]:
    """Two Latin letters for one Cyrillic: an iotated vowel ("ya", "iu") or ICAO's "ie"."""
    iotated = where != "consonant"
    if char in "yj" and nxt in _IOTATED:  # ya, yu, ye, yo; ja, ju … as in German
        return _iotated_vowel(char, nxt, iotated)
    if char == "i" and nxt in ("a", "u"):  # ICAO: "ia", "iu" for "я", "ю"
        vowel = _IOTATED[nxt]
        found = [(2, vowel, 0 if iotated else 0.3)]
        if not iotated:  # "Ulianovsk"
            found.append((2, "ь" + vowel, 1))
        if nxt == "a":  # English "-ia": "Karelia"
            found.append((2, "ия", 0.5))
        return found
    if char == "i" and nxt == "e" and where == "consonant":  # ICAO: "ie" for "ъ"
        return [(2, "ъ", 1.5)]
    return []


def _iotated_vowel(char: str, nxt: str, iotated: bool) -> list[Reading]:
    """ "ya", "yu", "ye", "yo" (and German "ja", "ju"): a vowel with its "й" sound, after a
    consonant also written with a sign before it."""
    vowel = _IOTATED[nxt]
    extra = 0.5 if char == "j" else 0
    if nxt == "o" and iotated:  # "Yoshkar-Ola", "Shchyolkovo"
        return [(2, "йо", extra + 0.5), (2, "е", extra + 0.5)]
    if nxt == "o":  # "Oryol"
        return [(2, "е", extra), (2, "ьо", extra + 1.5)]
    if iotated:
        return [(2, vowel, extra)]
    # "Pyatigorsk", "Ulyanovsk", "podyezd"
    return [
        (2, vowel, extra + (2 if nxt == "e" else 0)),
        (2, "ь" + vowel, extra + 1),
        (2, "ъ" + vowel, extra + 1.5),
    ]


def _y_readings(nxt: str, where: str, last: str) -> list[Reading]:
    """ "y" alone: "ы" inside a word, "й" after a vowel, "-ий"/"-ый" at the end."""
    end = not nxt or not nxt.isalpha()
    before_vowel = nxt in _IOTATED
    found: list[Reading] = []
    if where == "consonant" and nxt == "i":  # Wikipedia, BGN/PCGN: "ьи" is "yi": "Ilyich"
        found.append((1, "ь", 0.5))
    if where == "vowel":  # "Maykop", "Mansiysk", "Bolshoy"
        found.append((1, "й", 2 if before_vowel else 0))
    elif where == "start":
        found += [(1, "й", 1), (1, "ы", 2)]
    elif end:  # "Cheboksary"; Wikipedia's "-y" for "-ий", "-ый": "Nizhny", "Grozny"
        found += [(1, "ы", 0), (1, "ий", 0.5), (1, "ый", 0.5)]
    else:  # "Kyzyl"; "-nye" is "-ные"
        found.append((1, "ы", 0.5 if nxt == "e" else 1.5 if before_vowel else 0))
    return found


def _e_readings(nxt: str, where: str, last: str) -> list[Reading]:
    found = [(1, "е", 0), (1, "э", 2.5 if where == "consonant" else 1)]
    if where == "consonant":  # ICAO leaves out the soft sign: "Usole" is "Усолье"
        found.append((1, "ье", 1.5))
    return found


def _i_readings(nxt: str, where: str, last: str) -> list[Reading]:
    if last == "ы":  # ICAO's "-yi" is "-ый": "ыи" is not Russian
        return [(1, "й", 0), (1, "и", 1.5)]
    found = [(1, "и", 0)]
    end = not nxt or not nxt.isalpha()
    if where == "vowel" or (where == "start" and nxt in _IOTATED):
        # ICAO writes "й" as "i": "Mansiisk", "Krai", "Ioshkar"; "-ий" ends many a name
        found.append((1, "й", 0.5 if end else 1))
    return found


def _apostrophe_readings(nxt: str, where: str, last: str) -> list[Reading]:
    """A soft or hard sign that was kept."""
    return [(1, "ь", 0), (1, "ъ", 1)] if where == "consonant" else [(1, "", 0)]


_LETTER_READINGS = {"y": _y_readings, "e": _e_readings, "i": _i_readings}


def _group_readings(text: str, i: int, where: str) -> list[Reading]:
    """A letter or group read the same wherever it stands ("shch", "zh", "k"); anything else
    (a digit, a hyphen) stays as it is."""
    group = next((group for group in _GROUPS if text.startswith(group, i)), None)
    if group is None:
        return [(1, text[i], 0)]
    found = [(len(group), cyr, cost) for cyr, cost in _PLAIN[group]]
    if where == "start" and group == "ts":  # a word seldom starts with "тс"
        found = [(n, cyr, cost + 2 if cyr == "тс" else cost) for n, cyr, cost in found]
    return found


def _soft_sign(cyrillic: str, following: str) -> float | None:
    """The cost of a lost soft sign after a consonant, given the Latin letter that follows."""
    last = cyrillic[-1:]
    if following in _APOSTROPHES:
        return None
    if not following or not following.isalpha():
        return _SOFT_AT_END.get(last)
    if following not in _LATIN_VOWELS:
        return _SOFT_INSIDE.get(last)
    return None


@functools.lru_cache(maxsize=16384)
def _cyrillic(text: str, limit: int) -> tuple[str, ...]:
    """The `limit` cheapest readings of a Latin text, cheapest first (at each letter, only the
    cheapest beginnings go on, _BEAM of them or twice the limit)."""
    width = max(_BEAM, 2 * limit)
    beams: list[dict[str, float]] = [{} for _ in range(len(text) + 1)]
    beams[0][""] = 0.0
    for i in range(len(text)):
        kept = heapq.nsmallest(width, beams[i].items(), key=lambda item: (item[1], item[0]))
        for out, cost in kept:
            for length, cyr, extra in _readings(text, i, out[-1:]):
                j = i + length
                options = [(out + cyr, cost + extra)]
                following = text[j : j + 1]
                doubled = following == text[j - 1]  # "ss": no soft sign between
                soft = _soft_sign(cyr, following) if cyr and not doubled else None
                if soft is not None:
                    options.append((out + cyr + "ь", cost + extra + soft))
                for candidate, total in options:
                    if total < beams[j].get(candidate, float("inf")):
                        beams[j][candidate] = total
    best = heapq.nsmallest(limit, beams[-1].items(), key=lambda item: (item[1], item[0]))
    return tuple(candidate for candidate, _ in best)


def cyrillic_forms(word: str, limit: int = 8) -> frozenset[str]:
    """Candidate Russian spellings of a word typed in Latin letters, at most `limit` of them, the
    likeliest ones: "moskva" -> {"москва", …}, "kazan" -> {"казан", "казань", …},
    "iaroslavl" -> {"ярославл", "ярославль", …}. Most are not words; the caller keeps those it
    knows. Empty for a word with no Latin letter."""
    text = _without_diacritics(word.lower())
    if not _LATIN.search(text) or _CYRILLIC.search(text):
        return frozenset()
    return frozenset(_cyrillic(text, limit))
