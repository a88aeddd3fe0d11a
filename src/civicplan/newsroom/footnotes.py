"""The footnote an activity keeps when it came from a member's proposal, as the 2024 plan marks
such rows ("¹ В соответствии с предложениями глав/мэров муниципальных образований …").

The footnote is part of the plan document, so it is written in the plan's language (Russian)
whatever the language of the page staff clicked on; it is data, not an interface message.
"""

from __future__ import annotations

import re

from civicplan.plandoc.morphology import analyzer

_WORD = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*")
_ADJECTIVES = frozenset(("ADJF", "PRTF"))

PROPOSAL_NOTE = "По предложению {organisation}."
PROPOSAL_NOTE_AS_WRITTEN = "По предложению: {organisation}."


def proposal_footnote(organisation: str) -> str:
    """ "По предложению администрации …" with the name in the genitive; where the name cannot be
    inflected with confidence (it starts with an abbreviation or a quoted name), the name as
    written after a colon."""
    inflected = genitive(organisation)
    if inflected is None:
        return PROPOSAL_NOTE_AS_WRITTEN.format(organisation=organisation.strip())
    return PROPOSAL_NOTE.format(organisation=inflected)


def genitive(name: str) -> str | None:
    """An organisation's name in the genitive: its leading adjectives and head noun change, the
    rest (its own genitive complements, quoted names) stays ("Городская Дума Краснодара" ->
    "Городской Думы Краснодара"). None when a word before the head is not a Russian adjective
    (an abbreviation such as "МБУ", a quote, a number): such names are not guessed at.

    The inverse of `civicplan.plandoc.morphology.to_nominative`, with the same parses."""
    words = name.split()
    adjectives: list[tuple[str, object]] = []
    for index, word in enumerate(words):
        if not _WORD.fullmatch(word) or (word.isupper() and len(word) > 1):
            return None
        parses = [parse for parse in _likely(word) if parse.tag.case == "nomn"]
        noun = next((parse for parse in parses if parse.tag.POS == "NOUN"), None)
        adjective = next((parse for parse in parses if parse.tag.POS in _ADJECTIVES), None)
        if noun is not None and (adjective is None or adjectives or index == len(words) - 1):
            number = noun.tag.number or "sing"
            fixed_number = "Sgtm" in noun.tag or "Pltm" in noun.tag
            head = noun.inflect({"gent"} if fixed_number else {"gent", number})
            agreement = {"gent", number}
            if number != "plur" and noun.tag.gender:
                agreement.add(noun.tag.gender)
            before = [(written, parse.inflect(agreement)) for written, parse in adjectives]
            if head is None or any(inflected is None for _, inflected in before):
                return None
            return " ".join(
                [
                    *(_same_case(written, inflected.word) for written, inflected in before),
                    _same_case(word, head.word),
                    *words[index + 1 :],
                ]
            )
        if adjective is None:
            return None
        adjectives.append((word, adjective))
    return None


def _likely(word: str) -> list:
    """The parses worth believing: within a tenth of the best score."""
    parses = analyzer().parse(word.lower())
    best = parses[0].score if parses else 0
    return [parse for parse in parses if parse.score >= best / 10]


def _same_case(written: str, inflected: str) -> str:
    """The inflected word with the capital letters of the written one ("Дума" -> "Думы")."""
    parts, originals = inflected.split("-"), written.split("-")
    if len(parts) != len(originals):
        return inflected[:1].upper() + inflected[1:] if written[:1].isupper() else inflected
    return "-".join(
        part[:1].upper() + part[1:] if original[:1].isupper() else part
        for part, original in zip(parts, originals, strict=True)
    )
