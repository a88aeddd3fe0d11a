"""Browser tests of the public site: a live server with the seed plan, Debian's Chromium driven by
Playwright (which downloads no browser of its own), axe-core for accessibility, screenshots.

Without Chromium or axe-core the tests skip with the reason printed (CI installs both, and there
a skip fails the run: see tests/conftest.py).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# WCAG 2.1 levels A and AA (axe-core's tags).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PERM_FORUM = "II Всероссийский форум «Здоровые города для здоровых поколений"
PERM_ORGANISATION = "Администрация г. Перми"


def chromium_path() -> str | None:
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """One headless Chromium for all the browser tests (they are the only users of this package,
    so it is launched once per run and closed when they are done)."""
    executable = chromium_path()
    if executable is None:
        pytest.skip("Chromium not installed: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop on the main thread, which Django's async-safety
    # check takes for async code; these tests are synchronous, so the check is lifted while the
    # browser is open (the ORM work of the fixtures and the database flush happen then).
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@dataclass
class Site:
    """The live server with the seed imported as the approved 2024 plan."""

    base: str
    activity_path: str
    organisation_path: str

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def site(browser: Any, live_server: Any, transactional_db: None, seed_bytes: bytes) -> Site:
    from django.urls import reverse
    from django.utils.text import slugify

    from civicplan.directory.models import Organisation
    from civicplan.plans.importing import import_plan
    from civicplan.plans.models import Activity

    import_plan(seed_bytes, "plan-2024.txt", status="approved")
    forum = Activity.objects.get(title__startswith=PERM_FORUM)
    organisation = Organisation.objects.get(name=PERM_ORGANISATION)
    if hasattr(organisation, "get_absolute_url"):
        organisation_path = organisation.get_absolute_url()
    else:
        slug = slugify(organisation.name, allow_unicode=True)
        organisation_path = reverse("web:organisation", args=[organisation.pk, slug])
    return Site(live_server.url, forum.get_absolute_url(), organisation_path)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh desktop page (its own context: no cookies shared between tests)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def mobile_page(browser: Any) -> Iterator[Any]:
    """A phone-sized page: 360 × 740 CSS pixels, touch, the width of the smallest common phones."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="ru-RU",
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def axe() -> Callable[..., list[dict[str, Any]]]:
    """`axe(page)`: axe-core's WCAG 2.1 A/AA violations on the page as it is now;
    `axe(page, tags=[...])` for other rule sets ("best-practice": landmarks, heading order)."""
    if not AXE_JS.exists():
        pytest.skip("axe-core not installed: run `make test` (npm ci puts it in node_modules)")

    def run(page: Any, tags: list[str] = AXE_TAGS) -> list[dict[str, Any]]:
        page.add_script_tag(path=str(AXE_JS))
        return page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
            ".then(result => result.violations)",
            tags,
        )

    return run


def describe(violations: list[dict[str, Any]]) -> str:
    """Violations as lines a person can act on: rule, impact, help, and the elements."""
    lines = []
    for violation in violations:
        tags = ",".join(tag for tag in violation["tags"] if tag in (*AXE_TAGS, "best-practice"))
        lines.append(f"{violation['id']} ({violation['impact']}; {tags}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node['failureSummary']}")
            lines.append(f"      {node['html'][:160]}")
    return "\n".join(lines)


@pytest.fixture
def screenshot() -> Callable[[Any, str], Path]:
    """`screenshot(page, name)`: the whole page saved as test-artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
