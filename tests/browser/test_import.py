"""The staff import's three steps in Chromium (issue 12): a plan whose columns are named as
real plans name them is uploaded, one column's role is changed, the preview asks for the year
and shows its warnings first, and the confirmed plan is the year's plan page. Each step is
checked by axe-core (WCAG 2.1 A/AA and best practices) and saved as a screenshot."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import Site
from tests.conftest import log_in, no_violations

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = (
    "Дата и время",
    "Содержание работы",
    "Где",
    "Исполнители (ФИО, телефон)",
    "Отметка о выполнении",
)
ROWS = [
    (
        "15.03 10:00",
        "Семинар для волонтёров «Здоровый образ жизни»",
        "г. Пермь, Дом молодёжи",
        "Иванова А.А., 8-342-200-00-00",
        "выполнено",
    ),
    (
        "апрель",
        "Акция «Бегом от инфаркта»",
        "г. Пермь, набережная Камы",
        "Администрация г. Перми",
        "",
    ),
    (
        "22.05 с 11-00 до 14-00",
        "Круглый стол «Профилактика неинфекционных заболеваний»",
        "онлайн",
        "Министерство здравоохранения Пермского края",
        "перенесено",
    ),
    (
        "II квартал",
        "Конкурс социальных проектов «Здоровый город»",
        "г. Пермь",
        "Администрация г. Пермь",  # a near miss of the seed's «Администрация г. Перми»
        "",
    ),
]


def plan_docx(path: Path) -> Path:
    """A Word plan with a title that says no year, and columns named unlike the seed's."""
    from tests.plandoc.builders import Table, build_docx

    title = ["ПЛАН", "работы отдела по молодёжной политике и здоровому образу жизни"]
    path.write_bytes(build_docx(title, [Table([HEADER, *ROWS])]))
    return path


def test_upload_columns_preview_confirm(
    site: Site,
    page: Any,
    live_server: Any,
    settings: Any,
    tmp_path: Path,
    axe: Callable[..., list[dict[str, Any]]],
    screenshot: Callable[[Any, str], Path],
) -> None:
    from django.contrib.auth.models import User

    from civicplan.plans.models import ColumnMapping, Plan

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    staff = User.objects.create_user("director@example.org", is_staff=True, first_name="Анна")
    log_in(page, live_server, staff)

    # Step 1: the file.
    page.goto(site.url("/staff/import/"))
    page.get_by_label("Файл плана").set_input_files(str(plan_docx(tmp_path / "план-отдела.docx")))
    no_violations(page, axe)
    screenshot(page, "import-1-upload")
    page.get_by_role("button", name="Загрузить и проверить").click()

    # Step 2: the columns, each with its guessed role; the marks of completion are left out.
    page.wait_for_selector("h1:has-text('Что в каждом столбце')")
    assert page.get_by_label("Дата и время").input_value() == "when"
    assert page.get_by_label("Содержание работы").input_value() == "title"
    assert page.get_by_label("Где").input_value() == "place"
    assert page.get_by_label("Исполнители (ФИО, телефон)").input_value() == "responsible"
    assert page.get_by_label("Отметка о выполнении").input_value() == "done"
    assert page.get_by_text("Круглый стол «Профилактика").first.is_visible()  # a sample cell
    page.get_by_label("Отметка о выполнении").select_option(label="не загружать")
    no_violations(page, axe)
    screenshot(page, "import-2-columns")
    page.get_by_role("button", name="Дальше: проверить строки").click()

    # Step 3: the preview. No year in the document: it is asked first, then the warnings.
    page.wait_for_selector("h1:has-text('Проверка плана')")
    headings = page.locator("main h2").all_inner_texts()
    assert headings[0] == "На какой год этот план?"
    assert headings[1].startswith("Проверьте:")
    screenshot(page, "import-3-preview-year")
    no_violations(page, axe)
    page.get_by_label("Год плана").fill("2026")
    page.get_by_role("button", name="Прочитать с этим годом").click()
    page.wait_for_selector("h2:has-text('Проверьте')")
    headings = page.locator("main h2").all_inner_texts()
    assert headings[0].startswith("Проверьте: 1 предупреждение")  # the near miss, first
    warning = page.locator("ul.problems li").first
    assert "«Администрация г. Пермь» сопоставлено с «Администрация г. Перми»" in (
        warning.inner_text()
    )
    warning.get_by_role("link").first.click()  # to the row, marked
    marked = page.locator("table.preview tr.warning")
    assert marked.count() == 1
    assert "Конкурс социальных проектов" in marked.inner_text()
    seminar = page.locator("table.preview tbody tr", has_text="Семинар для волонтёров")
    assert "15 марта 2026 г., 10:00" in seminar.inner_text()  # read back in words, with the time
    assert "человек" in seminar.inner_text()
    assert "выполнено" not in page.locator("table.preview").inner_text()  # the column left out
    assert "есть в справочнике" in page.locator("table.preview").inner_text()
    no_violations(page, axe)
    screenshot(page, "import-3-preview")
    page.get_by_role("button", name="Импортировать план").click()

    # The plan is in, a draft, and its page is where the import ends.
    page.wait_for_url(site.url("/plans/2026/"))
    assert page.get_by_text("Конкурс социальных проектов").first.is_visible()
    screenshot(page, "import-4-plan")
    plan = Plan.objects.get(year=2026)
    assert plan.status == Plan.Status.DRAFT
    assert plan.activities.count() == len(ROWS)
    (mapping,) = ColumnMapping.objects.all()
    assert mapping.roles == ["when", "title", "place", "responsible", "skip"]

    # The next file with the same header: the changed role is remembered, and said so.
    page.goto(site.url("/staff/import/"))
    page.get_by_label("Файл плана").set_input_files(str(tmp_path / "план-отдела.docx"))
    page.get_by_role("button", name="Загрузить и проверить").click()
    page.wait_for_selector("h1:has-text('Что в каждом столбце')")
    assert page.get_by_label("Отметка о выполнении").input_value() == "skip"
    assert page.get_by_text("запомнены").first.is_visible()
    no_violations(page, axe)
    screenshot(page, "import-2-columns-remembered")
