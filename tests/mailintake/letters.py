"""Letters as member municipalities' mail programs write them, built byte by byte where the
encoding matters (the email package would otherwise "fix" what we want to test)."""

from __future__ import annotations

import base64
import hashlib
import io
import urllib.parse
import zipfile
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime

NEWS = "news@zdorovye-goroda.example"
COORDINATOR = "press@perm.example"

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
# A Windows program: "MZ", the DOS stub, then the PE header.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"

POST_RELEASE_SUBJECT = "Пост-релиз форума «Здоровые города для здоровых поколений»"
POST_RELEASE_TEXT = (
    "Уважаемые коллеги!\n\n"
    "18 апреля 2024 года в Перми прошёл II Всероссийский форум «Здоровые города для здоровых "
    "поколений». Участники обсудили улучшение здоровья детей и подростков.\n\n"
    "С уважением, пресс-служба администрации города Перми"
)


def b64(text: str, charset: str) -> str:
    return f"=?{charset}?B?{base64.b64encode(text.encode(charset)).decode()}?="


def q_word(text: str, charset: str) -> str:
    encoded = "".join(
        f"={byte:02X}" if byte > 127 or chr(byte) in "=?_ " else chr(byte)
        for byte in text.encode(charset)
    )
    return f"=?{charset}?Q?{encoded}?="


def rfc2231(text: str, charset: str) -> str:
    return f"{charset}''{urllib.parse.quote(text.encode(charset), safe='')}"


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def headers(subject: str, *, sender: str = COORDINATOR, extra: str = "") -> bytes:
    date = format_datetime(datetime(2024, 4, 19, 10, 30, tzinfo=UTC))
    message_id = hashlib.sha256((subject + sender).encode()).hexdigest()[:20]
    return (
        f"From: Press <{sender}>\r\nTo: {NEWS}\r\nSubject: {subject}\r\nDate: {date}\r\n"
        f"Message-ID: <{message_id}@perm.example>\r\nMIME-Version: 1.0\r\n"
        f"{extra}"
    ).encode("ascii")


def plain(text: str, charset: str, *, subject: str = "", encoding: str = "8bit") -> bytes:
    """A single-part letter whose body is `text` in `charset`, declared as `charset`."""
    subject = subject or b64(POST_RELEASE_SUBJECT, "utf-8")
    body = text.encode(charset)
    if encoding == "base64":
        body = base64.encodebytes(body)
    return (
        headers(subject)
        + f"Content-Type: text/plain; charset={charset}\r\n"
        f"Content-Transfer-Encoding: {encoding}\r\n\r\n".encode()
        + body.replace(b"\n", b"\r\n")
        + b"\r\n"
    )


def modern(
    subject: str = POST_RELEASE_SUBJECT,
    text: str = POST_RELEASE_TEXT,
    *,
    sender: str = COORDINATOR,
    files: tuple[tuple[str, bytes, str], ...] = (),
    html: str | None = None,
) -> bytes:
    """A letter as a modern program sends it (UTF-8, MIME done by the email package)."""
    message = EmailMessage()
    message["From"] = f"Пресс-служба <{sender}>"
    message["To"] = NEWS
    message["Subject"] = subject
    message["Message-ID"] = "<modern-1@perm.example>"
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    for name, content, content_type in files:
        maintype, subtype = content_type.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes(policy=policy.SMTP)  # CRLF line ends, as on the wire


def multipart(subject: str, parts: list[bytes], *, sender: str = COORDINATOR) -> bytes:
    """A multipart/mixed letter of the given raw parts (each: headers, blank line, body)."""
    boundary = b"==boundary-42=="
    out = headers(subject, sender=sender) + (
        b'Content-Type: multipart/mixed; boundary="' + boundary + b'"\r\n\r\n'
    )
    for part in parts:
        out += b"--" + boundary + b"\r\n" + part + b"\r\n"
    return out + b"--" + boundary + b"--\r\n"


def text_part(text: str, charset: str) -> bytes:
    return (
        f"Content-Type: text/plain; charset={charset}\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
    ).encode() + text.encode(charset)


def file_part(disposition: str, content: bytes, content_type: str = "application/pdf") -> bytes:
    return (
        f"Content-Type: {content_type}\r\nContent-Disposition: attachment; {disposition}\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n"
    ).encode() + base64.encodebytes(content)
