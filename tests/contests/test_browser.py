"""Issue 15's first slice in Chromium: staff make a contest from its plan row (the dates come
from the row), publish it, add a nomination and a picture question; a parent without an account
finds it under «Конкурсы», applies for a nine-year-old with consent and her drawing, sees the
drawing's thumbnail, confirms the address by the one-time link, and the entry counts — shown by
the child's first name and age only. Every page is checked by axe-core and saved as a
screenshot (Russian, and the contest's page in English)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core import mail

from tests.conftest import log_in, no_violations
from tests.contests.conftest import World, jpeg
from tests.helpers import loaded_width

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_make_a_contest_and_a_parent_applies_for_a_child(
    page: Any,
    live_server: Any,
    world: World,
    tmp_path: Path,
    axe: Callable[..., list[dict[str, Any]]],
    screenshot: Callable[[Any, str], Path],
) -> None:
    from civicplan.contests.models import Application, Contest

    drawing = tmp_path / "рисунок.jpg"
    drawing.write_bytes(jpeg(1600, 1200, "#e94"))

    # Staff: from the plan row to a published contest with its form.
    log_in(page, live_server, world.staff)
    page.goto(f"{live_server.url}/staff/contests/")
    page.get_by_role("link", name="Создать конкурс").first.click()
    page.wait_for_selector("h1:has-text('Новый конкурс')")
    assert page.get_by_label("Приём заявок открывается").input_value() == "2025-03-01T00:00"
    page.get_by_label("Название:", exact=True).fill("Конкурс плакатов «Город здоровья»")
    page.get_by_label("Частные лица (студенты, родители за ребёнка)").check()
    page.get_by_label("Опубликовать на сайте").check()
    no_violations(page, axe)
    screenshot(page, "contests-0-new")
    page.get_by_role("button", name="Создать конкурс").click()
    page.wait_for_selector("text=Конкурс создан.")
    page.get_by_label("Номинация:", exact=True).fill("Плакат")
    page.get_by_role("button", name="Добавить номинацию").click()
    page.wait_for_selector("text=Номинация добавлена.")
    page.get_by_label("Тип:", exact=True).select_option("file")
    page.get_by_label("Вопрос:", exact=True).fill("Рисунок")
    page.get_by_label("Обязательное").check()
    page.get_by_label("JPEG").check()
    page.get_by_label("PNG").check()
    page.get_by_role("button", name="Добавить поле").click()
    page.wait_for_selector("text=Поле добавлено в форму заявки.")
    no_violations(page, axe)
    screenshot(page, "contests-1-staff")
    contest = Contest.objects.get(title="Конкурс плакатов «Город здоровья»")

    # A parent without an account.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/contests/")
    no_violations(page, axe)
    screenshot(page, "contests-2-list")
    page.get_by_role("link", name="Конкурс плакатов «Город здоровья»").click()
    page.wait_for_selector("text=Идёт приём заявок")
    assert "Europe/Moscow, UTC+03:00" in page.locator("main").inner_text()
    no_violations(page, axe)
    screenshot(page, "contests-3-contest")
    page.get_by_role("link", name="Подать заявку").click()
    page.get_by_label("Номинация:", exact=True).select_option(label="Плакат")
    page.get_by_label("Имя:", exact=True).fill("Маша")
    page.get_by_label("Фамилия:", exact=True).fill("Кузнецова")
    page.get_by_label("Адрес электронной почты").fill("olga@example.org")
    page.get_by_label("Населённый пункт").fill("Череповец")
    page.get_by_label("Участник — ребёнок").check()
    page.get_by_label("Возраст ребёнка").fill("9")
    page.get_by_label("Родитель (законный представитель): фамилия").fill("Кузнецова Ольга Петровна")
    page.get_by_label("Я родитель (законный представитель)").check()
    page.get_by_label("Рисунок (обязательно)", exact=True).set_input_files(str(drawing))
    no_violations(page, axe)
    screenshot(page, "contests-4-apply")
    page.get_by_role("button", name="Подать заявку").click()
    page.wait_for_selector("text=будет учтена после подтверждения адреса")
    application = Application.objects.get(contest=contest)
    assert application.status == "submitted"
    assert not application.counts
    thumbnail = page.locator(".kept-file img")
    assert loaded_width(page, thumbnail) == 480
    no_violations(page, axe)
    screenshot(page, "contests-5-submitted")

    # The one-time link from the letter.
    [letter] = [m for m in mail.outbox if "Подтвердите адрес" in m.subject]
    link = letter.body.split("https://plan.example.org")[1].split()[0]
    page.goto(live_server.url + link)
    no_violations(page, axe)
    page.get_by_role("button", name="Подтвердить адрес").click()
    page.wait_for_selector("text=Адрес подтверждён.")
    application.refresh_from_db()
    assert application.counts
    page.goto(f"{live_server.url}/contests/applications/")
    mine = page.locator("main").inner_text()
    assert "Маша, возраст 9" in mine
    assert "Кузнецова" not in mine  # the child's surname, never in a list
    no_violations(page, axe)
    screenshot(page, "contests-6-mine")
    page.context.clear_cookies()
    page.goto(live_server.url + contest.get_absolute_url())
    assert "Подано заявок\n1" in page.locator("main").inner_text().replace("\t", "\n")
    page.goto(f"{live_server.url}/en/contests/{contest.pk}-{contest.slug}/")
    page.wait_for_selector("text=Applications are being taken")
    no_violations(page, axe)
    screenshot(page, "contests-7-contest-en")
