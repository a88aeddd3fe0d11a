"""Fixtures shared by the whole suite: the seed plan and its expected reading."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "plan-2024.txt"
EXPECTED = ROOT / "tests" / "data" / "plan-2024.expected.json"


@pytest.fixture(scope="session")
def seed_bytes() -> bytes:
    return SEED.read_bytes()


@pytest.fixture(scope="session")
def expected_plan() -> dict[str, Any]:
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


def only_expected_keys(expected: Any, actual: Any) -> Any:
    """`actual` cut down to the keys `expected` has (the expected file leaves out edtf, kind,
    contact), so the two can be compared with == and pytest shows a readable diff."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        return {key: only_expected_keys(expected[key], actual.get(key)) for key in expected}
    if isinstance(expected, list) and isinstance(actual, list):
        return [only_expected_keys(e, a) for e, a in zip(expected, actual, strict=False)] + actual[
            len(expected) :
        ]
    return actual


@pytest.fixture(autouse=True)
def russian() -> Iterator[None]:
    """Each test starts in Russian, the site's language (LocaleMiddleware leaves a request's
    language active, so a test that visited /en/ would leak English into the next)."""
    from django.utils import translation

    translation.activate("ru")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_caches() -> None:
    """Each test starts with empty caches: no cached page (on SQLite a rolled-back test's audit
    ids come back, so the data version of two tests can be the same) and no counts of login
    failures left by another test."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


# A test may skip where a system tool is missing (a laptop without LibreOffice or Chromium), with
# its reason printed. CI installs every such tool (.ci/run), so under CI a skip is a failure.
_skipped: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped:
        _skipped.append(f"{report.nodeid}: {report.longrepr[-1] if report.longrepr else ''}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _skipped and os.environ.get("CI") and exitstatus == 0:
        print("\nCI must not skip tests; skipped:\n  " + "\n  ".join(_skipped))
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


# --- browser tests ----------------------------------------------------------------------------
# Debian's Chromium driven by Playwright (which downloads no browser of its own), axe-core for
# accessibility, screenshots as test artefacts. Without Chromium or axe-core these tests skip
# with the reason printed (CI installs both, and there a skip fails the run).

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


def chromium_path() -> str | None:
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for every browser test of the run (tests/browser and the apps'
    test_browser modules): Playwright's sync API allows one instance at a time."""
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


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh desktop page (its own context: no cookies shared between tests)."""
    yield from _page(browser, viewport={"width": 1280, "height": 900})


@pytest.fixture
def mobile_page(browser: Any) -> Iterator[Any]:
    """A phone-sized page: 360 × 740 CSS pixels, touch, the width of the smallest common phones."""
    yield from _page(
        browser,
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )


def _page(browser: Any, **options: Any) -> Iterator[Any]:
    """A page in a context of its own; the test fails if the browser refused anything the
    site's Content-Security-Policy does not allow (an inline script or style, a foreign font)."""
    context = browser.new_context(locale="ru-RU", **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert refused == [], "the Content-Security-Policy refused: " + "; ".join(refused)


@pytest.fixture
def axe() -> Callable[..., list[dict[str, Any]]]:
    """`axe(page)`: axe-core's WCAG 2.1 A/AA violations on the page as it is now;
    `axe(page, tags=[...])` for other rule sets ("best-practice": landmarks, heading order)."""
    if not AXE_JS.exists():
        pytest.skip("axe-core not installed: run `make test` (npm ci puts it in node_modules)")

    def run(page: Any, tags: list[str] = AXE_TAGS) -> list[dict[str, Any]]:
        # Evaluated through the DevTools protocol, which the page's CSP does not govern (a
        # <script> tag added to the page would be refused, as it should).
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
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


def no_violations(page: Any, axe: Callable[..., list[dict[str, Any]]]) -> None:
    """The page has no WCAG A/AA violation and no best-practice one that axe-core finds."""
    violations = axe(page, tags=[*AXE_TAGS, "best-practice"])
    assert violations == [], describe(violations)


@pytest.fixture
def screenshot() -> Callable[[Any, str], Path]:
    """`screenshot(page, name)`: the whole page saved as test-artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def log_in(tab: Any, live_server: Any, user: Any) -> None:
    """The browser tab carries a session the test client made for `user`: pages behind a login
    are looked at without typing a password each time."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    tab.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
