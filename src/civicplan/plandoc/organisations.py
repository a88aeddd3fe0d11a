"""Responsible organisations: reading the «Ответственный» cell, recognising one organisation
however it is written, and telling what kind of body it is.

Pure Python (no Django). The importer reads every row with `read_responsible` and passes the
names through one `OrganisationIndex` for the whole plan (seeded with the organisations already
in the database), so "дирекция Ассоциации", "Дирекция Ассоциации" and the typo
"дирекция Ассоциация" become one organisation with three spellings.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from civicplan.plandoc import abbreviations, morphology
from civicplan.plandoc.geography import FEDERAL_CITIES, RUSSIA, country_keys
from civicplan.plandoc.model import Responsible

__all__ = [
    "FUZZY_THRESHOLD",
    "Match",
    "Organisation",
    "OrganisationIndex",
    "classify",
    "organisation_key",
    "read_responsible",
]

# ---------------------------------------------------------------------------------------------
# Brackets and quotes: separators inside «…», (…), "…", „…“, “…” never split a cell.

_OPENERS = {"«": "»", "(": ")", "[": "]", "„": "“", "“": "”"}
_CLOSERS = frozenset("»)]“”")
_SPACE_OR_OPEN = frozenset(" \t\n\r«(„“[/")
_MARKS = re.compile(r'["«»()\[\]„“”]')  # a text without any of these has no pairs


def _pairs(text: str) -> dict[int, int]:
    """Matching brackets and quotes: opener position -> closer position. Openers never closed
    and stray closers are left out, so an unbalanced cell still splits everywhere else."""
    pairs: dict[int, int] = {}
    stack: list[tuple[str, int]] = []
    for mark in _MARKS.finditer(text):  # every other character leaves the pairs as they are
        i = mark.start()
        ch = text[i]
        if ch == '"':
            before = text[i - 1] if i else " "
            after = text[i + 1] if i + 1 < len(text) else " "
            opens = before in _SPACE_OR_OPEN and not after.isspace()
            if stack and stack[-1][0] == '"' and not opens:
                pairs[stack.pop()[1]] = i
            elif opens:
                stack.append(('"', i))
            continue
        if ch in _CLOSERS:
            depth = next((d for d in range(len(stack) - 1, -1, -1) if stack[d][0] == ch), None)
            if depth is not None:
                pairs[stack[depth][1]] = i
                del stack[depth:]
                continue
        if ch in _OPENERS:
            stack.append((_OPENERS[ch], i))
    return pairs


class _Enclosed:
    """Which positions of a text are inside a matched bracket or quote: the outermost pairs'
    spans, which never overlap, looked up by their start (a cell has a few pairs and a few
    separators; no mark per character is made)."""

    __slots__ = ("ends", "starts")

    def __init__(self, text: str) -> None:
        spans: list[tuple[int, int]] = []
        for opener, closer in sorted(_pairs(text).items()):
            if not spans or opener > spans[-1][1]:
                spans.append((opener, closer))
        self.starts = [opener for opener, _ in spans]
        self.ends = [closer for _, closer in spans]

    def __contains__(self, index: int) -> bool:
        at = bisect.bisect_right(self.starts, index) - 1
        return at >= 0 and index <= self.ends[at]


def _split_top(text: str, separators: str) -> list[str]:
    enclosed = _Enclosed(text)
    parts, start = [], 0
    for i, ch in enumerate(text):
        if ch in separators and i not in enclosed:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


# ---------------------------------------------------------------------------------------------
# Morphology helpers (pymorphy3 through civicplan.plandoc.morphology).

_WORD = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*")
_NOMINAL = frozenset(("NOUN", "ADJF", "PRTF", "NPRO"))
_FUNCTION = frozenset(("PREP", "CONJ", "PRCL"))


_likely = morphology.likely  # the parses worth believing (within a tenth of the best score)


def _is_abbreviation(word: str) -> bool:
    return word.isupper() and len(word) > 1


def _can_be(word: str, case: str) -> bool:
    """Whether a word can stand in `case` (an abbreviation or a non-word always can)."""
    if case == "nomn":
        return morphology.can_be_nominative(word)
    if not _WORD.fullmatch(word) or _is_abbreviation(word):
        return True
    nominal = [p for p in _likely(word) if p.tag.POS in _NOMINAL]
    return not nominal or any(p.tag.case == case for p in nominal)


def _is_function_word(word: str) -> bool:
    """ "и", "по", "со": no organisation's name starts with one, so a piece that does continues
    the previous name."""
    parses = _likely(word) if _WORD.fullmatch(word) else ()
    return bool(parses) and all(p.tag.POS in _FUNCTION for p in parses)


@functools.lru_cache(maxsize=16384)
def _has_tag(word: str, grammeme: str) -> bool:
    return any(grammeme in p.tag for p in morphology.parses(word))


# ---------------------------------------------------------------------------------------------
# People and contacts.

_INITIALS = r"[А-ЯЁ]\.\s?(?:[А-ЯЁ]\.)?"
_SURNAME = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
_PERSON = re.compile(rf"{_SURNAME}\s+{_INITIALS}|{_INITIALS}\s?{_SURNAME}")
_CAPITALISED = re.compile(_SURNAME)
_CONTACT_LABEL = re.compile(
    r"^(?:контактное\s+лицо|конт\.\s*лицо|контакты?|координатор|"
    r"ответственн\w*(?:\s+лицо)?)\s*(?::|[-–—]\s)\s*|^контактное\s+лицо\s+",
    re.IGNORECASE,
)
_TOP_CONTACT_LABEL = re.compile(
    r"^(?:контактное\s+лицо|конт\.\s*лицо|контакты?)(?:\s*(?::|[-–—]\s)\s*|\s+)", re.IGNORECASE
)
_PHONE_OR_MAIL = re.compile(
    r"^(?:тел\b|телефон|моб\b|факс|e-?mail|эл\.\s*почта|электронная\s+почта|\+?\d[\d\s()\-]{5,}\d|\S+@)",
    re.IGNORECASE,
)


def _is_person(text: str) -> bool:
    """ "Иванова А.П.", "А. П. Иванова", "Иванов Петр Сергеевич", "Петр Сергеевич Иванов"."""
    text = text.strip()
    if _PERSON.fullmatch(text):
        return True
    words = text.split()
    if len(words) != 3 or not all(_CAPITALISED.fullmatch(w) for w in words):
        return False
    return (_has_tag(words[1], "Name") and _has_tag(words[2], "Patr")) or (
        _has_tag(words[0], "Name") and _has_tag(words[1], "Patr")
    )


def _contact(inner: str) -> str | None:
    """The contact in "(О.И. Петрова)", "(контактное лицо: Петрова О.И., тел. …)", "(тел. …)":
    everything after the label, so the phone is kept with the person."""
    stripped = _CONTACT_LABEL.sub("", inner, count=1).strip()
    labelled = stripped != inner.strip()
    first = _split_top(stripped, ",")[0].strip()
    if stripped and (labelled or _is_person(first) or _PHONE_OR_MAIL.match(first)):
        return stripped
    return None


# ---------------------------------------------------------------------------------------------
# Reading the cell.

_LABEL_ROLE = (
    r"(?<![\w-])(?:(?:информационн|генеральн|стратегическ|официальн|основн|главн)\w*\s+)?"
    r"(?:со)?(?:организатор|партн[её]р|исполнител|спонсор|ответственн)\w*"
    r"\s*(?::|[–—-](?=\s))"
)
_MARKER = (
    r"(?<![\w-])(?:при\s+поддержке|при\s+содействии|при\s+участии|с\s+участием|под\s+эгидой|"
    r"в\s+партн[её]рстве\s+с|в\s+сотрудничестве\s+с|совместно\s+с|совм\.\s*с)(?![\w-])(?:\s*:)?"
)
# A label or marker starts with one of the letters looked ahead for: most places in a cell are
# passed over without trying each of their words.
_EVENTS = re.compile(
    rf"(?P<sep>[,;])|(?P<newline>\n(?=[ \t]*(?-i:[А-ЯЁA-Z«\"„“]|\d+[.)]\s|[•·*-]\s)))"
    rf"|(?=[игсопв])(?:(?P<label>{_LABEL_ROLE})|(?P<marker>{_MARKER}))",
    re.IGNORECASE,
)
# (role, case of the names that follow) for each marker, by a distinctive part of it.
_MARKERS = (
    ("поддержк", "supporter", "gent"),
    ("содейств", "supporter", "gent"),
    ("эгид", "supporter", "gent"),
    ("участи", "responsible", "gent"),
    ("партн", "supporter", "ablt"),
    ("сотрудничеств", "supporter", "ablt"),
    ("совм", "responsible", "ablt"),  # «совместно с», «совм. с»
)
_ROLE_PAREN = re.compile(
    r"^(?:(?P<organiser>(?:со)?организатор(?P<op>ы)?)|(?P<supporter>партн[её]р(?P<sp>ы)?|"
    r"спонсор(?P<ss>ы)?)|(?P<responsible>ответственн(?:ый|ая|ое)|(?P<rp>ответственные)|"
    r"(?:со)?исполнител(?:ь|и)))$",
    re.IGNORECASE,
)
_FIRST_WORD = re.compile(r"\s*([А-Яа-яЁё]{2,}(?:-[А-Яа-яЁё]+)*|[А-Яа-яЁё](?=\s))(?=[\s,;:)/]|$)")
_LIST_MARK = re.compile(r"^\s*(?:\d{1,2}[.)]|[•·*]|[-–—](?=\s))\s*")
_FINAL_DOT = re.compile(r"(?:[А-Яа-яЁёA-Za-z]{4,}|[»\")”])\.$")


def _role_of_label(label: str) -> str:
    label = label.lower()
    if "организатор" in label:
        return "organiser"
    if "партн" in label or "спонсор" in label:
        return "supporter"
    return "responsible"


@dataclass(slots=True)
class _Piece:
    text: str
    role: str
    case: str
    group: int
    explicit: bool = False  # role given by "(организатор)" rather than by the group
    contact: list[str] = field(default_factory=list)


def read_responsible(text: str) -> list[Responsible]:
    """The parties of one «Ответственный» cell, in order, with roles, kinds and contacts."""
    if not isinstance(text, str):
        return []
    return list(_read_responsible(text))


@functools.lru_cache(maxsize=8192)
def _read_responsible(text: str) -> tuple[Responsible, ...]:
    """read_responsible, kept for cells written again in later rows (a pure function of the
    text; the parties are frozen)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ").replace("\t", " ")
    pieces = _pieces(text)
    _apply_role_marks(pieces)
    pieces = [part for piece in pieces for part in _people_apart(piece)]
    parties: list[Responsible] = []
    for piece in pieces:
        if parties and parties[-1].kind == "person" and _position_after(piece.text):
            continue  # «Матлашова Д.А., зав. Геймановской п/б»: her position, not a party
        party = _party(piece)
        if party is not None:
            parties.append(party)
    return tuple(parties)


_ABBREVIATIONS = re.compile(r"^(?:[а-яё]{1,4}\.\s*)+")


def _position_after(text: str) -> bool:
    """A position written in lower case after a person and a comma («библиотекарь …», «зав.
    отделом …»): the person's, as a position after a dash is."""
    text = text.strip()
    if not text[:1].islower() or "," in text or _POSITION.match(text) is None:
        return False
    head = _WORD.match(_ABBREVIATIONS.sub("", text))  # «гл. библиотекарь»: «библиотекарь»
    # one person's: «учителя начальных классов» are a group of their own
    return head is None or not any("plur" in parse.tag for parse in _likely(head.group()))


def _pieces(text: str) -> list[_Piece]:
    """Split the cell on top-level commas, semicolons and line breaks, following role labels
    ("Организаторы:") and markers ("при поддержке"): a label or marker holds up to the next
    semicolon. A piece that cannot start a name ("защите семьи", "Индии") continues the
    previous one."""
    enclosed = _Enclosed(text)
    splitter = _Splitter()
    position = 0
    for event in _EVENTS.finditer(text):
        if event.start() in enclosed:
            continue
        chunk = text[position : event.start()]
        splitter.take(chunk)
        position = event.end()
        splitter.after(event.lastgroup, event.group(), chunk)
    splitter.take(text[position:])
    return splitter.pieces


_DEFAULT_ROLE = ("responsible", "nomn")
_NUMBERS = re.compile(r"\d{1,4}(?:\s*[-–]\s*\d{1,4})?")


class _Splitter:
    """The pieces read so far and what the next one inherits: the role and case the last label
    or marker set, their group, the piece a following text may continue and how it is joined."""

    def __init__(self) -> None:
        self.role, self.case = _DEFAULT_ROLE
        self.group = 0
        self.pieces: list[_Piece] = []
        self.last: _Piece | None = None  # the piece a following text may continue
        self.joiner = ", "

    def take(self, chunk: str) -> None:
        """The text between two separators: a contact, more of the last name, or a new name."""
        chunk = _LIST_MARK.sub("", chunk, count=1).strip()
        if not chunk:
            return
        if self.pieces and (_TOP_CONTACT_LABEL.match(chunk) or _PHONE_OR_MAIL.match(chunk)):
            self.add_contact(chunk)
            return
        if self.last is not None and _NUMBERS.fullmatch(chunk):
            self.last.text += self.joiner + chunk  # «ПЭЖУ № 1, 2, 3»: more numbers of the name
            return
        match = _FIRST_WORD.match(chunk)
        word = match.group(1) if match else None
        if self.last is not None and word is not None and _continues(word, self.case):
            self.last.text += self.joiner + chunk
            return
        if self.case != "nomn" and word is not None and not _can_be(word, self.case):
            self.leave_case()
        self.last = _Piece(chunk, self.role, self.case, self.group)
        self.pieces.append(self.last)

    def add_contact(self, chunk: str) -> None:
        """A phone, an e-mail or "контактное лицо: …" on its own belongs to the name before."""
        contact = _TOP_CONTACT_LABEL.sub("", chunk, count=1).strip()
        if contact:
            self.pieces[-1].contact.append(contact)
        self.last = None

    def leave_case(self) -> None:
        """A name not in the marker's case ends the marker's list ("при поддержке Минздрава
        России, органы власти …"), or, if it is the first, is written as it is ("при поддержке
        Общественная палата РФ")."""
        if any(piece.group == self.group for piece in self.pieces):
            self.new_group(*_DEFAULT_ROLE)
        else:
            self.case = "nomn"

    def after(self, kind: str | None, separator: str, chunk: str) -> None:
        """What a separator, label or marker changes for the pieces after it."""
        if kind == "sep" and separator == ";":
            self.new_group(*_DEFAULT_ROLE)
        elif kind == "sep":
            self.joiner = ", "
        elif kind == "newline" and chunk.strip():
            self.joiner = " "  # a line break alone; after "Китая,\n" the comma still joins
        elif kind == "label":
            self.new_group(_role_of_label(separator), "nomn")
        elif kind == "marker":
            self.new_group(*_role_of_marker(separator))

    def new_group(self, role: str, case: str) -> None:
        """The names after a semicolon, label or marker have a role and case of their own."""
        self.role, self.case = role, case
        self.group += 1
        self.last = None


def _role_of_marker(marker: str) -> tuple[str, str]:
    """The role a marker gives the names after it, and the case they are in."""
    marker = marker.lower()
    role, case = next((r, c) for part, r, c in _MARKERS if part in marker)
    if marker.rstrip().endswith(":"):
        case = "nomn"  # "При поддержке: Общественная палата РФ" lists names as they are
    return role, case


@functools.lru_cache(maxsize=16384)
def _continues(word: str, case: str) -> bool:
    if _is_function_word(word):
        return True
    if case == "nomn":
        return not morphology.can_be_nominative(word)
    return not _can_be(word, case) and not morphology.can_be_nominative(word)


_SPACE_AFTER_OPENER = re.compile(r"(?<=[«(]) ")
_SPACE_BEFORE_CLOSER = re.compile(r" (?=[»)])")


@functools.lru_cache(maxsize=65536)
def _tidy(text: str) -> str:
    """Whitespace normalised, no spaces just inside «» and (), the first letter upper-cased."""
    text = " ".join(text.split())  # single spaces: the one after an opener, before a closer
    text = _SPACE_BEFORE_CLOSER.sub("", _SPACE_AFTER_OPENER.sub("", text))
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1 :] if ch.islower() else text
    return text


def _trailing_paren(text: str) -> tuple[str, str] | None:
    """ "X (inner)" -> ("X", "inner") when the final ")" closes a top-level "("."""
    if not text.endswith(")"):
        return None
    for opener, closer in _pairs(text).items():
        if closer == len(text) - 1 and text[opener] == "(":
            return text[:opener].rstrip(), text[opener + 1 : -1].strip()
    return None


def _apply_role_marks(pieces: list[_Piece]) -> None:
    """ "Фонд Росконгресс (организатор)": the mark sets that piece's role and leaves the name;
    a plural mark ("(организаторы)") covers the pieces of its group before it too."""
    for index, piece in enumerate(pieces):
        piece.text = _clean(piece.text)
        split = _trailing_paren(piece.text)
        mark = _ROLE_PAREN.match(split[1]) if split and split[0] else None
        if split is None or mark is None:
            continue
        role = "organiser" if mark.group("organiser") else "responsible"
        role = "supporter" if mark.group("supporter") else role
        piece.text, piece.role, piece.explicit = split[0], role, True
        if any(mark.group(plural) for plural in ("op", "sp", "ss", "rp")):
            for earlier in pieces[:index]:
                if earlier.group == piece.group and not earlier.explicit:
                    earlier.role = role


def _clean(text: str) -> str:
    text = " ".join(text.split()).strip(" ,;:")
    # the final dot's word or quote is within the last five characters: no need to scan more
    if text.endswith(".") and _FINAL_DOT.search(text, max(0, len(text) - 5)):
        text = text[:-1]
    return text


# ---------------------------------------------------------------------------------------------
# People written one after another without commas, positions and remarks.

# "Иванова М.П.", "Иванова М. П.", "Иванова М.П" (a surname and initials), and the other order
# "М.П. Иванова", "М.П.Иванова".
_SURNAME_FIRST = re.compile(
    rf"(?<![\w.]){_SURNAME}\s+(?:[А-ЯЁ]\.\s?(?:[А-ЯЁ]\.?)?|[А-ЯЁ]\s[А-ЯЁ](?![\w.]))(?![\w])"
)
_INITIALS_FIRST = re.compile(rf"(?<![\w.])[А-ЯЁ]\.\s?(?:[А-ЯЁ]\.\s?)?{_SURNAME}(?![\w])")
# A full name with its patronymic at the end of a piece, after other words.
_FULL_NAME_AT_END = re.compile(
    rf"(?<=\s){_SURNAME}\s+[А-ЯЁ][а-яё]+\s+[А-ЯЁ][а-яё]+(?:вич|вна|ична|чна|ич)\s*$"
)
# What both need: an initial ("И." or "И О"); a text without one names no person.
_INITIAL = re.compile(r"[А-ЯЁ](?:\.|\s[А-ЯЁ])")
# A remark about a party, in brackets after it: agreement to be sought, an invitation.
_REMARK = re.compile(
    r"\s*\(\s*(по\s+согл(?:асованию|асов\.?|\.)?|по\s+приглашению|при\s+условии[^()]*"
    r"|по\s+договор[её]нност\w*)\s*\)|\s+(?<![(])по\s+согласованию(?=\s*$)",
    re.IGNORECASE,
)
# The first word of a position written after a person's name ("– главный библиотекарь").
_POSITION = re.compile(
    r"(?:(?:и\.\s?о\.|врио|вр\.\s?и\.\s?о\.)\s*)?"  # «и.о. начальника»: acting as one
    r"(?:директор|заместител|зам\.|зам\s|заведующ|зав\.|главн|гл\.|вед\.|ст\.\s?вожат|ведущ|старш|руководител|специалист"
    r"|методист|библиотекар|библиограф|педагог|учител|преподавател|воспитател|начальник"
    r"|председател|секретар|инспектор|культорганизатор|хормейстер|художественн|режисс[её]р"
    r"|хореограф|аккомпаниатор|звукорежисс[её]р|тренер|инструктор|советник|координатор"
    r"|специалист|экскурсовод|научн|младш|психолог|логопед|врач|фельдшер|медицинск|хранител"
    r"|сотрудник|работник"
    # military and police ranks before a name («полковник Котенок А.А.»)
    r"|(?:генерал|полковник|подполковник|майор|капитан|лейтенант|прапорщик|сержант|старшин)"
    r"(?:а|у|ом|ы)?(?![а-яё]))",
    re.IGNORECASE,
)
# Where a second position starts in a list of positions written without commas ("Кл.
# руководители Организатор Библиотекарь", "Зав. по ВР и СВ. Зав. отделениями").
_NEXT_POSITION = re.compile(
    r"(?<=[\w.»)])\s+(?=(?:Кл\.|Зам\.|Зав\.|Организатор|Ответственн|Классн|Директор|Заместител"
    r"|Заведующ|Руководител|Библиотекар|Педагог|Учител|Воспитател|Методист|Социальн|Старш"
    r"|Главн|Специалист|Психолог|Вожат|Начальник|Председател))"
)
_AND = re.compile(r"\s+и\s+")


def _people_apart(piece: _Piece) -> list[_Piece]:
    """One piece per person in "Кулешова Р.В. Звягина М.А." (people listed without commas) and
    per group of people in "главы поселений и руководители подразделений"; a position after a
    person's name ("Смирнова О.А. – главный библиотекарь") is left out of the name."""
    parts = _people_parts(piece.text)
    if parts is None:
        return [piece]
    return [
        _Piece(part, piece.role, piece.case, piece.group, piece.explicit, piece.contact)
        for part in parts
    ]


@functools.lru_cache(maxsize=16384)
def _people_parts(text: str) -> tuple[str, ...] | None:
    """The parts of `_people_apart`, None when the piece is one party (pieces repeat from cell
    to cell: an organisation is named in many rows)."""
    spans = _person_spans(text)
    if (
        not spans
        and not _AND.search(text)
        and not _NEXT_POSITION.search(text)
        and not _NEXT_GROUP.splits(text)
    ):
        return None
    parts: list[str] = []
    position = 0
    for start, end in spans:
        between = text[position:start]
        if not _remark_of_last(parts, between) and not _is_position_of(between):
            _add_between(parts, between, after_person=bool(parts) and position > 0)
        parts.append(text[start:end])
        position = end
    if not _remark_of_last(parts, text[position:]):
        _add_between(parts, text[position:], after_person=position > 0)
    if len(parts) <= 1 and parts == [text]:
        return None
    return tuple(parts)


def _remark_of_last(parts: list[str], text: str) -> bool:
    """«(по согласованию)» after a person belongs to that person: added to the last part."""
    text = text.rstrip(" ,;")
    if parts and text.strip() and _REMARK.fullmatch(text):
        parts[-1] += text
        return True
    return False


def _person_spans(text: str) -> list[tuple[int, int]]:
    """Where people's names are in a piece, outside brackets and quotes (a contact in brackets
    stays with its body): each "Фамилия И.О."; an "И.О. Фамилия" only at the start or right
    after another person (inside a name it is whom a body is named after:
    «Музей Ш.Худайбердина»); a full name closing a position («Художественный руководитель КСЦ
    «Выла» Михайлов Михаил Александрович»)."""
    full = _FULL_NAME_AT_END.search(text) if text.rstrip()[-2:] in ("ич", "на") else None
    if full and _is_person(full.group()) and _is_position_of(text[: full.start()]):
        return [full.span()]
    if not _INITIAL.search(text):
        return []
    enclosed = _Enclosed(text)
    initials_first = [m.span() for m in _INITIALS_FIRST.finditer(text) if m.start() not in enclosed]
    if (
        len(initials_first) >= 2
        and not text[: initials_first[0][0]].strip()
        and all(not text[e:s].strip(" ,;") for (_, e), (s, _) in itertools.pairwise(initials_first))
    ):
        return initials_first  # «А.В. Пилясов В.М. Шмелев»: the cell's order is initials first
    spans = [
        match.span()
        for match in _SURNAME_FIRST.finditer(text)
        if match.start() not in enclosed and not _POSITION.match(match.group())  # «Директор В.С.»
    ]
    for match in _INITIALS_FIRST.finditer(text):
        start, end = match.span()
        before = text[:start].rstrip(" ,;")
        if start in enclosed or any(s < end and start < e for s, e in spans):
            continue
        previous = max((e for _, e in spans if e <= start), default=0)
        if not before or previous == len(before) or _is_position_of(text[previous:start]):
            spans.append((start, end))
    return sorted(spans)


def _add_between(parts: list[str], text: str, after_person: bool) -> None:
    """The text between two people (or before the first, after the last): a position of the
    person before it is dropped; otherwise its groups of people or bodies are parties."""
    text = text.strip(" ,;")
    if after_person and text[:1] in "-–—":
        return  # "Смирнова О.А. – главный библиотекарь": the position, not a party
    text = text.lstrip("-–— ").strip()
    if text.startswith("и "):
        text = text[2:].strip()
    if not text or not any(ch.isalpha() for ch in text):
        return
    if after_person and text[:1].islower() and _POSITION.match(text):
        return
    parts.extend(_groups_apart(text))


def _is_position_of(text: str) -> bool:
    """ "Методист ЦКС", "Заведующая ДК" right before a name: that person's position, one
    person's (a plural, "Классные руководители", is a group of people of its own)."""
    text = text.strip(" ,;")
    if not text or not _POSITION.match(text) or "," in text or ";" in text:
        return False
    first = _WORD.match(text)
    return first is not None and not any("plur" in parse.tag for parse in _likely(first.group()))


def _groups_apart(text: str) -> list[str]:
    """ "Главы поселений и руководители подразделений": two groups of people joined by «и»,
    each starting with a plural noun of people, are two parties, and so are a body's
    abbreviation and a body named after it («ОСЗН и отдел транспорта …»); other «и» (within a
    body's name) are not split. Positions listed without commas ("Кл. руководители Организатор") are
    one party each."""
    text = _NEXT_GROUP.sub("; ", text)  # «Музей Сотрудники музея»: a group of people after it
    if "; " in text:
        return [group for part in text.split("; ") for group in _groups_apart(part)]
    positions = [part.strip(" .") for part in _NEXT_POSITION.split(text)]
    if len(positions) > 1:
        return [group for part in positions if part for group in _groups_apart(part)]
    pieces = _AND.split(text)
    if len(pieces) < 2:
        return [text]
    if all(_people_group(_head_word(piece)) for piece in pieces):
        return pieces
    if len(pieces) == 2 and _is_abbreviation(pieces[0]) and classify(pieces[1]) != "other":
        return pieces  # «ОСЗН и отдел транспорта администрации города»: two bodies
    return [text]


def _head_word(text: str) -> str:
    """A group's head word: its first word after the adjectives («Классные руководители»)."""
    words = text.split()
    for word in words[:3]:
        if not any(parse.tag.POS in ("ADJF", "PRTF") for parse in _likely(word)[:1]):
            return word
    return words[0] if words else ""


class _NextGroup:
    """Where a capitalised group of people starts after other words without a separator
    («Музей Сотрудники музея», «ДК Работники культуры»), or another body after a body's number
    («Библиотека-филиал № 21 Группа инф. технологий»: a name in the nominative after «№ 21»)."""

    _WORD_AFTER = re.compile(r"(?<=[\w»)])\s+(?=([А-ЯЁ][а-яё]+)\b)")
    _AFTER_NUMBER = re.compile(r"(№\s?\d{1,4})\s+(?=([А-ЯЁ][а-яё]+)\b)")

    def splits(self, text: str) -> bool:
        """Whether `sub` would put a separator anywhere in the text."""
        if any(_people_group(match.group(1)) for match in self._WORD_AFTER.finditer(text)):
            return True
        return "№" in text and any(
            _nominative_name(match.group(2)) for match in self._AFTER_NUMBER.finditer(text)
        )

    def sub(self, replacement: str, text: str) -> str:
        text = self._WORD_AFTER.sub(
            lambda match: replacement if _people_group(match.group(1)) else match.group(0), text
        )
        if "№" not in text:
            return text
        return self._AFTER_NUMBER.sub(
            lambda match: (
                match.group(1) + replacement if _nominative_name(match.group(2)) else match.group(0)
            ),
            text,
        )


@functools.lru_cache(maxsize=4096)
def _nominative_name(word: str) -> bool:
    """A noun or adjective that most likely stands in the nominative: a name's first word."""
    best = _likely(word)
    return bool(best) and "nomn" in best[0].tag and best[0].tag.POS in ("NOUN", "ADJF")


_NEXT_GROUP = _NextGroup()


@functools.lru_cache(maxsize=4096)
def _people_group(word: str) -> bool:
    """A plural noun naming people in the nominative: «главы», «руководители», «педагоги»."""
    if not _WORD.fullmatch(word):
        return False
    return any(
        {"NOUN", "plur", "nomn", "anim"} <= set(parse.tag.grammemes) for parse in _likely(word)
    )


# A phone number written after a name without a label: groups of digits («79 444», «8 (3452)
# 45-67-89») or one long run («89123456789»); never a body's number («Лицей № 1535»).
_TRAILING_PHONE = re.compile(
    r"(?<=[^\d№\s])\s+(\+?\d{1,4}(?:[\s\-()]+\d{2,4}){1,4}|\+?\d{6,11})\s*$"
)


# «По Положению», «по плану»: who is set by another document, no party.
_SET_ELSEWHERE = re.compile(
    r"(?:по|согласно)\s+(?:положению|плану|графику|регламенту|приказу)\.?", re.IGNORECASE
)


def _may_have_remark(text: str) -> bool:
    """What a _REMARK needs: a bracket, or «по согласованию» at the end (most names have
    neither, and are not searched)."""
    return "(" in text or text.rstrip()[-12:].lower() == "согласованию"


def _party(piece: _Piece) -> Responsible | None:
    return _read_party(piece.text, piece.role, piece.case, tuple(piece.contact))


@functools.lru_cache(maxsize=16384)
def _read_party(text: str, role: str, case: str, contacts: tuple[str, ...]) -> Responsible | None:
    """The party a piece names (pieces repeat from row to row; the party is frozen)."""
    remark = None
    found_remark = _REMARK.search(text) if _may_have_remark(text) else None
    if found_remark:
        remark = " ".join(found_remark.group(1).split()) if found_remark.group(1) else None
        remark = remark or "по согласованию"
        text = (text[: found_remark.start()] + text[found_remark.end() :]).strip()
    contact = ", ".join(contacts) or None
    phone = _TRAILING_PHONE.search(text) if text.rstrip()[-1:].isdigit() else None
    if phone:  # «Валентина Вячеславовна Ени 79 444»: a phone after the name, without a label
        text = text[: phone.start()]
        contact = f"{phone.group(1)}, {contact}" if contact else phone.group(1)
    split = _trailing_paren(text)
    if split is not None and split[0]:
        found = _contact(split[1])
        if found is not None:
            text = split[0]
            contact = f"{found}, {contact}" if contact else found
    text = text.strip(" ,;:")
    if not any(ch.isalnum() for ch in text) or _SET_ELSEWHERE.fullmatch(text):
        return None
    person = _is_person(text)
    if case != "nomn" and not person:
        # "органов власти … – членов Ассоциации": the apposition after a dash is declined too
        parts = re.split(r"(\s[–—-]\s)", text)
        text = "".join(
            part if index % 2 else morphology.to_nominative(part, case)
            for index, part in enumerate(parts)
        )
    name = _tidy(text)
    return Responsible(
        name=name,
        role=role,
        kind="person" if person else classify(name),
        contact=_tidy(contact) if contact else None,
        remark=remark,
    )


# ---------------------------------------------------------------------------------------------
# Keys: one organisation however written.

_CITY_MARK = re.compile(
    r"(?<!\w)(?:г|гор)\.\s*(?=[А-ЯЁ])|(?<!\w)[Гг]ород(?:а|е|у|ом)?\s+(?=[А-ЯЁ])"
)
# The words a key writes one way, each in a group named by the short form it becomes: one pass
# over the key (they are whole words, so none is made or unmade by another's replacement).
_SHORT_FORMS = re.compile(
    r"(?<!\w)(?:(?P<рф>российск(?:ая|ой|ую|ою)\s+федераци(?:я|и|ю|ей)|росси(?:я|и|ю|ей)|рф)"
    r"|(?P<им>имени)|(?P<обл>обл(?:асть|асти|астью)?)"
    r"|(?P<респ>респ(?:ублика|ублики|ублике|ублику|убликой)?))(?!\w)"
)
# Punctuation, not spaces: the words are split on whitespace once, at the end.
_NON_KEY = re.compile(r"(?:[^\w\s№]|_)+")


def organisation_key(name: str) -> str:
    """A key equal for every way of writing one organisation: case, ё/е, dashes, quotes,
    punctuation and spaces ignored; "г."/"города", "им."/"имени", "обл."/"области",
    "респ."/"Республики" and "РФ"/"Российской Федерации"/"России" made one; so are the known
    abbreviations and their full forms ("Минздрав"/"Министерство здравоохранения": the list
    in `abbreviations`)."""
    if not isinstance(name, str):
        return ""
    return _key(name)


@functools.lru_cache(maxsize=65536)
def _key(name: str) -> str:
    return abbreviations.expander(plain_key).expand(plain_key(name))


def plain_key(name: str) -> str:
    """The key without the known abbreviations made one with their full forms."""
    # «г.» becomes «г» with the other punctuation: only «гор.» and «город…» need the pattern
    text = _CITY_MARK.sub("г ", name) if "ород" in name or "гор." in name else name
    text = text.lower().replace("ё", "е").replace("№", " № ")
    text = _NON_KEY.sub(" ", text)
    text = _SHORT_FORMS.sub(_short_form, text)
    return " ".join(text.split())


def _short_form(match: re.Match[str]) -> str:
    return match.lastgroup or ""


# ---------------------------------------------------------------------------------------------
# Kinds.

_QUOTED = re.compile(r"«[^«»]*»|\"[^\"]*\"|„[^„“]*“|“[^“”]*”")
_PARENS = re.compile(r"\([^()]*\)")
_TOKEN = re.compile(r"[А-Яа-яЁёA-Za-z0-9]+(?:-[А-Яа-яЁёA-Za-z0-9]+)*")

_INTERNATIONAL_ABBR = frozenset(
    {"ВОЗ", "WHO", "ООН", "UN", "ЮНИСЕФ", "UNICEF", "ЮНЕСКО", "UNESCO", "ЮНЭЙДС", "UNAIDS"}
)
_INTERNATIONAL_HEADS = frozenset({"акимат", "посольство", "консульство", "хокимият"})
# Foreign countries as they stand among a name's words (lemmas): their authorities are
# "international"; Russian republics are regional. Names of several words are left out.
_FOREIGN = frozenset(
    key for key, country in country_keys().items() if country != RUSSIA and " " not in key
)
_UNIVERSITY_ABBR = re.compile(
    r"[А-ЯЁ](?:[А-ЯЁ]|[а-яё](?=[А-ЯЁ])){0,5}(?:ГУ|ТУ|МУ|ПУ|ЭУ|ИУ|ФУ)|РУДН|ВШЭ|МГИМО|МФТИ|МИФИ|"
    r"РАНХиГС|МИСиС|ИТМО|НИУ"
)
_NOT_UNIVERSITY_ABBR = frozenset({"ФГУ"})
_MIXED_CASE_ABBR = frozenset({"РАНХиГС", "МИСиС", "СПбГУ"})
_INSTITUTION_ABBR = re.compile(
    r"(?:Ф|ФГ|Г|М|О|ОГ|ОБ|К|КГ|ГО|Б|Ч)?[БАКН]?(?:ПО|ДО|Д|О|Н)?У(?:З|Н|К|СО|ДО)?|"
    r"НИИ|НМИЦ|ФИЦ|ФНЦ|НИЦ|НЦ|ЦОЗ|ЦМП|ЦОЗМП|ФБУН|ФБУЗ|ЛПУ|ЦРБ|ГКБ|ДГКБ|ОКБ|КДЦ|ДК"
)
_COMPANY_ABBR = frozenset({"ООО", "АО", "ПАО", "ЗАО", "ОАО", "НАО", "ИП", "ГК", "ТОО", "LLC"})
_NGO_ABBR = re.compile(r"АНО|НКО|НП|БФ|РОО|МОО|ОО|[А-ЯЁ]{1,3}ОД|ОНФ|РКК|РСПП")  # ВОД: движение
_FEDERAL_ABBR = frozenset({"МИД", "ФМБА", "ФОМС", "ФФОМС", "ФАС", "ФНС", "МЧС", "МВД", "ФСИН"})
_RESEARCH_ABBR = frozenset({"РАН"})

_ASSOCIATION_BODIES = frozenset(
    {
        "дирекция", "комитет", "совет", "правление", "секретариат", "президент", "председатель",
        "директор", "комиссия", "группа", "бюро", "офис", "аппарат", "координатор",
    }
)  # fmt: skip
_AUTHORITY_HEADS = frozenset(
    {
        "министерство", "ведомство", "комитет", "комиссия", "департамент", "управление",
        "служба", "агентство", "инспекция", "правительство", "администрация", "мэрия", "дума",
        "палата", "собрание", "совет", "аппарат", "префектура", "губернатор", "глава",
        "полпред", "представительство", "минздрав", "прокуратура", "отдел",
    }
)  # fmt: skip
_INSTITUTION_HEADS = frozenset(
    {
        "центр", "больница", "поликлиника", "диспансер", "госпиталь", "клиника", "школа",
        "лицей", "гимназия", "колледж", "техникум", "библиотека", "музей", "учреждение",
        "лаборатория", "санаторий", "хоспис", "театр", "дворец", "дом", "станция",
    }
)  # fmt: skip
_NGO_HEADS = frozenset(
    {
        "фонд", "движение", "союз", "общество", "ассоциация", "партнёрство", "объединение",
        "клуб", "лига", "федерация", "организация", "сообщество", "отделение",
    }
)  # fmt: skip
_COMPANY_HEADS = frozenset(
    {
        "компания", "корпорация", "холдинг", "завод", "комбинат", "банк", "фабрика",
        "предприятие", "концерн",
    }
)  # fmt: skip
_UNIVERSITY_HEADS = frozenset({"университет", "консерватория", "академия", "институт"})
_RESEARCH_WORDS = ("научно", "научн", "исследовательск", "наук")
_FEDERAL_AGENCY = re.compile(  # on lemmas: "Роспотребнадзора" -> роспотребнадзор
    r"рос[а-яё]*(?:надзор|сотрудничество|стат|гвардия|реестр|архив|молод[её]жь|туризм|авиация|"
    r"аккредитация|рыболовство|недра)"
)
_MINISTRY_SHORT = re.compile(r"Мин[а-яё]{3,}")
_FEDERAL_CITIES = frozenset(city.lower() for city in FEDERAL_CITIES)
_REGION_WORDS = frozenset({"область", "обл", "край", "республика", "респ", "округ", "губернатор"})
_MUNICIPAL_WORDS = re.compile(
    r"муниципальн|(?<!\w)(?:района|районная|районный|поселения|поселка|посёлка|села|ЗАТО|"
    r"городского\s+округа|мэрия|мэр)(?!\w)",
    re.IGNORECASE,
)
_TOWN_WORDS = re.compile(r"(?<!\w)(?:городская|городской|городское)(?!\w)", re.IGNORECASE)
_CITY_WORDS = re.compile(r"(?<!\w)(?:г|гор)\.\s*[А-ЯЁ]|(?<!\w)[Гг]ород(?:а|е|у|ом)?\s+[А-ЯЁ]")
_FEDERAL_WORDS = re.compile(
    r"(?<!\w)(?:РФ|Росси[ияюей]|Российск\w+\s+Федераци\w+|Федераци[ия]|Федеральн\w+|"
    r"Государственн\w+\s+Дум\w+)(?!\w)"
)


@dataclass(frozen=True, slots=True)
class _Word:
    text: str
    lower: str
    lemma: str


def _words(text: str) -> list[_Word]:
    return list(map(_word, _TOKEN.findall(text)))


@functools.lru_cache(maxsize=65536)
def _word(token: str) -> _Word:
    """A name's word with its lemma (names of one plan share most of their words)."""
    return _Word(
        token, token.lower(), morphology.lemma(token) if _WORD.fullmatch(token) else token.lower()
    )


def _head(words: list[_Word]) -> tuple[_Word | None, str | None]:
    """The head of a nominative name and its number: the first noun ("Органы власти …" ->
    органы, plural), or a lone leading adjective used as a noun ("Ответственные городов …")."""
    adjective: tuple[_Word, str | None] | None = None
    for word in words:
        reading = _nominative_reading(word.text)
        if reading is None:
            break
        is_noun, lemma, number = reading
        if is_noun:
            return _Word(word.text, word.lower, lemma), number
        adjective = (_Word(word.text, word.lower, lemma), number)
    return adjective if adjective is not None else (None, None)


@functools.lru_cache(maxsize=65536)
def _nominative_reading(text: str) -> tuple[bool, str, str | None] | None:
    """A word as the head of a nominative name may read it: (True, lemma, number) as a noun
    (no number for a plurale tantum), (False, lemma, number) as an adjective or participle,
    None when it is neither (or not a Russian word, or an abbreviation) and the head is not
    sought further."""
    if not _WORD.fullmatch(text) or _is_abbreviation(text):
        return None
    parses = [p for p in _likely(text) if p.tag.case == "nomn"]
    noun = next((p for p in parses if p.tag.POS == "NOUN"), None)
    if noun is not None:
        return True, noun.normal_form, None if "Pltm" in noun.tag else noun.tag.number
    adjective = next((p for p in parses if p.tag.POS in ("ADJF", "PRTF")), None)
    if adjective is None:
        return None
    return False, adjective.normal_form, adjective.tag.number


@functools.lru_cache(maxsize=16384)
def classify(name: str) -> str:
    """The kind of body a name denotes, one of model.ORGANISATION_KINDS, from its words,
    abbreviations and grammar (a plural head is a group), never from a list of names."""
    if not isinstance(name, str):
        return "other"
    name = " ".join(name.split())
    core = _PARENS.sub(" ", name).strip() or name
    if not any(ch.isalpha() for ch in core):
        return "other"
    if _is_person(core):
        return "person"
    bare = _QUOTED.sub(" ", core)  # the words outside quotes: «Здоровые города России» is a name
    words = _words(bare)
    if not words:
        return "other"
    head, number = _head(words)
    head_lemma = head.lemma if head is not None else None
    return (
        _kind_by_form(name, words, number)
        or _kind_by_head(head_lemma, words)
        or _kind_of_authority(bare, words, head, head_lemma)
        or ("institution" if words[0].text in _RESEARCH_ABBR else "other")
    )


def _kind_by_form(name: str, words: list[_Word], number: str | None) -> str | None:
    """What the name's form says before its head noun does: an international organisation's
    abbreviation, the association itself, a plural (a group), a legal form ("ФГБУ", "ООО")."""
    if any(w.text in _INTERNATIONAL_ABBR for w in words) or words[0].lemma == "всемирный":
        return "international"
    if _is_association(name, words):
        return "association"
    if number == "plur":
        return "collective"
    return _legal_form(words)


def _kind_by_head(head_lemma: str | None, words: list[_Word]) -> str | None:
    """What the head noun says: "посольство", "университет", "центр", "компания", "фонд"…"""
    if head_lemma in _INTERNATIONAL_HEADS:
        return "international"
    if head_lemma in _UNIVERSITY_HEADS:
        research = any(w.lower.startswith(_RESEARCH_WORDS) for w in words)
        return (
            "institution" if research and head_lemma in ("институт", "академия") else "university"
        )
    if head_lemma in _INSTITUTION_HEADS:
        return "institution"
    if head_lemma in _COMPANY_HEADS or (
        head_lemma == "общество"
        and any(w.lower.startswith(("акционерн", "ответственн")) for w in words)
    ):
        return "company"
    if head_lemma in _NGO_HEADS:
        return "ngo"
    return None


def _kind_of_authority(
    bare: str, words: list[_Word], head: _Word | None, head_lemma: str | None
) -> str | None:
    """A federal agency by its name ("Роспотребнадзор"), or an authority ("Министерство …",
    "МЧС", "Минздрав") of the jurisdiction its name shows; None for a name that is neither."""
    first = words[0].text
    if _FEDERAL_AGENCY.fullmatch(words[0].lemma):
        return "federal"
    authority = (
        head_lemma in _AUTHORITY_HEADS
        or first in _FEDERAL_ABBR
        or bool(_MINISTRY_SHORT.fullmatch(first))
        or (head is None and first.lower().startswith("мин"))
    )
    return _jurisdiction(bare, words, head_lemma, first) if authority else None


def _is_association(name: str, words: list[_Word]) -> bool:
    """The association itself ("Ассоциация «Здоровые города, районы и посёлки»") or one of its
    bodies: a name ending in "Ассоциации" with a body word before it ("Дирекция Ассоциации",
    "Члены Координационного комитета Ассоциации"); "Партнеры Ассоциации" is a group instead."""
    last = words[-1]
    if last.lemma != "ассоциация" or not last.text[:1].isupper():
        return False
    if len(words) == 1:
        return ("«" not in name and '"' not in name) or "здоровые города" in name.lower()
    return any(w.lemma in _ASSOCIATION_BODIES for w in words[:-1])


def _legal_form(words: list[_Word]) -> str | None:
    """ "ФГБУ", "ГБУЗ ПК", "ФГБОУ ВО", "ООО", "АНО", "ВОД": the legal form says the kind."""
    texts = [w.text for w in words]
    for index, text in enumerate(texts):
        if not (text.isupper() and len(text) > 1) and text not in _MIXED_CASE_ABBR:
            continue
        following = texts[index + 1] if index + 1 < len(texts) else ""
        if text.endswith("ОУ") and following in ("ВО", "ВПО"):
            return "university"
        if _UNIVERSITY_ABBR.fullmatch(text) and text not in _NOT_UNIVERSITY_ABBR:
            return "university"
        if text in _COMPANY_ABBR:
            return "company"
        if _NGO_ABBR.fullmatch(text):
            return "ngo"
        if _INSTITUTION_ABBR.fullmatch(text):
            return "institution"
    return None


def _jurisdiction(bare: str, words: list[_Word], head: str | None, first: str) -> str:
    """Whose body an authority is: a foreign country's, a municipality's, a region's or the
    federation's, by the place words in its name."""
    lemmas = {w.lemma for w in words} | {w.lower for w in words}
    if lemmas & _FOREIGN:
        return "international"
    if any(_FEDERAL_AGENCY.fullmatch(w.lemma) for w in words):
        return "federal"  # "Управление Роспотребнадзора по Пермскому краю"
    if _MUNICIPAL_WORDS.search(bare):
        return "municipal"
    if lemmas & _FEDERAL_CITIES:
        return "regional"
    if _CITY_WORDS.search(bare) or _TOWN_WORDS.search(bare):
        return "municipal"
    if lemmas & _REGION_WORDS or head == "губернатор":
        return "regional"
    if _FEDERAL_WORDS.search(bare) or first in _FEDERAL_ABBR:
        return "federal"
    if head in ("министерство", "минздрав", "правительство") or _MINISTRY_SHORT.fullmatch(first):
        return "federal"  # a ministry without a region named is the federal one
    if head == "отдел":
        return "municipal"  # «отдел культуры»: a department of the local administration
    return "other"


# ---------------------------------------------------------------------------------------------
# Recognising organisations across rows and plans.

FUZZY_THRESHOLD = 90.0
"""rapidfuzz.fuzz.ratio on keys (0–100) a near miss must reach before its words are compared."""


@dataclass(frozen=True, slots=True)
class Match:
    """How a written name was recognised.

    `name` is the organisation's canonical (first-seen or known) name, `written` the spelling
    looked up (tidied). `how` is "new", "exact" (same key) or "fuzzy" (a near miss trusted as
    a typo). `score` is 100 for exact, the similarity for fuzzy, and for new the best rejected
    similarity, with that organisation in `near` so a person can be asked.
    """

    name: str
    how: str
    score: float
    key: str
    kind: str
    written: str
    near: str | None = None

    @property
    def preferred(self) -> str:
        """The name a plan shows: as written when new or exact, the known name when fuzzy."""
        return self.name if self.how == "fuzzy" else self.written


@dataclass(slots=True)
class Organisation:
    """One organisation the index knows, with every other spelling seen (for the directory)."""

    name: str
    key: str
    kind: str
    aliases: list[str] = field(default_factory=list)

    def _spelling(self, written: str) -> None:
        if written != self.name and written not in self.aliases:
            self.aliases.append(written)


class OrganisationIndex:
    """Organisations by key, matched exactly first and then, carefully, by near misses.

    A near miss is trusted only when the keys are at least FUZZY_THRESHOLD similar *and* they
    have the same words but for inflection ("Ассоциация"/"Ассоциации", not in the first word)
    or a one-letter typo in a word the dictionary does not know ("Министрество"). Different
    place names, numbers, added or missing words always make a new organisation.

    The similar keys are sought (a scan of every known key) only when some known key has the
    same words in that sense: the words of the known keys are indexed by what such a word pair
    shares (the word, its lemma, the word less one letter), so a name with no such neighbour
    is new at once.
    """

    def __init__(self, threshold: float = FUZZY_THRESHOLD) -> None:
        self.threshold = threshold
        self._by_key: dict[str, Organisation] = {}
        self._aliases: dict[str, Organisation] = {}  # other keys known to mean an organisation
        self._keys: list[str] = []
        self._owners: list[Organisation] = []
        # What could pass _same_words: keys by their letters without spaces, keys by their
        # number of words, then by each place's word, the words seen by each of
        # their signatures, and the words seen by each word seen that shares a signature with
        # them (itself included).
        self._by_compact: dict[str, list[int]] = {}
        self._by_count: dict[int, list[dict[str, list[int]]]] = {}
        self._words: dict[str, set[str]] = {}
        self._related: dict[str, set[str]] = {}

    def __len__(self) -> int:
        return len(self._owners)

    def __iter__(self) -> Iterator[Organisation]:
        return iter(self._owners)

    def get(self, name: str) -> Organisation | None:
        """The organisation a name denotes by key, or one of its known spellings, if any."""
        key = organisation_key(name)
        return self._by_key.get(key) or self._aliases.get(key)

    def add(self, name: str, kind: str | None = None, aliases: Iterable[str] = ()) -> None:
        """A known organisation (from the database), with the spellings already recorded."""
        written = _tidy(name) if isinstance(name, str) else ""
        key = organisation_key(written)
        if not key:
            return
        organisation = self._by_key.get(key)
        if organisation is None:
            organisation = self._new(written, key, kind or classify(written))
        else:
            organisation._spelling(written)
            if kind and organisation.kind == "other":
                organisation.kind = kind
        for alias in aliases:
            spelling = _tidy(alias) if isinstance(alias, str) else ""
            alias_key = organisation_key(spelling)
            if not alias_key:
                continue
            organisation._spelling(spelling)
            if alias_key != key and alias_key not in self._by_key:
                self._aliases.setdefault(alias_key, organisation)

    def resolve(self, name: str, nearest: bool = True) -> Match:
        """Recognise a written name, registering it (a new organisation, or one more spelling).
        With `nearest` false, a new name's closest rejected organisation (`near`, and `score`)
        is not sought unless some known key has the same words: the importer only needs to
        know whether the name is new."""
        written = _tidy(name) if isinstance(name, str) else ""
        key = organisation_key(written)
        if not key:
            return Match(written, "new", 0.0, key, classify(written), written)
        organisation = self._by_key.get(key)
        if organisation is not None:
            organisation._spelling(written)
            return Match(organisation.name, "exact", 100.0, key, organisation.kind, written)
        organisation = self._aliases.get(key)
        if organisation is not None:
            organisation._spelling(written)
            score = fuzz.ratio(key, organisation.key)
            return Match(organisation.name, "fuzzy", score, key, organisation.kind, written)
        if not nearest and not self._may_have_same_words(key):
            organisation = self._new(written, key, classify(written))
            return Match(written, "new", 0.0, key, organisation.kind, written)
        near, near_score = None, 0.0
        trusted = []
        for _, score, position in process.extract(
            key, self._keys, scorer=fuzz.ratio, limit=5, score_cutoff=self.threshold
        ):
            candidate = self._owners[position]
            if _same_words(key, candidate.key):
                trusted.append((candidate, score))
            elif near is None:
                near, near_score = candidate.name, score
        # Only one organisation may be a typo away: "Мэрия г. оомска" could be Омска or Томска,
        # "спортаТ омской" Омской or Томской; then a person decides.
        if len(trusted) == 1:
            candidate, score = trusted[0]
            candidate._spelling(written)
            self._aliases[key] = candidate
            return Match(candidate.name, "fuzzy", score, key, candidate.kind, written)
        if trusted:
            near, near_score = trusted[0][0].name, trusted[0][1]
        organisation = self._new(written, key, classify(written))
        return Match(written, "new", near_score, key, organisation.kind, written, near)

    def _new(self, written: str, key: str, kind: str) -> Organisation:
        organisation = Organisation(written, key, kind)
        self._by_key[key] = organisation
        self._index_words(key, len(self._keys))
        self._keys.append(key)
        self._owners.append(organisation)
        return organisation

    def _index_words(self, key: str, position: int) -> None:
        self._by_compact.setdefault(_compact(key), []).append(position)
        words = key.split()
        places = self._by_count.get(len(words))
        if places is None:
            places = self._by_count[len(words)] = [{} for _word in words]
        for place, word in enumerate(words):
            places[place].setdefault(word, []).append(position)
            if word not in self._related:
                related = self._related_words(word) | {word}
                for other in related:
                    self._related.get(other, related).add(word)
                self._related[word] = related
                for signature in _signatures(word):
                    self._words.setdefault(signature, set()).add(word)

    def _related_words(self, word: str) -> set[str]:
        """The words seen that share a signature with `word`."""
        related = self._related.get(word)
        if related is None:
            related = {w for s in _signatures(word) for w in self._words.get(s, ())}
        return related

    def _may_have_same_words(self, key: str) -> bool:
        """Whether a known key passes _same_words with `key`. Every such key is found: one
        with the same letters but for spaces, or one with as many words, each sharing a
        signature with the word of `key` in its place. A place where no known key of as many
        words has such a word leaves only the former: the words never seen before are looked
        at first, then the others from the last (names of one kind differ most in their ends:
        the town, the number), so most new names are told apart at their first place looked
        at. Otherwise the places are taken those with the fewest such keys first, until few
        keys are left to compare."""
        candidates = self._by_compact.get(_compact(key), ())
        words = key.split()
        count, seen = len(words), self._related
        known = self._by_count.get(count)
        if known is None:  # no known key has as many words
            return any(_same_words(key, self._keys[i]) for i in candidates)
        order = [p for p in range(count - 1, -1, -1) if words[p] not in seen]
        order += [p for p in range(count - 1, -1, -1) if words[p] in seen]
        places = []
        for place in order:
            here = known[place]
            groups = [here[w] for w in self._related_words(words[place]) if w in here]
            if not groups:  # no known key has a word for this place: only the compact ones
                places = []
                break
            places.append((sum(map(len, groups)), groups))
        left: set[int] = set()
        for number, (_, groups) in enumerate(sorted(places, key=lambda p: p[0])):
            united = set().union(*groups)
            left = united if number == 0 else left & united
            if len(left) <= _FEW:
                break
        if not left and not candidates:
            return False
        return any(_same_words(key, self._keys[i]) for i in left.union(candidates))


_FEW = 8  # keys left few enough to compare with _same_words itself


def _compact(key: str) -> str:
    return key.replace(" ", "")


@functools.lru_cache(maxsize=65536)
def _signatures(word: str) -> tuple[str, ...]:
    """What a word shares with every word _same_words lets stand in its place: itself; its
    lemma; and, for a word of five letters or more, itself and
    each form of it less one letter (one slip, an edit or a swap, leaves the two words one such
    form in common)."""
    signatures = ["=" + word]
    if _WORD.fullmatch(word):
        signatures.append("~" + morphology.lemma(word))  # a guess too, for an unknown word
        if len(word) >= 5:
            signatures.append("-" + word)
            signatures.extend("-" + word[:i] + word[i + 1 :] for i in range(len(word)))
    return tuple(dict.fromkeys(signatures))


def _same_words(a: str, b: str) -> bool:
    """Whether two keys name the same organisation but for a typo: the same words in the same
    order, except inflection of a word after the first, or one slip (an edit or a swap of two
    letters) that turns a dictionary word into a non-word; or the same letters but for spaces."""
    if _compact(a) == _compact(b) and not any(ch.isdigit() for ch in a):
        return True  # a slipped space: "Пермскогокрая", "Министерств оспорта"
    left, right = a.split(), b.split()
    if len(left) != len(right):
        return False
    for index, (x, y) in enumerate(zip(left, right, strict=True)):
        if x == y:
            continue
        if not (_WORD.fullmatch(x) and _WORD.fullmatch(y)):
            return False  # numbers, Latin, abbreviations with digits: never guessed
        if (
            index > 0
            and morphology.is_dictionary_word(x)
            and morphology.is_dictionary_word(y)
            and morphology.lemma(x) == morphology.lemma(y)
        ):
            continue
        if (
            min(len(x), len(y)) >= 5
            and OSA.distance(x, y) <= 1
            and morphology.is_dictionary_word(x) != morphology.is_dictionary_word(y)
        ):
            continue
        return False
    return True
