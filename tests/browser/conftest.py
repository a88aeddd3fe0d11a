"""Browser tests of the public site: a live server with the seed plan (the browser, pages, axe
and screenshots are fixtures of tests/conftest.py, shared with the apps' browser tests)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

PERM_FORUM = "II Всероссийский форум «Здоровые города для здоровых поколений"
PERM_ORGANISATION = "Администрация г. Перми"


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
