"""Reading letters (civicplan.mailintake.parsing): no database, no Django."""

from __future__ import annotations

import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

import pytest

from civicplan.mailintake.parsing import (
    ParseError,
    decode_bytes,
    header_summary,
    html_to_text,
    parse_mail,
)
from tests.mailintake.letters import (
    EXE,
    PDF,
    POST_RELEASE_SUBJECT,
    POST_RELEASE_TEXT,
    b64,
    docx,
    file_part,
    headers,
    modern,
    multipart,
    plain,
    q_word,
    rfc2231,
    text_part,
)

RUSSIAN = "Уважаемые коллеги! Направляем пост-релиз о форуме в городе Череповце."


def test_a_modern_letter() -> None:
    mail = parse_mail(modern(files=(("отчёт.pdf", PDF, "application/pdf"),)))
    assert mail.sender == "press@perm.example"
    assert mail.sender_name == "Пресс-служба"
    assert mail.subject == POST_RELEASE_SUBJECT
    assert mail.message_id == "modern-1@perm.example"
    assert mail.text == POST_RELEASE_TEXT
    assert [(f.name, f.content, f.content_type) for f in mail.files] == [
        ("отчёт.pdf", PDF, "application/pdf")
    ]
    assert not mail.forwarded


@pytest.mark.parametrize("charset", ["utf-8", "windows-1251", "koi8-r", "cp866"])
@pytest.mark.parametrize("encoding", ["8bit", "base64"])
def test_bodies_in_the_declared_charset(charset: str, encoding: str) -> None:
    assert parse_mail(plain(RUSSIAN, charset, encoding=encoding)).text == RUSSIAN


@pytest.mark.parametrize(
    ("written_in", "declared"),
    [("windows-1251", "koi8-r"), ("koi8-r", "windows-1251"), ("windows-1251", "utf-8")],
)
def test_a_wrongly_declared_charset_is_found(written_in: str, declared: str) -> None:
    raw = plain(RUSSIAN, written_in).replace(
        f"charset={written_in}".encode(), f"charset={declared}".encode()
    )
    assert parse_mail(raw).text == RUSSIAN


@pytest.mark.parametrize("written_in", ["windows-1251", "koi8-r", "utf-8"])
def test_undeclared_8bit_body_and_subject(written_in: str) -> None:
    raw = (
        b"From: press@perm.example\r\nSubject: "
        + "Пресс-релиз о конкурсе".encode(written_in)
        + b"\r\n\r\n"
        + RUSSIAN.encode(written_in)
    )
    mail = parse_mail(raw)
    assert (mail.subject, mail.text) == ("Пресс-релиз о конкурсе", RUSSIAN)


def test_latin_text_stays_latin() -> None:
    assert decode_bytes("Grüße aus München".encode("latin-1"), "iso-8859-1") == "Grüße aus München"
    assert decode_bytes("Grüße aus München, liebe Kollegen".encode("latin-1")) == (
        "Grüße aus München, liebe Kollegen"
    )


SUBJECT = "Пресс-релиз: «Здоровые города»"


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        (b64(SUBJECT, "windows-1251"), SUBJECT),
        (q_word(SUBJECT, "windows-1251"), SUBJECT),
        (q_word(SUBJECT, "utf-8"), SUBJECT),
        # koi8-r has no guillemets
        (b64("Пресс-релиз: Здоровые города", "koi8-r"), "Пресс-релиз: Здоровые города"),
        # A UTF-8 subject cut between two encoded words in the middle of a character.
        (
            "=?utf-8?B?0J/RgNC10YHRgS3RgA==?= "
            "=?utf-8?B?0LXQu9C40Lc6IMKr0JfQtNC+0YDQvtCy0YvQtSDQs9C+0YDQvtC00LDCuw==?=",
            SUBJECT,
        ),
    ],
)
def test_encoded_word_subjects(subject: str, expected: str) -> None:
    assert parse_mail(plain(RUSSIAN, "utf-8", subject=subject)).subject == expected


def test_file_names_in_every_encoding() -> None:
    raw = multipart(
        b64("Материалы", "koi8-r"),
        [
            text_part(RUSSIAN, "koi8-r"),
            file_part(f"filename*={rfc2231('Отчёт о форуме.pdf', 'windows-1251')}", PDF),
            file_part(f"filename*={rfc2231('Программа.pdf', 'utf-8')}", PDF),
            file_part(f'filename="{b64("Пресс-релиз.pdf", "koi8-r")}"', PDF),
            file_part(f'filename="{q_word("Фото.pdf", "windows-1251")}"', PDF),
            # Raw 8-bit bytes in the header, as some old programs write them.
            b'Content-Type: application/pdf\r\nContent-Disposition: attachment; filename="'
            + "Смета.pdf".encode("windows-1251")
            + b'"\r\n\r\n'
            + PDF,
        ],
    )
    mail = parse_mail(raw)
    assert mail.subject == "Материалы"
    assert mail.text == RUSSIAN
    assert [f.name for f in mail.files] == [
        "Отчёт о форуме.pdf",
        "Программа.pdf",
        "Пресс-релиз.pdf",
        "Фото.pdf",
        "Смета.pdf",
    ]
    assert all(f.content.startswith(b"%PDF-") for f in mail.files)


def test_a_file_name_never_has_a_directory() -> None:
    raw = multipart("x", [text_part("x", "utf-8"), file_part('filename="../../etc/passwd"', PDF)])
    assert parse_mail(raw).files[0].name == "passwd"


def test_html_only_letter() -> None:
    html = (
        "<html><head><title>Не текст</title><style>p {color: red}</style></head><body>"
        "<p>Прошёл <b>форум</b> в Перми.</p><script>alert('взлом')</script>"
        "<ul><li>первое</li><li>второе</li></ul></body></html>"
    )
    raw = headers("HTML") + (
        b"Content-Type: text/html; charset=windows-1251\r\n\r\n" + html.encode("windows-1251")
    )
    mail = parse_mail(raw)
    assert mail.html == html  # kept whole: the newsroom sanitises it
    assert mail.text == "Прошёл форум в Перми.\n\n– первое\n– второе"


def test_html_charset_from_its_meta_tag() -> None:
    html = '<html><head><meta charset="koi8-r"></head><body><p>Привет, коллеги</p></body></html>'
    raw = headers("HTML") + b"Content-Type: text/html\r\n\r\n" + html.encode("koi8-r")
    assert parse_mail(raw).text == "Привет, коллеги"


def test_plain_and_html_alternatives() -> None:
    mail = parse_mail(modern(html="<p>Текст <i>с разметкой</i></p>"))
    assert mail.text == POST_RELEASE_TEXT
    assert mail.html == "<p>Текст <i>с разметкой</i></p>"


def test_an_attached_forwarded_letter() -> None:
    inner = EmailMessage()
    inner["From"] = "Пресс-служба министерства <press@minzdrav.example>"
    inner["Subject"] = POST_RELEASE_SUBJECT
    inner.set_content(POST_RELEASE_TEXT)
    inner.add_attachment(PDF, maintype="application", subtype="pdf", filename="программа.pdf")
    outer = EmailMessage()
    outer["From"] = "press@perm.example"
    outer["Subject"] = "Fwd: " + POST_RELEASE_SUBJECT
    outer.set_content("Пересылаю пост-релиз министерства.")
    outer.add_attachment(inner)
    outer.add_attachment(docx(), maintype="application", subtype="octet-stream", filename="a.docx")
    mail = parse_mail(bytes(outer))
    assert mail.forwarded
    assert mail.sender == "press@perm.example"  # the one who forwarded it
    assert mail.subject == POST_RELEASE_SUBJECT
    assert mail.text == POST_RELEASE_TEXT
    assert mail.comment == "Пересылаю пост-релиз министерства."
    assert [f.name for f in mail.files] == ["программа.pdf", "a.docx"]


@pytest.mark.parametrize(
    "forward",
    [
        "-------- Пересланное сообщение --------\n"
        "От: Пресс-служба <press@minzdrav.example>\n"
        "Дата: четверг, 18 апреля 2024 г., 17:00\n"
        "Тема: {subject}\n"
        "Кому: press@perm.example\n\n",
        "---------- Forwarded message ---------\n"
        "From: Press <press@minzdrav.example>\n"
        "Date: Thu, 18 Apr 2024 at 17:00\n"
        "Subject: {subject}\n"
        "To: <press@perm.example>\n\n",
        "-------- Пересылаемое сообщение --------\n"
        '18.04.2024, 17:00, "Пресс-служба" <press@minzdrav.example>:\n\n',
    ],
)
def test_an_inline_forward(forward: str) -> None:
    text = (
        "Добрый день, пересылаю.\n\n"
        + forward.format(subject=POST_RELEASE_SUBJECT)
        + POST_RELEASE_TEXT
        + "\n\n-------- Конец пересылаемого сообщения --------\n"
    )
    raw = modern(subject="Fwd: " + POST_RELEASE_SUBJECT, text=text, html="<p>то же</p>")
    mail = parse_mail(raw)
    assert mail.forwarded
    assert mail.sender == "press@perm.example"
    assert mail.subject == POST_RELEASE_SUBJECT
    assert mail.text == POST_RELEASE_TEXT
    assert mail.comment == "Добрый день, пересылаю."
    assert mail.html == ""


def test_an_outlook_reply_is_not_a_forward() -> None:
    text = "Спасибо!\n\n-----Original Message-----\nFrom: a@b.example\nSubject: вопрос\n\nтекст"
    mail = parse_mail(modern(subject="RE: вопрос", text=text))
    assert not mail.forwarded
    assert mail.text == text


def test_a_lost_boundary_is_read_as_text() -> None:
    raw = headers(b64("Сломанный MIME", "utf-8")) + (
        b'Content-Type: multipart/mixed; boundary="never-used"\r\n\r\n'
        b"--other\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        + RUSSIAN.encode()
        + b"\r\n--other--\r\n"
    )
    mail = parse_mail(raw)
    assert RUSSIAN in mail.text
    assert mail.problems


def test_garbage_headers_and_broken_base64() -> None:
    raw = (
        b"\x00\x01garbage line without a colon\r\n"
        b"From: press@perm.example\r\nSubject: =?utf-8?B?broken?=\r\n"
        b": no name\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n"
        b"0J/RgNC40LLQtdGCLCDQutC+0LvQu9C10LPQuCE*&^%\r\n"
    )
    mail = parse_mail(raw)  # read past, not a crash
    assert mail.text.startswith("Привет, коллеги")


def test_an_unknown_charset_is_read_anyway() -> None:
    raw = plain(RUSSIAN, "windows-1251").replace(b"charset=windows-1251", b"charset=x-unknown")
    assert parse_mail(raw).text == RUSSIAN


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"   \r\n",
        b"From: press@perm.example\r\n\r\n",
        b"From: a@b.example\r\nSubject: \r\n\r\n",
    ],
)
def test_nothing_to_submit_is_a_parse_error(raw: bytes) -> None:
    with pytest.raises(ParseError):
        parse_mail(raw)


def test_attachments_by_content_type_and_signatures_dropped() -> None:
    raw = multipart(
        "x",
        [
            text_part("текст", "utf-8"),
            b"Content-Type: image/jpeg\r\nContent-Transfer-Encoding: base64\r\n\r\n/9j/4AAQ",
            file_part('filename="smime.p7s"', b"0\x82", "application/pkcs7-signature"),
            file_part('filename="report.pdf"', EXE, "application/pdf"),
        ],
    )
    mail = parse_mail(raw)
    assert [(f.name, f.content_type) for f in mail.files] == [
        ("вложение-1.jpg", "image/jpeg"),
        ("report.pdf", "application/pdf"),
    ]


@pytest.mark.parametrize(
    ("header", "automatic"),
    [
        ("", False),
        ("Auto-Submitted: no\r\n", False),
        ("Auto-Submitted: auto-replied\r\n", True),
        ("Auto-Submitted: auto-generated; owner-email=x@y\r\n", True),
        ("Precedence: bulk\r\n", True),
        ("List-Id: <news.perm.example>\r\n", True),
        ("X-Autoreply: yes\r\n", True),
        ("X-Auto-Response-Suppress: All\r\n", True),
    ],
)
def test_letters_sent_by_programs(header: str, automatic: bool) -> None:
    raw = headers("x", extra=header) + b"Content-Type: text/plain\r\n\r\ntext\r\n"
    assert parse_mail(raw).automatic is automatic


def test_header_summary_never_raises() -> None:
    assert header_summary(b"\xff\xfe\x00garbage") == ("", "")
    assert header_summary(modern()) == ("modern-1@perm.example", POST_RELEASE_SUBJECT)


def test_html_to_text_keeps_paragraphs() -> None:
    assert html_to_text("<div>a</div><div>b<br>c</div>&laquo;d&raquo;") == "a\n\nb\nc\n«d»"


def test_parsing_does_not_import_django(tmp_path: Path) -> None:
    letter = tmp_path / "letter.eml"
    letter.write_bytes(plain(RUSSIAN, "koi8-r"))
    code = (
        "import sys, civicplan.mailintake.parsing as p;"
        "assert p.parse_mail(open(sys.argv[1], 'rb').read()).text;"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code, str(letter)], check=True)
