"""Known abbreviations as equivalences for matching organisations: «Минздрав России» and
«Министерство здравоохранения Российской Федерации», «ГБУЗ …» and «Государственное бюджетное
учреждение здравоохранения …» are one organisation.

The list is data (`data/abbreviations.tsv`, its format in docs/formats.md). It only makes two
*keys* equal (`organisation_key`): an abbreviation is written out in the key, a full form in
another case is put as listed. A plan's text and an organisation's name stay as written.

Pure, no Django. The list is read once per process.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from pathlib import Path

ABBREVIATIONS = Path(__file__).with_name("data") / "abbreviations.tsv"

_ENDINGS = "аеиоуыэюяйь"  # letters an inflected Russian word may end in, taken off its stem
_MAX_ENDING = 4  # letters an inflection may add to a stem: «учрежден» + «иями»
_MAX_KEPT = 65536  # words whose matching rules are kept (a bound for a long-running process)


def read_list(lines: Iterable[str]) -> list[tuple[str, str]]:
    """(abbreviation, full form) pairs of the list's lines; notes (#) and blank lines left out,
    a line without a tab refused."""
    pairs = []
    for number, line in enumerate(lines, 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        short, tab, full = text.partition("\t")
        if not tab or not short.strip() or not full.strip():
            raise ValueError(f"{ABBREVIATIONS.name}:{number}: «abbreviation<TAB>full form»")
        pairs.append((short.strip(), full.strip()))
    return pairs


# A rule's word: (text, declines, as listed). A declining word is its stem, which a word of at
# most _MAX_ENDING more letters matches («учреждени»: «учреждения», «учреждением»); the others
# match only as written.
_Word = tuple[str, bool, str]
_NOUN_ENDINGS = frozenset(("", "а", "у", "е", "ом", "ы", "ов", "ам", "ами", "ах", "и", "ей", "ю"))


class Expander:
    """Replaces every abbreviation in a key by its full form, and every form of a full form
    by the form listed, so that a key says each of them one way.

    `normalise` is the key's own normalisation without the abbreviations (lower case, ё, the
    «Российская Федерация» forms…), so a list's line is read as a name's key is. The full form
    is what a key keeps, not the abbreviation, so a misspelt full form («Министрество
    здравоохранения …») stays a near miss of the right one. As everywhere in the keys, the
    first word of a name is taken as written: «Министерства здравоохранения …» at the start
    is no «Министерство …» (a name is nominative; a genitive there is another text).

    The rules are indexed by the first three letters of their first word, which every form of
    a word shares: a key none of whose words starts a rule (most keys) is given back at once,
    and otherwise only the few rules starting at a word are tried there, the longest first."""

    def __init__(self, pairs: Iterable[tuple[str, str]], normalise: Callable[[str], str]) -> None:
        groups: dict[str, list[str]] = {}  # full form's key -> its abbreviations' keys
        word_like: set[str] = set()
        for short, full in pairs:
            short_key, full_key = normalise(short), normalise(full)
            if not short_key or not full_key or short_key == full_key:
                continue
            if short_key not in groups.setdefault(full_key, []):
                groups[full_key].append(short_key)
            if short[1:].islower():  # «Минздрав», «Роспотребнадзор» decline; «ГБУЗ» does not
                word_like.add(short_key)
        # A one-word abbreviation inside another full form is written out there too (ЕРБ ВОЗ).
        inner = {shorts[0]: full for full, shorts in groups.items() if " " not in shorts[0]}
        self._rules: dict[str, list[tuple[tuple[_Word, ...], str]]] = {}
        self._by_first: dict[tuple[str, bool], tuple[tuple[tuple[_Word, ...], str], ...]] = {}
        for full_key, shorts in groups.items():
            kept = " ".join(inner.get(word, word) for word in full_key.split())
            for form in dict.fromkeys((full_key, kept)):
                self._add(tuple(_word(word, True) for word in form.split()), kept)
            for short in shorts:
                self._add(tuple(_word(word, short in word_like) for word in short.split()), kept)
        for rules in self._rules.values():  # «ФГБУ»'s full form before «ГБУ»'s, «ЦОЗМП» first
            rules.sort(key=lambda item: -len(item[0]))

    def _add(self, rule: tuple[_Word, ...], kept: str) -> None:
        self._rules.setdefault(rule[0][2][:3], []).append((rule, kept))

    def expand(self, key: str) -> str:
        """The key with every abbreviation written out and every full form as listed."""
        rules = self._rules
        words = key.split()
        if not any(word[:3] in rules for word in words):
            return key
        out: list[str] = []
        position, count = 0, len(words)
        while position < count:
            for rule, kept in self._starting(words[position], position == 0):
                end = position + len(rule)
                if end <= count and all(
                    _matches(rule_word, word, False)
                    for rule_word, word in zip(rule[1:], words[position + 1 : end], strict=True)
                ):
                    out.append(kept)
                    position = end
                    break
            else:
                out.append(words[position])
                position += 1
        return " ".join(out)

    def _starting(self, word: str, first: bool) -> tuple[tuple[tuple[_Word, ...], str], ...]:
        """The rules whose first word the key's word is a form of, longest first: kept for each
        word (a plan's names share most of their words), so a word is matched against the
        first words of the rules once, and only the rest of a rule is matched where it stands."""
        candidates = self._rules.get(word[:3])
        if not candidates:
            return ()
        found = self._by_first.get((word, first))
        if found is None:
            if len(self._by_first) >= _MAX_KEPT:
                self._by_first.clear()
            found = tuple(
                (rule, kept) for rule, kept in candidates if _matches(rule[0], word, first)
            )
            self._by_first[(word, first)] = found
        return found


def _word(word: str, declines: bool) -> _Word:
    """A rule's word: short words (prepositions, conjunctions), words with digits and
    abbreviations that do not decline as written, the others by their stem (at most two
    letters taken off, at least three left: «край» is «кра…»)."""
    stem = word
    for _letter in range(2):
        if stem[-1:] in _ENDINGS and len(stem) > 3:
            stem = stem[:-1]
    if not declines or len(word) <= 3 or not word.isalpha():
        return word, False, word
    return stem, True, word


def _matches(rule_word: _Word, word: str, first: bool) -> bool:
    """Whether a key's word is a form of the rule's (the listed form only as a name's first
    word). A word that ends in a consonant as listed («минздрав») takes a noun's endings
    only, so «минздравсоц» is no form of it."""
    text, declines, listed = rule_word
    if not declines or first or word == listed:
        return word == listed
    tail = word[len(text) :]
    return (
        word.startswith(text)
        and len(tail) <= _MAX_ENDING
        and tail.isalpha()
        and (listed[-1] in _ENDINGS or tail in _NOUN_ENDINGS)
    )


@functools.cache
def expander(normalise: Callable[[str], str]) -> Expander:
    """The shipped list's rules, read once per process."""
    with ABBREVIATIONS.open(encoding="utf-8") as lines:
        return Expander(read_list(lines), normalise)
