"""The staff's directory pages (list, organisation, merge and its undoing, members' registry)
and the public members' page: each role, each form, the queries counted."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from civicplan.accounts.models import Coordinator
from civicplan.audit.models import Event
from civicplan.directory import actions
from civicplan.directory.models import Membership, Organisation
from civicplan.plans.models import Plan, Responsibility

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff() -> User:
    return User.objects.create_user("director", "director@example.org", is_staff=True)


@pytest.fixture
def coordinator() -> User:
    user = User.objects.create_user("member", "member@example.org")
    organisation = Organisation.objects.create(name="Мэрия г. Тестовска", key="мэрия тестовск")
    Coordinator.objects.create(user=user, organisation=organisation)
    return user


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _staff_urls(pk: int, event: int) -> list[tuple[str, str]]:
    """(method, url) of every staff page and form of the directory."""
    return [
        ("get", reverse("web:staff_organisations")),
        ("get", reverse("web:staff_organisation", args=[pk])),
        ("get", reverse("web:staff_members")),
        ("post", reverse("web:staff_organisation_rename", args=[pk])),
        ("post", reverse("web:staff_organisation_alias", args=[pk])),
        ("post", reverse("web:staff_organisation_collective", args=[pk])),
        ("post", reverse("web:staff_organisation_merge", args=[pk])),
        ("post", reverse("web:staff_organisation_membership", args=[pk])),
        ("post", reverse("web:staff_merge_undo", args=[event])),
    ]


def test_each_role_at_each_staff_page(staff: User, coordinator: User) -> None:
    keep = actions.create_organisation(staff, "Мэрия г. Омска")
    duplicate = actions.create_organisation(staff, "Администрация г. Омска")
    actions.merge_organisations(staff, keep, duplicate)
    event = Event.objects.get(action="organisation.merge")
    nobody = User.objects.create_user("nobody")
    for method, url in _staff_urls(keep.pk, event.pk):
        anonymous = getattr(_client(None), method)(url)
        assert anonymous.status_code == 302, url
        assert anonymous["Location"].startswith(reverse("accounts:login"))
        for user in (coordinator, nobody):
            assert getattr(_client(user), method)(url).status_code == 403, url
        if method == "get":
            assert _client(staff).get(url).status_code == 200, url
            assert _client(staff).post(url).status_code == 405, url
    # Nothing changed by those refused.
    keep.refresh_from_db()
    assert keep.name == "Мэрия г. Омска"
    assert not keep.collective
    assert not Event.objects.filter(action="organisation.unmerge").exists()


def test_every_form_needs_its_csrf_token(staff: User) -> None:
    keep = actions.create_organisation(staff, "Мэрия г. Омска")
    duplicate = actions.create_organisation(staff, "Администрация г. Омска")
    actions.merge_organisations(staff, keep, duplicate)
    event = Event.objects.get(action="organisation.merge")
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    for method, url in _staff_urls(keep.pk, event.pk):
        if method == "post":
            assert client.post(url, {"name": "x", "kind": "other"}).status_code == 403, url
    keep.refresh_from_db()
    assert keep.name == "Мэрия г. Омска"


def test_the_list_counts_rows_and_submissions_in_two_queries(
    staff: User, plan: Plan, django_assert_num_queries
) -> None:
    client = _client(staff)
    client.get(reverse("web:staff_organisations"))  # the session, once
    url = reverse("web:staff_organisations")
    directorate = Organisation.objects.get(name="Дирекция Ассоциации")
    rows = Responsibility.objects.filter(organisation=directorate).count()
    assert rows > 0
    # The session and the user, then the ids and the page.
    with django_assert_num_queries(4):
        response = client.get(url, {"q": "дирекция ассоциации"})
    listed = {o.pk: o for o in response.context["organisations"]}
    assert listed[directorate.pk].row_count == rows
    assert listed[directorate.pk].submission_count == 0
    assert f"<td>{rows}</td>" in response.content.decode()
    for number in range(60):
        actions.create_organisation(staff, f"Администрация поселения № {number}")
    with django_assert_num_queries(4):
        response = client.get(url)
    assert response.context["pager"].total == Organisation.objects.count()
    assert len(response.context["organisations"]) == 50
    with django_assert_num_queries(4):
        client.get(url, {"page": 2, "kind": "municipal", "collective": "no"})


def test_the_list_filters_by_kind_and_collective(staff: User) -> None:
    partners = actions.create_organisation(staff, "Партнёры")
    ministry = actions.create_organisation(staff, "Министерство здравоохранения Пермского края")
    client = _client(staff)
    url = reverse("web:staff_organisations")
    groups = client.get(url, {"collective": "yes"}).context["organisations"]
    assert [o.pk for o in groups] == [partners.pk]
    regional = client.get(url, {"kind": "regional"}).context["organisations"]
    assert [o.pk for o in regional] == [ministry.pk]
    assert client.get(url, {"q": "ПАРТНЕРЫ"}).context["organisations"] == [partners]
    assert client.get(url, {"kind": "nonsense"}).status_code == 400


def test_staff_rename_add_a_spelling_and_mark_a_group(staff: User) -> None:
    organisation = actions.create_organisation(staff, "Мэрия г. Омска")
    client = _client(staff)
    page = reverse("web:staff_organisation", args=[organisation.pk])
    response = client.post(
        reverse("web:staff_organisation_rename", args=[organisation.pk]),
        {"name": "Администрация г. Омска", "kind": "municipal"},
    )
    assert response.status_code == 302
    assert response["Location"] == page
    organisation.refresh_from_db()
    assert (organisation.name, organisation.kind) == ("Администрация г. Омска", "municipal")
    client.post(
        reverse("web:staff_organisation_alias", args=[organisation.pk]), {"text": "Мэрия Омска"}
    )
    assert "Мэрия Омска" in organisation.aliases.values_list("text", flat=True)
    client.post(
        reverse("web:staff_organisation_collective", args=[organisation.pk]), {"collective": "on"}
    )
    organisation.refresh_from_db()
    assert organisation.collective
    client.post(reverse("web:staff_organisation_collective", args=[organisation.pk]), {})
    organisation.refresh_from_db()
    assert not organisation.collective
    # A refused change comes back as the page's message.
    other = actions.create_organisation(staff, "Мэрия г. Томска")
    response = client.post(
        reverse("web:staff_organisation_alias", args=[other.pk]),
        {"text": "Мэрия Омска"},
        follow=True,
    )
    assert "уже относится к организации" in response.content.decode()
    empty = client.post(reverse("web:staff_organisation_rename", args=[other.pk]), {"name": ""})
    assert empty.status_code == 400


def test_merge_picked_by_search_then_undone_from_the_page(staff: User) -> None:
    keep = actions.create_organisation(staff, "Мэрия г. Омска")
    duplicate = actions.create_organisation(staff, "Администрация г. Омска")
    client = _client(staff)
    page = client.get(reverse("web:staff_organisation", args=[keep.pk]), {"duplicate": "админ"})
    assert [o.pk for o in page.context["candidates"]] == [duplicate.pk]
    assert "Объединить с этой" in page.content.decode()
    response = client.post(
        reverse("web:staff_organisation_merge", args=[keep.pk]), {"duplicate": duplicate.pk}
    )
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=duplicate.pk).exists()
    page = client.get(reverse("web:staff_organisation", args=[keep.pk]))
    assert "Отменить объединение" in page.content.decode()
    event = Event.objects.get(action="organisation.merge")
    response = client.post(reverse("web:staff_merge_undo", args=[event.pk]))
    assert response["Location"] == reverse("web:staff_organisation", args=[duplicate.pk])
    assert Organisation.objects.get(pk=duplicate.pk).name == "Администрация г. Омска"
    again = client.post(reverse("web:staff_merge_undo", args=[event.pk]), follow=True)
    assert "Это объединение уже отменено." in again.content.decode()
    page = client.get(reverse("web:staff_organisation", args=[keep.pk]))
    assert "отменено" in page.content.decode()
    assert "Отменить объединение" not in page.content.decode()


def test_staff_keep_the_registry_and_see_coordinators(staff: User) -> None:
    perm = actions.create_organisation(staff, "Администрация г. Перми", "municipal")
    user = User.objects.create_user("perm", "perm@example.org", first_name="Ольга")
    Coordinator.objects.create(user=user, organisation=perm)
    client = _client(staff)
    url = reverse("web:staff_organisation_membership", args=[perm.pk])
    response = client.post(
        url,
        {
            "status": "active",
            "joined_on": "2012-05-01",
            "city": "Пермь",
            "region": "Пермский край",
            "population": "1034000",
            "coordinator": "Иванова Анна",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(organisation=perm)
    assert (membership.joined_on, membership.population) == (date(2012, 5, 1), 1034000)
    refused = client.post(url, {"status": "left"}, follow=True)
    assert "Укажите дату выхода" in refused.content.decode()
    assert client.post(url, {"status": "active", "population": "-5"}).status_code == 400
    listing = client.get(reverse("web:staff_members")).content.decode()
    assert "Иванова Анна" in listing
    assert "perm@example.org" in listing
    assert "1034000" in listing
    found = client.get(reverse("web:staff_members"), {"q": "перми"})
    assert [o.pk for o in found.context["candidates"]] == [perm.pk]
    page = client.get(reverse("web:staff_organisation", args=[perm.pk])).content.decode()
    assert "perm@example.org" in page


def test_the_public_members_page(staff: User, django_assert_num_queries) -> None:
    perm = actions.create_organisation(staff, "Администрация г. Перми", "municipal")
    omsk = actions.create_organisation(staff, "Мэрия г. Омска", "municipal")
    tomsk = actions.create_organisation(staff, "Мэрия г. Томска", "municipal")
    actions.save_membership(
        staff,
        perm,
        status="active",
        joined_on=date(2012, 5, 1),
        city="Пермь",
        region="Пермский край",
        coordinator="Иванова Анна Петровна",
    )
    actions.save_membership(staff, omsk, status="suspended")
    actions.save_membership(staff, tomsk, status="left", left_on=date(2020, 1, 1))
    client = Client()
    with django_assert_num_queries(2):  # the page cache's data version, the members
        response = client.get(reverse("web:members"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Администрация г. Перми" in html
    assert "Пермский край" in html
    assert "2012" in html
    assert perm.get_absolute_url() in html
    assert "Омска" not in html
    assert "Томска" not in html
    assert "Иванова" not in html  # no personal data of the contact people
    assert "1 муниципальное образование" in html
    home = client.get(reverse("web:home")).content.decode()
    assert reverse("web:members") in home


def test_a_group_has_no_public_page_and_is_written_as_text(staff: User, plan: Plan) -> None:
    link = Responsibility.objects.filter(activity__plan=plan).select_related("organisation")[0]
    organisation = link.organisation
    client = Client()
    assert client.get(organisation.get_absolute_url()).status_code == 200
    actions.set_collective(staff, organisation, True)
    assert client.get(organisation.get_absolute_url()).status_code == 404
    html = client.get(link.activity.get_absolute_url()).content.decode()
    assert link.written_as in html
    assert organisation.get_absolute_url() not in html
