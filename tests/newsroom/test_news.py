"""The public news: the list, a news page, files, RSS and Atom; only what is published, with
the HTML cleaned, in a fixed number of queries."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime
from email.utils import parsedate_to_datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client

from civicplan.directory.models import Organisation
from civicplan.newsroom import actions
from civicplan.newsroom.attachments import IncomingFile
from civicplan.newsroom.models import Attachment, Submission
from civicplan.plans.models import Activity, Plan
from tests.helpers import data_changed
from tests.newsroom.conftest import MOSCOW, PDF, Make, png, publish

pytestmark = pytest.mark.django_db

Status = Submission.Status
Kind = Submission.Kind
ATOM = "{http://www.w3.org/2005/Atom}"
DIRTY = (
    '<p>Итоги <b>форума</b><script>alert("x")</script>'
    '<img src="x" onerror="alert(1)"> <a href="javascript:alert(2)">ссылка</a> '
    '<a href="https://perm.example/forum" onclick="steal()">сайт</a></p>'
)


@pytest.fixture
def news(make: Make, staff: User, activity: Activity, kazan: Organisation) -> list[Submission]:
    """Three published items (newest first) and one of each unpublished state."""
    first = publish(
        make,
        staff,
        "Форум здоровых городов прошёл в Перми",
        datetime(2025, 3, 5, 12, 0),
        html=DIRTY,
        activity=activity,
        files=(IncomingFile("форум.png", png()), IncomingFile("программа.pdf", PDF)),
    )
    second = publish(
        make,
        staff,
        "Методические рекомендации по скандинавской ходьбе",
        datetime(2025, 4, 1, 9, 30),
        kind=Kind.METHODOLOGY,
        text="Первый абзац <b>не разметка</b>.\n\nВторой абзац.",
    )
    third = publish(
        make, staff, "День здоровья в Казани", datetime(2025, 4, 10, 18, 0), organisation=kazan
    )
    Submission.objects.filter(pk=third.pk).update(organisation=kazan)
    for status in (Status.IN_REVIEW, Status.CHANGES_REQUESTED, Status.REJECTED):
        make(f"Не опубликовано: {status}", status=status)
    make("Предложение в план", kind=Kind.PROPOSAL, status=Status.INCLUDED)
    data_changed()
    return [third, second, first]


def _titles(html: str) -> list[str]:
    import re

    return re.findall(r'<p class="nr-entry-title"><a href="[^"]+">([^<]+)</a>', html)


def test_the_list_shows_what_is_published_newest_first(client: Client, news: list) -> None:
    response = client.get("/news/")
    assert response.status_code == 200
    html = response.content.decode()
    assert _titles(html) == [item.title for item in news]
    assert "Не опубликовано" not in html
    assert "Предложение в план" not in html
    assert '<time datetime="2025-03-05T12:00:00+03:00">5 марта 2025 г.</time>' in html
    assert '<link rel="alternate" type="application/rss+xml"' in html
    assert 'href="/news/rss.xml"' in html
    assert 'href="/news/atom.xml"' in html
    assert '<link rel="alternate" type="application/atom+xml"' in html
    image = news[2].attachments.get(type="png")
    assert f'<img src="/news/files/{image.pk}/" alt="{news[2].title}" class="nr-thumb"' in html


def test_the_list_filters_by_kind_and_organisation(
    client: Client, news: list, kazan: Organisation
) -> None:
    assert _titles(client.get("/news/?kind=methodology").content.decode()) == [news[1].title]
    by_kazan = client.get(f"/news/?organisation={kazan.pk}").content.decode()
    assert _titles(by_kazan) == [news[0].title]
    assert client.get("/news/?kind=proposal").status_code == 400
    assert client.get("/news/?organisation=999999").status_code == 400


def test_the_list_in_english(client: Client, news: list) -> None:
    html = client.get("/en/news/").content.decode()
    assert "March 5, 2025" in html
    assert 'href="/en/news/rss.xml"' in html


def test_the_list_has_pages(client: Client, make: Make, staff: User) -> None:
    for number in range(25):
        publish(make, staff, f"Новость {number:02d}", datetime(2025, 1, 1 + number, 10, 0))
    first = client.get("/news/").content.decode()
    assert len(_titles(first)) == 20
    assert _titles(first)[0] == "Новость 24"
    assert 'href="/news/?page=2"' in first
    second = client.get("/news/?page=2").content.decode()
    assert _titles(second) == [f"Новость {number:02d}" for number in range(4, -1, -1)]
    kinds = client.get("/news/?kind=post_release&page=2").content.decode()
    assert 'href="/news/?kind=post_release" rel="prev"' in kinds  # page 1: no number


def test_a_news_page(client: Client, news: list, activity: Activity) -> None:
    item = news[2]
    response = client.get(item.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Форум здоровых городов прошёл в Перми</h1>" in html
    assert '<time datetime="2025-03-05T12:00:00+03:00">5 марта 2025 г.</time>' in html
    assert f'href="{item.organisation.get_absolute_url()}"' in html
    assert f'<a href="{activity.get_absolute_url()}">{activity.title}</a>' in html
    image = item.attachments.get(type="png")
    document = item.attachments.get(type="pdf")
    assert f'<img src="/news/files/{image.pk}/" alt="форум.png" loading="lazy">' in html
    assert f'<a href="/news/files/{document.pk}/" download>программа.pdf</a>' in html
    assert '<link rel="alternate" type="application/rss+xml"' in html
    assert '<link rel="alternate" type="application/atom+xml"' in html
    # Cleaned: nothing that runs is left, the rest of the text is.
    assert "<b>форума</b>" in html
    assert (
        '<a href="https://perm.example/forum" rel="noopener noreferrer nofollow">сайт</a>' in html
    )
    for dangerous in ("<script", "alert(", "onerror", "javascript:", "onclick"):
        assert dangerous not in html


def test_html_is_cleaned_at_display_too(client: Client, news: list) -> None:
    """A row written around the actions (the admin, a shell) is still shown cleaned."""
    item = news[0]
    Submission.objects.filter(pk=item.pk).update(html=DIRTY)
    data_changed()
    html = client.get(item.get_absolute_url()).content.decode()
    assert "<b>форума</b>" in html
    for dangerous in ("<script", "alert(", "onerror", "javascript:", "onclick"):
        assert dangerous not in html
    feed = client.get("/news/rss.xml").content.decode()
    for dangerous in ("&lt;script", "alert(", "onerror", "javascript:", "onclick"):
        assert dangerous not in feed


def test_plain_text_becomes_escaped_paragraphs(client: Client, news: list) -> None:
    html = client.get(news[1].get_absolute_url()).content.decode()
    assert "<p>Первый абзац &lt;b&gt;не разметка&lt;/b&gt;.</p>" in html
    assert "<p>Второй абзац.</p>" in html


def test_the_activity_of_a_draft_plan_is_not_linked_for_the_public(
    client: Client, news: list, activity: Activity, staff: User
) -> None:
    Plan.objects.filter(pk=activity.plan_id).update(status=Plan.Status.DRAFT)
    data_changed()
    assert (
        activity.get_absolute_url() not in client.get(news[2].get_absolute_url()).content.decode()
    )
    client.force_login(staff)
    assert activity.get_absolute_url() in client.get(news[2].get_absolute_url()).content.decode()


def test_organisations_are_linked_where_they_have_a_page(
    client: Client, news: list, kazan: Organisation
) -> None:
    """Perm is named in the approved plan (its page exists); Kazan is in no plan and no member."""
    perm = news[2].organisation
    assert (
        f'<a href="{perm.get_absolute_url()}">'
        in client.get(news[2].get_absolute_url()).content.decode()
    )
    assert client.get(perm.get_absolute_url()).status_code == 200
    kazan_news = client.get(news[0].get_absolute_url()).content.decode()
    assert kazan.name in kazan_news
    assert kazan.get_absolute_url() not in kazan_news
    assert client.get(kazan.get_absolute_url()).status_code == 404


def test_a_wrong_slug_redirects(client: Client, news: list) -> None:
    response = client.get(f"/news/{news[0].pk}-old-title/")
    assert response.status_code == 301
    assert response.url == news[0].get_absolute_url()


def test_unpublished_is_a_404(client: Client, news: list, staff: User) -> None:
    for item in Submission.objects.exclude(status=Status.PUBLISHED):
        assert client.get(item.get_absolute_url()).status_code == 404
    assert client.get("/news/999999-net/").status_code == 404
    client.force_login(staff)  # not even staff see an unpublished item as news
    hidden = Submission.objects.filter(status=Status.IN_REVIEW).first()
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_files_of_published_news_are_public(client: Client, news: list) -> None:
    image = news[2].attachments.get(type="png")
    document = news[2].attachments.get(type="pdf")
    shown = client.get(f"/news/files/{image.pk}/")
    assert shown.status_code == 200
    assert shown["Content-Type"] == "image/png"
    assert shown["Content-Disposition"].startswith("inline;")
    assert b"".join(shown.streaming_content) == png()
    downloaded = client.get(f"/news/files/{document.pk}/")
    assert downloaded["Content-Type"] == "application/pdf"
    assert downloaded["Content-Disposition"].startswith("attachment;")
    assert (
        "filename*=utf-8''%D0%BF%D1%80%D0%BE%D0%B3%D1%80%D0%B0%D0%BC%D0%BC%D0%B0.pdf"
        in (downloaded["Content-Disposition"])
    )
    assert b"".join(downloaded.streaming_content) == PDF


def test_files_of_unpublished_submissions(
    client: Client, make: Make, staff: User, coordinator: User, other_coordinator: User
) -> None:
    submission = make(files=(IncomingFile("отчёт.html", PDF),))
    file = submission.attachments.get()
    url = f"/news/files/{file.pk}/"
    assert client.get(url).status_code == 404
    client.force_login(other_coordinator)
    assert client.get(url).status_code == 404
    client.force_login(coordinator)  # their own organisation's
    own = client.get(url)
    assert own.status_code == 200
    assert own["Cache-Control"] == "private, no-store"
    # The name says HTML, the content is a PDF: it downloads as what it is.
    assert own["Content-Type"] == "application/pdf"
    assert "filename*=utf-8''%D0%BE%D1%82%D1%87%D1%91%D1%82.pdf" in own["Content-Disposition"]
    client.force_login(staff)
    assert client.get(url).status_code == 200
    assert client.get("/news/files/999999/").status_code == 404


def test_rss(client: Client, news: list) -> None:
    response = client.get("/news/rss.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    assert channel.findtext("link") == "http://testserver/news/"
    assert channel.findtext("language") == "ru"
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == [entry.title for entry in news]
    first = items[-1]
    assert first.findtext("link") == "http://testserver" + news[2].get_absolute_url()
    assert parsedate_to_datetime(first.findtext("pubDate")) == datetime(
        2025, 3, 5, 12, 0, tzinfo=MOSCOW
    )
    description = first.findtext("description")
    assert "<b>форума</b>" in description
    assert "script" not in description
    assert "javascript:" not in description
    enclosure = first.find("enclosure")
    image = news[2].attachments.get(type="png")
    assert enclosure.get("url") == f"http://testserver/news/files/{image.pk}/"
    assert enclosure.get("type") == "image/png"
    assert items[1].findtext("description") == (
        "<p>Первый абзац &lt;b&gt;не разметка&lt;/b&gt;.</p>\n\n<p>Второй абзац.</p>"
    )
    assert items[1].findtext("category") == "методический материал"


def test_atom(client: Client, news: list) -> None:
    response = client.get("/news/atom.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("href") == "http://testserver/news/atom.xml"
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [item.title for item in news]
    first = entries[-1]
    link = first.find(f"{ATOM}link[@rel='alternate']")
    assert link.get("href") == "http://testserver" + news[2].get_absolute_url()
    published = datetime.fromisoformat(first.findtext(f"{ATOM}published"))
    assert published == datetime(2025, 3, 5, 12, 0, tzinfo=MOSCOW)
    assert datetime.fromisoformat(first.findtext(f"{ATOM}updated")) >= published
    assert first.find(f"{ATOM}summary").get("type") == "html"
    assert "<b>форума</b>" in first.findtext(f"{ATOM}summary")
    assert first.findtext(f"{ATOM}author/{ATOM}name") == "Администрация города Перми"
    enclosures = first.findall(f"{ATOM}link[@rel='enclosure']")
    assert [enclosure.get("type") for enclosure in enclosures] == ["image/png", "application/pdf"]
    assert all(e.get("href").startswith("http://testserver/news/files/") for e in enclosures)


def test_the_english_feed(client: Client, news: list) -> None:
    channel = ET.fromstring(client.get("/en/news/rss.xml").content).find("channel")
    assert channel.findtext("language") == "en"
    assert channel.findtext("link") == "http://testserver/en/news/"


@pytest.mark.parametrize("size", [3, 60])
def test_fixed_numbers_of_queries(
    size: int, client: Client, make: Make, staff: User, django_assert_num_queries
) -> None:
    items = [
        publish(
            make,
            staff,
            f"Новость {number}",
            datetime(2025, 1, 1, 10, number % 60),
            files=(IncomingFile("фото.png", png()), IncomingFile("текст.pdf", PDF)),
        )
        for number in range(size)
    ]
    # Each request: the page cache's data version, then the view's own queries.
    with django_assert_num_queries(4):  # count, page, organisations of the filter
        assert client.get("/news/").status_code == 200
    with django_assert_num_queries(3):  # the item, its files
        assert client.get(items[0].get_absolute_url()).status_code == 200
    with django_assert_num_queries(3):  # items, their files
        assert client.get("/news/rss.xml").status_code == 200
    with django_assert_num_queries(3):
        assert client.get("/news/atom.xml").status_code == 200


def test_anonymous_copies_are_shared_until_something_is_published(
    client: Client, make: Make, staff: User
) -> None:
    assert client.get("/news/")["X-Page-Cache"] == "miss"
    assert client.get("/news/")["X-Page-Cache"] == "hit"
    actions.publish(staff, make("Свежая новость"))
    fresh = client.get("/news/")
    assert fresh["X-Page-Cache"] == "miss"
    assert "Свежая новость" in fresh.content.decode()


@pytest.mark.parametrize(
    ("sent_as", "kind", "served_as"),
    [
        ("программа.pdf", Attachment.Type.PDF, "программа.pdf"),
        ("отчёт.html", Attachment.Type.PDF, "отчёт.pdf"),
        ("фото.exe", Attachment.Type.PNG, "фото.png"),
        ("снимок.JPG", Attachment.Type.JPEG, "снимок.jpg"),
        ('..\\\\../"злой"<script>.docx', Attachment.Type.DOCX, "злой script.docx"),
        ("без имени", Attachment.Type.XLSX, "без имени.xlsx"),
        (".html", Attachment.Type.PDF, "html.pdf"),
        ("....", Attachment.Type.PDF, "file.pdf"),
    ],
)
def test_the_served_name_is_rebuilt_from_the_title_and_the_true_type(
    sent_as: str, kind: str, served_as: str
) -> None:
    assert Attachment(name=sent_as, type=kind).download_name == served_as
