"""Russian morphology for plan texts (pymorphy3): turning genitive phrases to the nominative.

Plans write names in the case the sentence needs: "при поддержке Общественной палаты РФ",
"г. Череповец Вологодской области". The directory stores them in the nominative.

Every function here is a pure function of its words, and plans repeat words (and whole names)
from row to row, so each keeps its answers in a bounded cache: pymorphy3's dictionary lookups
are the costliest step of reading a row.
"""

from __future__ import annotations

import functools
import re

import pymorphy3
import pymorphy3_dicts_ru

_WORD = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*")
_NOMINAL = frozenset(("NOUN", "ADJF", "PRTF", "NPRO"))


@functools.cache
def analyzer() -> pymorphy3.MorphAnalyzer:
    """One analyzer per process: loading the dictionaries takes a moment and some memory. They
    are pymorphy3's own Russian ones, given by their path: found by name, pymorphy3 would scan
    every installed package's entry points for them first, which takes as long as loading them."""
    return pymorphy3.MorphAnalyzer(path=pymorphy3_dicts_ru.get_path(), lang="ru")


@functools.lru_cache(maxsize=65536)
def _parses(word: str) -> tuple[pymorphy3.analyzer.Parse, ...]:
    return tuple(analyzer().parse(word))


def parses(word: str) -> tuple[pymorphy3.analyzer.Parse, ...]:
    """Every parse of a word (case-blind), best first."""
    return _parses(word.lower())


@functools.lru_cache(maxsize=65536)
def likely(word: str) -> tuple[pymorphy3.analyzer.Parse, ...]:
    """The parses worth believing: within a tenth of the best score ("Индии" is India, not
    the plural of indium)."""
    parses = _parses(word.lower())
    best = parses[0].score if parses else 0
    return tuple(parse for parse in parses if parse.score >= best / 10)


@functools.lru_cache(maxsize=65536)
def can_be_nominative(word: str) -> bool:
    """Whether a word can be in the nominative (an abbreviation or a non-word always can)."""
    if not _WORD.fullmatch(word) or (word.isupper() and len(word) > 1):
        return True
    parses = likely(word)
    nominal = [parse for parse in parses if parse.tag.POS in _NOMINAL]
    return not nominal or any(parse.tag.case == "nomn" for parse in nominal)


@functools.lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """The dictionary form of a word ("форумы" -> "форум")."""
    parses = _parses(word.lower())
    return parses[0].normal_form if parses else word.lower()


def _match_case(original: str, inflected: str) -> str:
    if original.isupper() and len(original) > 1:
        return inflected.upper()
    parts = inflected.split("-")
    originals = original.split("-")
    if len(parts) != len(originals):
        return inflected[:1].upper() + inflected[1:] if original[:1].isupper() else inflected
    return "-".join(
        part[:1].upper() + part[1:] if source[:1].isupper() else part
        for part, source in zip(parts, originals, strict=True)
    )


@functools.lru_cache(maxsize=65536)
def to_nominative(phrase: str, case: str = "gent") -> str:
    """Put the head of a noun phrase in the nominative: "Общественной палаты РФ" ->
    "Общественная палата РФ". Leading adjectives and the first noun change; the rest (its own
    genitive complements, names in quotes, abbreviations) stays as written.
    """
    words = phrase.split(" ")
    adjectives: list[str] = []
    for index, word in enumerate(words):
        if not _WORD.fullmatch(word) or (word.isupper() and len(word) > 1):
            return phrase
        noun, adjective = _in_case(word, case)
        if noun is not None and (adjective is None or adjectives or index == len(words) - 1):
            head = _inflected(word, case, 0, frozenset({"nomn", noun.tag.number or "sing"}))
            grammemes = {"nomn", noun.tag.number or "sing"}
            if noun.tag.number != "plur" and noun.tag.gender:
                grammemes.add(noun.tag.gender)
            before = [_inflected(w, case, 1, frozenset(grammemes)) for w in adjectives]
            return " ".join([*before, head, *words[index + 1 :]])
        if adjective is None:
            return phrase
        adjectives.append(word)
    return phrase


Parses = tuple[pymorphy3.analyzer.Parse | None, pymorphy3.analyzer.Parse | None]


@functools.lru_cache(maxsize=65536)
def _in_case(word: str, case: str) -> Parses:
    """The likely parses of a word as a noun and as an adjective (or participle) in `case`."""
    parses = [p for p in likely(word) if p.tag.case == case]
    noun = next((p for p in parses if p.tag.POS == "NOUN"), None)
    adjective = next((p for p in parses if p.tag.POS in ("ADJF", "PRTF")), None)
    return noun, adjective


@functools.lru_cache(maxsize=65536)
def _inflected(word: str, case: str, which: int, grammemes: frozenset[str]) -> str:
    """The word, read as the noun (`which` 0) or adjective (1) of `_in_case`, inflected."""
    parse = _in_case(word, case)[which]
    return _inflect(word, parse, set(grammemes)) if parse is not None else word


def _inflect(word: str, parse: pymorphy3.analyzer.Parse, grammemes: set[str]) -> str:
    wanted = set(grammemes)
    if "Sgtm" in parse.tag or "Pltm" in parse.tag:
        wanted -= {"sing", "plur"}
    inflected = parse.inflect(wanted) or parse.inflect({"nomn"})
    return _match_case(word, inflected.word) if inflected else word


# --- lemmas for search -------------------------------------------------------------------------

# A word: letters and digits, with hyphenated parts ("Южно-Сахалинск", "COVID-19").
_TOKEN = re.compile(r"\w+(?:-\w+)*")
_CYRILLIC = re.compile(r"[а-яё]")
# Words that carry no meaning of their own for a search ("в", "и", "по", "не").
_FUNCTION_WORDS = frozenset(("PREP", "CONJ", "PRCL", "INTJ"))


def tokens(text: str) -> list[re.Match[str]]:
    """The words of a text with their positions, for lemmatising and highlighting."""
    return list(_TOKEN.finditer(text))


@functools.lru_cache(maxsize=65536)
def word_lemmas(word: str) -> frozenset[str]:
    """The dictionary forms a word may have, lower case with ё as е: every likely parse counts,
    so that "Перми" and "Пермь", "форумы" and "форум" share one; empty for a word that carries no
    meaning of its own (a preposition, a conjunction, a particle). A word that is not Russian
    (a number, a Latin name) is its own lemma."""
    word = word.lower().replace("ё", "е")
    if not _CYRILLIC.search(word):
        return frozenset((word,))
    parses = likely(word)
    if parses and all(parse.tag.POS in _FUNCTION_WORDS for parse in parses):
        return frozenset()
    return frozenset(parse.normal_form.replace("ё", "е") for parse in parses) or frozenset((word,))


@functools.lru_cache(maxsize=65536)
def indexed_lemmas(word: str) -> frozenset[str]:
    """What a word of a text is found by: its lemmas and, for a hyphenated word, its parts'
    ("Южно-Сахалинск" is found by "Южно-Сахалинске" and by "Сахалинск")."""
    found = word_lemmas(word)
    if "-" in word:
        found = found.union(*(word_lemmas(part) for part in word.split("-") if part))
    return found


def is_dictionary_word(word: str) -> bool:
    """Whether pymorphy3's dictionary has the word (lower case), rather than guessing it."""
    return _known(word.lower())


@functools.lru_cache(maxsize=65536)
def _known(word: str) -> bool:
    return analyzer().word_is_known(word)


def lemmas(text: str) -> set[str]:
    """Every lemma a text is found by: "Администрация г. Перми" -> {"администрация", "г",
    "пермь"}."""
    return set(text_lemmas(text))


@functools.lru_cache(maxsize=16384)
def text_lemmas(text: str) -> frozenset[str]:
    """`lemmas`, shared and frozen: for a caller that only reads them (texts repeat)."""
    return frozenset().union(*map(indexed_lemmas, _TOKEN.findall(text)))
