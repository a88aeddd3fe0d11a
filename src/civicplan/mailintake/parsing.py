"""Reading a letter as members send it: bodies, attachments and a forwarded message inside, in
any of the Russian encodings seen in the wild.

Pure Python (no Django), usable from a shell:

>>> from civicplan.mailintake.parsing import parse_mail
>>> mail = parse_mail(open("letter.eml", "rb").read())
>>> mail.sender, mail.subject, mail.text[:80], [f.name for f in mail.files]

Python's `email` package (policy.default) does the MIME work; on top of it:

- text is decoded with the declared charset, but a charset that is missing or wrong (koi8-r
  declared for windows-1251, none at all, raw 8-bit headers) is found by trying the Cyrillic
  code pages and keeping the reading with the most real Russian words (pymorphy3's dictionary);
  charset-normalizer decides when no reading is Russian;
- a letter with only HTML gets its plain text derived from the HTML (the HTML itself is kept for
  civicplan.newsroom.sanitise, never shown as it came);
- a forwarded letter, attached (message/rfc822) or inline ("-------- Пересланное сообщение
  --------", "Forwarded message"), gives the inner subject, body and attachments; the sender is
  the one who forwarded it;
- malformed MIME (a lost boundary, broken base64, garbage headers) is read as far as it goes; a
  letter with nothing to submit, one of more than MAX_PARTS parts, or one the parser cannot read
  at all, raises ParseError;
- only the first `max_files` attachments are decoded (the newsroom takes no more at once); the
  others are listed by name, to be refused;
- the checks an upstream server says the letter failed (Authentication-Results, RFC 8601) are
  listed, for the sender check in civicplan.mailintake.processing.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import html as html_module
import mimetypes
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import Policy
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser
from typing import BinaryIO

from charset_normalizer import from_bytes

from civicplan.i18n import gettext as _
from civicplan.plandoc.morphology import analyzer


class ParseError(ValueError):
    """The letter cannot be turned into a submission; the message says why, in words."""


@dataclass(frozen=True)
class MailFile:
    """An attachment: the name the sender gave it (decoded) and its bytes."""

    name: str
    content: bytes
    content_type: str


@dataclass
class ParsedMail:
    sender: str = ""  # the From address, lower case; "" when the header has none
    sender_name: str = ""
    subject: str = ""
    message_id: str = ""
    date: datetime | None = None
    text: str = ""
    html: str = ""
    files: list[MailFile] = field(default_factory=list)
    # Attachments past the `max_files` asked for: their names only, never decoded.
    unread: list[str] = field(default_factory=list)
    forwarded: bool = False
    # Sent by a program (an auto-reply, a bounce, a mailing list): RFC 3834 says not to answer.
    automatic: bool = False
    # The forwarder's own words above a forwarded letter (not part of the material itself).
    comment: str = ""
    # What was wrong with the MIME structure, read past (email's defect names).
    problems: list[str] = field(default_factory=list)
    # The checks (spf, dkim, dmarc) an Authentication-Results header says the letter failed.
    auth_failures: list[str] = field(default_factory=list)


_PARSER = BytesParser(policy=policy.default)
# Parts (the letter itself and every MIME part in it, at any depth) a letter may have: each
# costs the parser a message object and us a decoding, and 25 MB hold a hundred thousand tiny
# ones. Real letters have a few dozen.
MAX_PARTS = 1000


def parse_mail(raw: bytes, *, max_files: int | None = None) -> ParsedMail:
    """The letter's parts, read as far as they can be; ParseError when nothing usable is in it.
    Only the first `max_files` attachments are decoded (None: all)."""
    if not raw.strip():
        raise ParseError(_("Письмо пустое."))
    return _parsed(lambda parser: parser.parsebytes(raw[_headers_start(raw) :]), max_files)


def parse_mail_file(handle: BinaryIO, *, max_files: int | None = None) -> ParsedMail:
    """parse_mail of a stored letter, read from its file in pieces: the parser then holds one
    part's lines at a time, not also the whole letter and its text (for a 25 MB letter about
    70 MB instead of 200)."""
    start = handle.read(_JUNK_WINDOW)
    if not start.strip() and _rest_is_blank(handle):
        raise ParseError(_("Письмо пустое."))
    handle.seek(_headers_start(start))
    return _parsed(lambda parser: parser.parse(handle), max_files)


_BLANK_CHUNK = 64 * 1024


def _rest_is_blank(handle: BinaryIO) -> bool:
    """Whether nothing but whitespace is left in the file; read a piece at a time until a
    non-blank byte, so a blank start does not bring the whole letter into memory."""
    while chunk := handle.read(_BLANK_CHUNK):
        if chunk.strip():
            return False
    return True


def _parsed(parse: Callable[[BytesParser], EmailMessage], max_files: int | None) -> ParsedMail:
    """The email package's message read into a ParsedMail; what it fails on, as ParseError (an
    error reading the file is not the letter's, and stays what it is)."""
    try:
        message = parse(BytesParser(policy=policy.default.clone(message_factory=_PartBudget())))
        mail, attachments = _read_message(message)
        mail.files, mail.unread = _read_files(attachments, max_files)
    except (ParseError, OSError):
        raise
    except Exception as error:  # the email package on hostile input: say so, keep the letter
        raise ParseError(
            _("Не удалось разобрать письмо: %(error)s")
            % {"error": f"{type(error).__name__}: {error}"}
        ) from error
    if not (mail.subject.strip() or mail.text.strip() or mail.html.strip() or attachments):
        raise ParseError(_("В письме нет ни темы, ни текста, ни вложений."))
    mail.auth_failures = auth_failures(message)
    return mail


class _PartBudget:
    """The parser's message factory, counting the parts it makes: a letter of more than
    MAX_PARTS is refused while it is parsed, before its parts take memory and time."""

    def __init__(self) -> None:
        self.made = 0

    def __call__(self, policy: Policy) -> EmailMessage:
        self.made += 1
        if self.made > MAX_PARTS:
            raise ParseError(
                _("В письме больше %(limit)d частей MIME; такие письма не разбираются.")
                % {"limit": MAX_PARTS}
            )
        return EmailMessage(policy=policy)


_HEADER_LINE = re.compile(rb"^[!-9;-~]+:", re.MULTILINE)
_JUNK_WINDOW = 2048


def _headers_start(raw: bytes) -> int:
    """A letter that starts with lines that are not headers (a broken program's junk) would be
    all body; it is read from its first header line instead, if one comes soon."""
    if _HEADER_LINE.match(raw):
        return 0
    first = _HEADER_LINE.search(raw, 0, _JUNK_WINDOW)
    return first.start() if first else 0


def header_summary(raw: bytes) -> tuple[str, str]:
    """(Message-ID, subject) for the list of letters, read from the headers alone; never raises,
    so that storing a letter never fails on its headers."""
    try:
        message = _PARSER.parsebytes(raw[_headers_start(raw) :], headersonly=True)
        return _header(message, "Message-ID").strip("<> "), _header(message, "Subject")
    except Exception:
        return "", ""


# --- the message tree ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Attachment:
    """An attachment found in the tree, not decoded yet."""

    name: str
    content_type: str
    part: EmailMessage


@dataclass
class _Parts:
    texts: list[str] = field(default_factory=list)
    htmls: list[str] = field(default_factory=list)
    files: list[_Attachment] = field(default_factory=list)
    inner: list[EmailMessage] = field(default_factory=list)  # attached (forwarded) letters
    problems: list[str] = field(default_factory=list)


def _read_message(message: EmailMessage) -> tuple[ParsedMail, list[_Attachment]]:
    """The letter without its attachments' bytes, and its attachments (a forwarded letter's
    first) to decode."""
    mail = ParsedMail()
    mail.sender_name, mail.sender = _sender(message)
    mail.subject = _header(message, "Subject")
    mail.message_id = _header(message, "Message-ID").strip("<> ")
    mail.date = _date(message)
    mail.automatic = _is_automatic(message)
    parts = _Parts()
    _collect(message, parts)
    mail.text, mail.html = _bodies(parts)
    mail.problems = parts.problems
    attachments = parts.files
    if parts.inner:
        attachments = _take_attached_forward(mail, parts.inner[0]) + attachments
    else:
        _take_inline_forward(mail)
    mail.subject = _FORWARD_PREFIX.sub("", mail.subject).strip() if mail.forwarded else mail.subject
    return mail, attachments


def _read_files(
    attachments: list[_Attachment], limit: int | None
) -> tuple[list[MailFile], list[str]]:
    """The first `limit` attachments decoded (None: all), and the names of the others: decoding
    costs a file's size, and the newsroom would refuse them anyway."""
    read = attachments if limit is None else attachments[:limit]
    files = [MailFile(a.name, _payload(a.part), a.content_type) for a in read]
    return files, [attachment.name for attachment in attachments[len(read) :]]


def _collect(part: EmailMessage, parts: _Parts) -> None:
    """Walk the tree: bodies, attachments, attached letters; each part on its own, so one broken
    part does not lose the others."""
    parts.problems.extend(type(defect).__name__ for defect in part.defects)
    content_type = part.get_content_type()
    if part.is_multipart():
        if content_type == "message/rfc822":
            inner = part.get_payload(0)
            if isinstance(inner, EmailMessage):
                parts.inner.append(inner)
            return
        for child in part.iter_parts():
            _collect(child, parts)
        return
    name = _filename(part)
    disposition = part.get_content_disposition()
    maintype = part.get_content_maintype()
    is_body = maintype in ("text", "multipart") and disposition != "attachment" and not name
    if is_body and content_type == "text/html":
        parts.htmls.append(_html_text(part))
    elif (is_body and content_type in ("text/plain", "text/enriched")) or maintype == "multipart":
        # text/plain, or a multipart whose boundary was lost: its raw body, read as text.
        parts.texts.append(_decode_part(part))
    elif content_type in _SIGNATURES or (content_type.startswith("message/") and not name):
        return  # signatures, delivery reports and the like carry nothing to publish
    else:
        name = name or _generated_name(content_type, len(parts.files) + 1)
        parts.files.append(_Attachment(name, content_type, part))


_SIGNATURES = frozenset(
    (
        "application/pkcs7-signature",
        "application/x-pkcs7-signature",
        "application/pgp-signature",
        "application/pgp-keys",
    )
)


def _bodies(parts: _Parts) -> tuple[str, str]:
    html = "\n".join(h for h in parts.htmls if h.strip())
    text = "\n\n".join(t.strip("\n") for t in parts.texts if t.strip())
    if not text and html:
        text = html_to_text(html)
    return _normalise_newlines(text).strip(), html.strip()


def _take_attached_forward(mail: ParsedMail, inner: EmailMessage) -> list[_Attachment]:
    """The forwarded letter's subject and text in place of the forwarder's; its attachments."""
    forwarded, attachments = _read_message(inner)
    mail.forwarded = True
    mail.comment = mail.text
    mail.subject = forwarded.subject or mail.subject
    mail.text, mail.html = forwarded.text, forwarded.html
    mail.problems += forwarded.problems
    return attachments


# --- forwarded inline -----------------------------------------------------------------------

_FORWARD_MARK = re.compile(
    r"^[ \t>]*(?:-{2,}[ \t]*(?:Пересланное сообщение|Пересылаемое сообщение|"
    r"Переадресованное сообщение|Forwarded message|Forwarded Message)[ \t]*-{2,}|"
    r"(?:Начало переадресованного сообщения|Begin forwarded message):)[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
# Outlook writes its forwards like its replies; only a forward's subject tells them apart.
_ORIGINAL_MARK = re.compile(
    r"^[ \t>]*-{2,}[ \t]*(?:Original Message|Исходное сообщение)[ \t]*-{2,}[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_FORWARD_END = re.compile(
    r"^[ \t>]*-{2,}[ \t]*(?:Конец пересылаемого сообщения|Конец пересланного сообщения|"
    r"End of forwarded message)[ \t]*-{2,}[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_FORWARD_HEADER = re.compile(
    r"^[ \t>]*(От|From|Тема|Subject|Дата|Date|Кому|To|Копия|Cc|Отправлено|Sent|Ответить|"
    r"Reply-To)[ \t]*:[ \t]*(.*)$",
    re.IGNORECASE,
)
_FORWARD_PREFIX = re.compile(r"^(?:\s*(?:fwd?|fw|пересл|переслано|tr)\s*(?:\[\d+\])?\s*:)+", re.I)


def _take_inline_forward(mail: ParsedMail) -> None:
    mark = _FORWARD_MARK.search(mail.text)
    if mark is None and _FORWARD_PREFIX.match(mail.subject):
        mark = _ORIGINAL_MARK.search(mail.text)
    if mark is None:
        return
    before, after = mail.text[: mark.start()], mail.text[mark.end() :]
    end = _FORWARD_END.search(after)
    if end is not None:
        after = after[: end.start()]
    lines = after.split("\n")
    subject = ""
    index = 0
    while index < len(lines):
        line = lines[index]
        header = _FORWARD_HEADER.match(line)
        if header is not None:
            if header.group(1).lower() in ("тема", "subject"):
                subject = header.group(2).strip()
        elif line.strip() and not (index < 3 and line.rstrip().endswith(":") and "@" in line):
            break  # the forwarded letter's text begins (Yandex: a "date, "name" <addr>:" line)
        index += 1
    body = "\n".join(lines[index:]).strip()
    if not body and not subject:
        return
    mail.forwarded = True
    mail.comment = before.strip()
    mail.subject = subject or mail.subject
    mail.text = body
    mail.html = ""  # the forward's HTML mixes both letters; the inner text stands for it


# --- headers ---------------------------------------------------------------------------------


def _raw_header(message: EmailMessage, name: str) -> str | None:
    lowered = name.lower()
    for key, value in message.raw_items():
        if key.lower() == lowered:
            return value
    return None


def _has_raw_bytes(value: str) -> bool:
    """Whether a header came as undeclared 8-bit bytes (the parser keeps them as surrogates)."""
    return any("\udc80" <= char <= "\udcff" for char in value)


def _raw_bytes(value: str) -> bytes:
    return value.encode("utf-8", "surrogateescape")


def _header(message: EmailMessage, name: str) -> str:
    """A header's text: encoded words decoded by the email package, raw 8-bit bytes by us."""
    raw = _raw_header(message, name)
    if raw is None:
        return ""
    if _has_raw_bytes(raw):
        text = decode_bytes(_raw_bytes(raw))
        return _unfold(policy.default.header_factory(name, text) if "=?" in text else text)
    try:
        return _unfold(str(message[name] or ""))
    except Exception:  # a header the registry cannot parse: its raw text, unfolded
        return _unfold(raw)


def _unfold(value: str) -> str:
    """The header on one line: each line break with the blanks around it one space. Split and
    stripped in one pass: a regex with blanks on both sides of the break went over the blanks
    again from each one (a Subject of 20,000 blanks took 3 s, of a megabyte hours)."""
    lines = (line.strip() for line in _LINE_BREAKS.split(str(value)))
    return " ".join(line for line in lines if line)


_LINE_BREAKS = re.compile(r"[\r\n]+")


def _sender(message: EmailMessage) -> tuple[str, str]:
    """(display name, address) of From; ("", "") when there is no usable address."""
    raw = _raw_header(message, "From")
    if raw is None:
        return "", ""
    if _has_raw_bytes(raw):
        raw = decode_bytes(_raw_bytes(raw))
    try:
        header = policy.default.header_factory("From", raw)
        addresses: tuple[Address, ...] = header.addresses
        for address in addresses:
            if address.username and address.domain:
                return address.display_name, address.addr_spec.lower()
    except Exception:
        pass
    for name, address in getaddresses([_unfold(raw)]):
        if "@" in address:
            return name, address.lower()
    return "", ""


def _is_automatic(message: EmailMessage) -> bool:
    """Auto-Submitted other than "no", Precedence bulk/junk/list, a list's or an autoresponder's
    headers, or a delivery report."""

    def value(name: str) -> str:
        return _unfold(_raw_header(message, name) or "").lower()

    auto_submitted = value("Auto-Submitted").split(";")[0].strip()
    return (
        auto_submitted not in ("", "no")
        or value("Precedence") in ("bulk", "junk", "list", "auto_reply")
        or any(_raw_header(message, name) is not None for name in _AUTOMATIC_HEADERS)
        or any(word in value("X-Auto-Response-Suppress") for word in ("all", "oof", "autoreply"))
        or message.get_content_type() == "multipart/report"
    )


_AUTOMATIC_HEADERS = ("List-Id", "X-Autoreply", "X-Autorespond", "X-Auto-Reply")

# An Authentication-Results header longer than this is not read: a server's own is a few
# hundred characters; a longer one is the sender's, and could only cost us time.
MAX_AUTH_RESULTS = 8 * 1024
_AUTH_RESULT = re.compile(r"\s*(spf|dkim|dmarc)(?:/\d+)?\s*=\s*([a-z]+)", re.IGNORECASE)


def auth_failures(message: EmailMessage) -> list[str]:
    """The checks that failed by the letter's Authentication-Results headers (RFC 8601), in the
    order spf, dkim, dmarc: spf=fail; dmarc=fail; dkim=fail unless another signature passed
    (RFC 6376 6.1: a broken signature counts as none when a valid one is there, as when a
    forwarder's signature is added). spf=softfail is not a failure: a domain whose SPF ends in
    ~all asks receivers not to refuse on it, and many members' domains do. Every such header is
    read, even one the sender wrote itself: it can only send its own letter to quarantine."""
    results: dict[str, set[str]] = {}
    for key, value in message.raw_items():
        if key.lower() == "authentication-results" and len(value) <= MAX_AUTH_RESULTS:
            for method, result in _auth_results(value):
                results.setdefault(method, set()).add(result)
    dkim = results.get("dkim", set())
    failed = {
        "spf": "fail" in results.get("spf", ()),
        "dkim": "fail" in dkim and "pass" not in dkim,
        "dmarc": "fail" in results.get("dmarc", ()),
    }
    return [method for method, failing in failed.items() if failing]


def _auth_results(value: str) -> Iterator[tuple[str, str]]:
    """(method, result) of each result in one header: "mx.example; spf=pass smtp.mailfrom=…;
    dkim=fail (bad signature) header.d=…"; comments and quoted strings set aside first."""
    text = _without_comments(value)
    for resinfo in text.split(";")[1:]:  # the first part names the server that checked
        match = _AUTH_RESULT.match(resinfo)
        if match is not None:
            yield match.group(1).lower(), match.group(2).lower()


def _without_comments(value: str) -> str:
    """The header with its comments (nested ones too) a space each and its quoted strings
    emptied (RFC 5322 3.2: a comment's parentheses inside quotes, and quotes inside a comment,
    mean nothing), in one pass: removing the innermost comments again and again took time
    growing with the square of the nesting."""
    kept: list[str] = []
    depth = 0
    quoted = escaped = False
    for char in value:
        if escaped:
            escaped = False
        elif char == "\\" and (quoted or depth):
            escaped = True  # a quoted pair: the next character is only itself
        elif quoted:
            quoted = char != '"'
            kept.append("" if quoted else '"')
        elif char == "(":
            depth += 1
        elif depth:
            depth -= char == ")"
            kept.append("" if depth else " ")
        else:
            quoted = char == '"'
            kept.append(char)
    return "".join(kept)


def _date(message: EmailMessage) -> datetime | None:
    value = _raw_header(message, "Date")
    if not value:
        return None
    try:
        return parsedate_to_datetime(_unfold(value))
    except (TypeError, ValueError, IndexError):
        return None


def _filename(part: EmailMessage) -> str:
    """The attachment's name: RFC 2231 (filename*=), encoded words, or raw 8-bit bytes."""
    for header_name, param in (("Content-Disposition", "filename"), ("Content-Type", "name")):
        raw = _raw_header(part, header_name)
        if not raw:
            continue
        try:
            if _has_raw_bytes(raw):
                value = policy.default.header_factory(
                    header_name, decode_bytes(_raw_bytes(raw))
                ).params.get(param)
            else:
                value = part[header_name].params.get(param)
        except Exception:
            value = None
        if value:
            return _clean_filename(str(value))
    return ""


def _clean_filename(name: str) -> str:
    """No directories and no control characters in a name we show."""
    if "=?" in name:  # encoded words inside a quoted parameter, as some mailers write them
        name = str(policy.default.header_factory("X-Name", name))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(char for char in name if char.isprintable()).strip()[:255]


def _generated_name(content_type: str, number: int) -> str:
    extension = mimetypes.guess_extension(content_type) or ".bin"
    return _("вложение-%(number)d%(extension)s") % {"number": number, "extension": extension}


# --- bodies ----------------------------------------------------------------------------------


def _payload(part: EmailMessage) -> bytes:
    """The part's bytes with its transfer encoding undone (broken base64 decoded as far as it
    goes, by the email package)."""
    try:
        payload = _base64(part) or part.get_payload(decode=True)
    except Exception:
        payload = None
    if payload is None:
        raw = part.get_payload()
        return _raw_bytes(raw) if isinstance(raw, str) else b""
    return payload


def _base64(part: EmailMessage) -> bytes | None:
    """A base64 part decoded in one step; None when it needs the email package's repairs (bad
    padding, 8-bit bytes). The package would first split the text into lines and join them
    again: for a 20 MB attachment, 60 MB more at once. Where this succeeds the package gives
    the same bytes (both skip line ends and other characters outside the alphabet)."""
    if part.get("Content-Transfer-Encoding", "").strip().lower() != "base64":
        return None
    text = part.get_payload()
    if not isinstance(text, str):
        return None
    try:
        return base64.b64decode(text, validate=False)
    except (binascii.Error, ValueError):
        return None


def _decode_part(part: EmailMessage) -> str:
    return decode_bytes(_payload(part), part.get_param("charset") or None)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def _html_text(part: EmailMessage) -> str:
    """An HTML part's text; without a MIME charset, the one its <meta> declares."""
    content = _payload(part)
    declared = part.get_param("charset") or None
    if not declared:
        meta = _META_CHARSET.search(content[:4096])
        declared = meta.group(1).decode("ascii") if meta else None
    return decode_bytes(content, declared)


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- charsets --------------------------------------------------------------------------------

# Code pages a Russian letter comes in when it does not say, or says wrongly; the first is the
# likeliest and wins a tie.
_CYRILLIC_CODECS = ("cp1251", "koi8_r", "cp866", "mac_cyrillic", "iso8859_5")
_WORD = re.compile(r"[А-Яа-яЁё]{3,}")
_SAMPLE_WORDS = 300
# A reading whose words are this often Russian is taken as it is (no other code page tried);
# below _PLAUSIBLE it is not Russian at all.
_CONVINCING = 0.6
_PLAUSIBLE = 0.3


def _codec(charset: object) -> str | None:
    """Python's codec for a charset name, or None for a name Python does not know."""
    if not isinstance(charset, str) or not charset.strip():
        return None
    name = charset.strip().strip("\"'").lower()
    name = {"cp-1251": "cp1251", "win-1251": "cp1251", "x-cp1251": "cp1251"}.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def russian_score(text: str) -> float:
    """The share of Cyrillic words (of three letters and more) that are Russian words: near 1
    for real text, near 0 for text read in the wrong code page; 0 without Cyrillic words."""
    words = _WORD.findall(text)[:_SAMPLE_WORDS]
    if not words:
        return 0.0
    morph = analyzer()
    return sum(1 for word in words if morph.word_is_known(word.lower())) / len(words)


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Text from bytes in the declared charset; when it is missing, unknown or evidently wrong
    (the text it gives is not Russian but another code page's is), the right one found."""
    if not data:
        return ""
    codec = _codec(declared)
    if codec and codec.startswith(("utf-16", "utf-32")):
        return data.decode(codec, errors="replace")
    if data.isascii():
        return data.decode("ascii")
    readings = _readings(data, codec)
    if "utf-8" in readings and codec in (None, "utf-8", "ascii"):
        return readings["utf-8"]  # bytes that are valid UTF-8 and not ASCII are UTF-8
    chosen = _most_russian(readings, codec)
    if chosen is not None:
        return readings[chosen]
    guess = from_bytes(data).best()
    if guess is not None:
        return str(guess)
    return data.decode(codec or "utf-8", errors="replace")


def _readings(data: bytes, codec: str | None) -> dict[str, str]:
    """The text the bytes give in each code page that can decode them: the declared one, UTF-8
    and the Cyrillic ones, in this order, which is the order of preference on a tie."""
    readings: dict[str, str] = {}
    for candidate in (codec, "utf-8", *_CYRILLIC_CODECS):
        if candidate and candidate not in readings:
            try:
                readings[candidate] = data.decode(candidate)
            except (UnicodeDecodeError, LookupError):
                continue
    return readings


def _most_russian(readings: dict[str, str], codec: str | None) -> str | None:
    """The code page whose reading to keep: the declared one when its text is convincingly
    Russian or nearly as Russian as the best, else the most Russian one when it is Russian at
    all; None when no reading is."""
    scores: dict[str, float] = {}
    if codec in readings:
        scores[codec] = russian_score(readings[codec])
        if scores[codec] >= _CONVINCING:
            return codec  # the other code pages are not even tried
    for candidate, text in readings.items():
        if candidate not in scores:
            scores[candidate] = russian_score(text)
    best = max(scores, key=lambda candidate: scores[candidate], default=None)
    if codec in readings and (best is None or scores[codec] >= scores[best] - 0.1):
        return codec
    if best is not None and scores[best] >= _PLAUSIBLE:
        return best
    return None


# --- HTML to text ------------------------------------------------------------------------------


class _TextExtractor(HTMLParser):
    """What a reader sees of an HTML letter, as plain text: block elements on their own lines,
    list items with a dash, nothing of scripts, styles or the head."""

    _SKIP = frozenset(("script", "style", "head", "title", "template", "noscript"))
    _BLOCK = frozenset(
        ("p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
         "table", "ul", "ol", "hr", "section", "article", "header", "footer", "address", "dd",
         "dt")
    )  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.skipping += 1
        elif tag in self._BLOCK:
            self.chunks.append("\n")
            if tag == "li":
                self.chunks.append("– ")
        elif tag in ("td", "th"):
            self.chunks.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BLOCK:
            self.chunks.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self._BLOCK and tag not in ("br", "li", "tr"):
            self.chunks.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.chunks.append(data)


def html_to_text(html: str) -> str:
    """Plain text of an HTML body (for a letter that has no plain part)."""
    extractor = _TextExtractor()
    try:
        extractor.feed(html)
        extractor.close()
    except Exception:  # HTMLParser is lenient; if it still gives up, drop the tags crudely
        return html_module.unescape(re.sub(r"<[^>]*>", " ", html))
    lines = (" ".join(line.split()) for line in "".join(extractor.chunks).split("\n"))
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
