"""The newsroom in a real browser (issue 6): a coordinator signs in and sends a post-release with
a photo, staff publish it, and it appears on the activity's page and in the RSS feed."""

from __future__ import annotations

import io
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.browser.conftest import PERM_FORUM, PERM_ORGANISATION, Site
from tests.conftest import describe
from tests.helpers import loaded_width

PASSWORD = "Пермь-2024-форум!"
TITLE = "Форум «Здоровые города» прошёл в Перми"


def photo(path: Path) -> Path:
    """A real PNG: a photo's stand-in, 64 × 48 pixels."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (31, 95, 158)).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture
def people(site: Site, settings: Any, tmp_path: Path) -> dict[str, str]:
    from django.contrib.auth.models import User

    from civicplan.accounts.models import Coordinator
    from civicplan.directory.models import Organisation

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    coordinator = User.objects.create_user(
        "perm@example.ru", email="perm@example.ru", password=PASSWORD, first_name="Анна"
    )
    Coordinator.objects.create(
        user=coordinator, organisation=Organisation.objects.get(name=PERM_ORGANISATION)
    )
    User.objects.create_user(
        "staff@example.ru", email="staff@example.ru", password=PASSWORD, is_staff=True
    )
    return {"coordinator": "perm@example.ru", "staff": "staff@example.ru"}


def sign_in(page: Any, site: Site, username: str) -> None:
    page.goto(site.url("/account/login/"))
    page.get_by_label("Электронная почта или имя пользователя").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url(site.url("/account/"))


def test_a_post_release_goes_from_a_coordinator_to_the_activity_page_and_the_feed(
    site: Site,
    people: dict[str, str],
    browser: Any,
    axe: Callable[..., list[dict[str, Any]]],
    screenshot: Callable[[Any, str], Path],
    tmp_path: Path,
) -> None:
    # The coordinator sends a post-release with a photo about the forum in Perm.
    member = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    page = member.new_page()
    sign_in(page, site, people["coordinator"])
    page.get_by_role("link", name="Отправить материал").click()
    page.get_by_label("Что вы отправляете").select_option(label="пост-релиз")
    page.get_by_label("Заголовок").fill(TITLE)
    page.get_by_label("Текст").fill("Собрались 300 участников из 40 городов.")
    forum = page.locator("select[name=activity] option", has_text=PERM_FORUM[:40]).first
    page.get_by_label("Мероприятие плана, о котором материал").select_option(
        value=forum.get_attribute("value")
    )
    page.get_by_label("Файлы").set_input_files(str(photo(tmp_path / "форум.png")))
    violations = axe(page)
    assert violations == [], describe(violations)
    screenshot(page, "newsroom-submit")
    page.get_by_role("button", name="Отправить").click()
    page.wait_for_url("**/account/submissions/*/")
    assert page.get_by_text("на рассмотрении").first.is_visible()
    assert page.get_by_text("форум.png").first.is_visible()
    member.close()

    # Staff find it in the queue and publish it.
    directorate = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    page = directorate.new_page()
    sign_in(page, site, people["staff"])
    page.goto(site.url("/staff/newsroom/"))
    screenshot(page, "newsroom-queue")
    violations = axe(page)
    assert violations == [], describe(violations)
    page.get_by_role("link", name=TITLE).click()
    screenshot(page, "newsroom-submission")
    violations = axe(page)
    assert violations == [], describe(violations)
    page.get_by_role("button", name="Опубликовать").click()
    assert page.get_by_text("опубликовано").first.is_visible()
    directorate.close()

    # The public sees it on the activity's page, with the photo, and in the RSS feed.
    public = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    page = public.new_page()
    page.goto(site.url(site.activity_path))
    reports = page.locator("section.nr-reports")
    assert reports.get_by_role("link", name=TITLE).is_visible()
    image = reports.locator("img").first
    assert image.get_attribute("alt")
    assert loaded_width(page, image) == 64
    assert page.get_by_text("проведено").first.is_visible()  # the post-release marks it held
    screenshot(page, "newsroom-activity")
    reports.get_by_role("link", name=TITLE).click()
    violations = axe(page)
    assert violations == [], describe(violations)
    screenshot(page, "newsroom-news-item")
    public.close()
    with urllib.request.urlopen(site.url("/news/rss.xml")) as response:
        feed = ET.fromstring(response.read())
    titles = [item.findtext("title") for item in feed.iter("item")]
    assert titles == [TITLE]
