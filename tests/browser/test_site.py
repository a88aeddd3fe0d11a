"""The public site in a real browser (issue 5, point 8): a visitor's way from the home page to an
activity in their calendar, the English version, a phone's width, the keyboard, and axe-core's
WCAG 2.1 A/AA checks on every kind of page."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import icalendar
import pytest

from tests.browser.conftest import PERM_FORUM, Site
from tests.conftest import AXE_TAGS, describe

# Every browser test needs the live server, hence a database that commits.
pytestmark = pytest.mark.django_db(transaction=True)

PERM_FORUM_TITLE = f"{PERM_FORUM}. Улучшение здоровья детей и подростков»"
MOSCOW_FORUM = "Участие во Всероссийском форуме «Здоровье нации"


def activity_links(page: Any) -> set[str]:
    """The activity pages the main content links to."""
    hrefs = page.locator("main a[href*='/activities/']").evaluate_all(
        "links => links.map(link => link.pathname)"
    )
    return {href for href in hrefs if not href.endswith(".ics")}


def test_visitor_finds_the_perm_forum_and_adds_it_to_their_calendar(
    page: Any, site: Site, screenshot: Callable[[Any, str], Any]
) -> None:
    page.goto(site.url("/"))
    assert page.locator("h1").first.is_visible()
    screenshot(page, "home")

    page.get_by_role("navigation", name="Основное меню").get_by_role(
        "link", name="Календарь"
    ).click()
    page.wait_for_url("**/calendar/")
    everything = activity_links(page)
    assert len(everything) > 1

    # The calendar filtered by city with its form.
    filters = page.get_by_role("form", name="Отбор")
    filters.get_by_label("Город").select_option("Пермь")
    filters.get_by_role("button", name="Показать").click()
    page.wait_for_url(re.compile(r"[?&]city=%D0%9F%D0%B5%D1%80%D0%BC%D1%8C(&|$)"))
    filtered = activity_links(page)
    assert site.activity_path in filtered
    assert len(filtered) < len(everything)
    assert page.get_by_text(PERM_FORUM).first.is_visible()
    assert page.get_by_text(MOSCOW_FORUM).count() == 0
    screenshot(page, "calendar-perm")

    page.get_by_role("link", name=re.compile(re.escape(PERM_FORUM))).first.click()
    page.wait_for_url(re.compile(r"/activities/\d+-"))
    assert PERM_FORUM in page.locator("h1").inner_text()
    screenshot(page, "activity")

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("добавить в .*календарь", re.IGNORECASE)).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    ics = download.path().read_bytes()
    assert ics.startswith(b"BEGIN:VCALENDAR")
    assert ics.count(b"BEGIN:VEVENT") == 1
    (event,) = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    assert str(event["SUMMARY"]) == PERM_FORUM_TITLE

    page.get_by_role("navigation", name="Язык").get_by_role("link", name="English").click()
    page.wait_for_url(re.compile(r"/en/activities/\d+-"))
    assert page.locator("html").get_attribute("lang") == "en"
    menu = page.get_by_role("navigation", name="Main menu")
    assert menu.get_by_role("link", name="Calendar").is_visible()
    assert page.get_by_role("link", name=re.compile("add to .*calendar", re.IGNORECASE)).count()
    assert PERM_FORUM in page.locator("h1").inner_text()  # the plan's own words stay Russian
    screenshot(page, "activity-en")


def test_the_site_fits_a_phone(
    mobile_page: Any, site: Site, screenshot: Callable[[Any, str], Any]
) -> None:
    """At 360 px nothing scrolls sideways: the plan's table turns into cards, menus wrap."""
    pages = {
        "home": "/",
        "plan": "/plans/2024/",
        "calendar": "/calendar/",
        "activity": site.activity_path,
    }
    too_wide, missing = {}, []
    for name, path in pages.items():
        if mobile_page.goto(site.url(path)).status != 200:
            missing.append(path)
        width = mobile_page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            too_wide[name] = width
        screenshot(mobile_page, f"mobile-{name}")
    assert not missing
    assert not too_wide, f"wider than the 360 px screen: {too_wide}"


def test_keyboard_reaches_the_skip_link_first(page: Any, site: Site) -> None:
    page.goto(site.url("/plans/2024/"))
    page.keyboard.press("Tab")
    focused = page.evaluate_handle("document.activeElement").as_element()
    assert focused is not None
    assert focused.get_attribute("href") == "#content"
    assert focused.is_visible()
    box = focused.bounding_box()
    viewport = page.viewport_size
    assert box is not None
    assert box["height"] > 0
    assert 0 <= box["x"] <= box["x"] + box["width"] <= viewport["width"]
    assert box["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"


# The pages axe-core checks: one of each kind, in Russian and in English.
PAGES = {
    "home": "/",
    "plan": "/plans/2024/",
    "calendar": "/calendar/",
    "calendar-month": "/calendar/2024-4/",
    "timeline": "/calendar/timeline/2024/",
    "activity": "{activity}",
    "organisation": "{organisation}",
    "city": "/cities/пермь/",
    "search": "/search/?q=форум",
    "404": "/no-such-page/",
}


@pytest.mark.parametrize("language", ["ru", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_accessibility_violations(
    page: Any,
    site: Site,
    axe: Callable[..., list[dict[str, Any]]],
    screenshot: Callable[[Any, str], Any],
    name: str,
    language: str,
) -> None:
    path = PAGES[name].format(activity=site.activity_path, organisation=site.organisation_path)
    if language != "ru":
        path = f"/{language}{path}"
    response = page.goto(site.url(path))
    assert response.status == (404 if name == "404" else 200), path
    assert page.locator("html").get_attribute("lang") == language
    # WCAG 2.1 A and AA, and axe's best practices (one main landmark, content in landmarks,
    # headings in order, one h1, unique landmark names).
    violations = axe(page, tags=[*AXE_TAGS, "best-practice"])
    screenshot(page, f"{name}-{language}")
    assert not violations, f"{path}:\n{describe(violations)}"


def test_english_pages_mark_the_plans_russian_words(page: Any, site: Site) -> None:
    """WCAG 3.1.2: a screen reader reads the plan's Russian titles, places and organisations
    with a Russian voice on an English page."""

    def language(selector: str) -> str:
        return page.locator(selector).first.evaluate("e => e.closest('[lang]').lang")

    page.goto(site.url("/en/plans/2024/"))
    assert language("header nav a") == "en"
    assert language("table.plan thead th") == "en"
    assert language("h1") == "ru"
    assert language("table.plan tbody td") == "ru"
    page.goto(site.url(f"/en{site.activity_path}"))
    assert language("h1") == "ru"
    assert language("dt") == "en"
