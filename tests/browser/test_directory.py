"""The organisations directory in Chromium (issue 13, point 5): staff find an organisation by
one of its spellings, merge a duplicate into it from its page and see the merge listed; the
public members' page. Each page is checked by axe-core and saved as a screenshot."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import log_in, no_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_find_merge_and_the_members_page(
    page: Any,
    live_server: Any,
    seed_bytes: bytes,
    axe: Callable[..., list[dict[str, Any]]],
    screenshot: Callable[[Any, str], Path],
) -> None:
    from django.contrib.auth.models import User

    from civicplan.directory import actions as directory
    from civicplan.directory.models import Membership, Organisation
    from civicplan.plans.importing import import_plan

    import_plan(seed_bytes, "plan-2024.txt", status="approved")
    perm = Organisation.objects.get(name="Администрация г. Перми")
    Membership.objects.create(organisation=perm)
    directory.add_alias(None, perm, "Мэрия Перми")
    duplicate = directory.create_organisation(None, "Администрация города Перми (дубль)")
    staff = User.objects.create_user("staff", is_staff=True)
    log_in(page, live_server, staff)

    page.goto(f"{live_server.url}/staff/organisations/?q=мэрия+перми")
    page.get_by_role("link", name="Администрация г. Перми").first.click()
    page.wait_for_load_state()
    assert "Мэрия Перми" in page.content()
    no_violations(page, axe)
    screenshot(page, "directory-organisation")

    page.goto(f"{live_server.url}/staff/organisations/")
    no_violations(page, axe)
    screenshot(page, "directory-organisations")

    page.goto(f"{live_server.url}/staff/organisations/{perm.pk}/?duplicate=дубль")
    page.get_by_role("button", name="Объединить с этой").first.click()
    page.wait_for_load_state()
    assert not Organisation.objects.filter(pk=duplicate.pk).exists()
    assert "Отменить объединение" in page.content()
    screenshot(page, "directory-merged")

    page.goto(f"{live_server.url}/members/")
    assert "Администрация г. Перми" in page.content()
    no_violations(page, axe)
    screenshot(page, "members")
