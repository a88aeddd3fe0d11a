"""Groups of organisations (collective), the members' registry and the staff's search."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError

from civicplan.accounts.models import Coordinator
from civicplan.audit.models import Event
from civicplan.directory import actions, queries
from civicplan.directory.models import Membership, Organisation, Place
from civicplan.directory.naming import is_collective
from civicplan.plandoc.model import Responsible

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff() -> User:
    return User.objects.create_user("director", "director@example.org", is_staff=True)


@pytest.fixture
def coordinator() -> User:
    user = User.objects.create_user("member", "member@example.org")
    Coordinator.objects.create(
        user=user, organisation=Organisation.objects.create(name="М", key="м")
    )
    return user


@pytest.mark.parametrize(
    "text",
    [
        "партнёры",
        "Предприятия",
        "организации",
        "учреждения образования",
        "заинтересованные ведомства",
        "все члены Ассоциации",
        "Органы власти муниципальных образований – члены Ассоциации",
    ],
)
def test_groups_are_collective(text: str) -> None:
    assert is_collective(text)


@pytest.mark.parametrize(
    "text",
    [
        "Министерство здравоохранения Российской Федерации",
        "Дирекция Ассоциации",
        "Администрация г. Перми",
        "Курсы «Здоровье»",  # a plural head, but a proper name
        "ГБУЗ «Городская поликлиника № 2»",
    ],
)
def test_organisations_are_not(text: str) -> None:
    assert not is_collective(text)


def test_groups_read_from_plans_are_marked_when_created(staff: User) -> None:
    found = actions.organisations_for(
        [Responsible("Партнёры", kind="collective"), Responsible("Дирекция Ассоциации")]
    )
    partners = Organisation.objects.get(pk=found.id_of(Responsible("Партнёры")))
    assert partners.collective
    assert partners.name == "Партнёры"
    assert not Organisation.objects.get(name="Дирекция Ассоциации").collective
    assert actions.create_organisation(staff, "все члены Ассоциации").collective


def test_staff_change_the_mark(staff: User, coordinator: User) -> None:
    partners = actions.create_organisation(staff, "Партнёры")
    assert actions.set_collective(staff, partners, False).collective is False
    event = Event.objects.get(action="organisation.collective")
    assert event.data == {"organisation": partners.pk, "collective": False}
    actions.set_collective(staff, partners, False)  # no change, no event
    assert Event.objects.filter(action="organisation.collective").count() == 1
    with pytest.raises(PermissionDenied):
        actions.set_collective(coordinator, partners, True)
    partners.refresh_from_db()
    assert not partners.collective


def test_an_abbreviation_in_one_row_and_the_full_name_in_another_are_one_organisation() -> None:
    found = actions.organisations_for(
        [
            Responsible("Минздрав России"),
            Responsible("Министерство здравоохранения Российской Федерации"),
        ]
    )
    assert found.new == 1
    organisation = Organisation.objects.get()
    assert organisation.name == "Минздрав России"  # as the plan wrote it first, not expanded
    assert set(organisation.aliases.values_list("text", flat=True)) == {
        "Минздрав России",
        "Министерство здравоохранения Российской Федерации",
    }


def test_membership_is_saved_with_its_registry_fields(staff: User) -> None:
    perm = actions.create_organisation(staff, "Администрация г. Перми", "municipal")
    membership = actions.save_membership(
        staff,
        perm,
        status="active",
        joined_on=date(2012, 5, 1),
        city="Пермь",
        region="Пермский край",
        population=1_034_000,
        coordinator="  Иванова   Анна Петровна, главный специалист ",
    )
    assert (membership.region_name, membership.population) == ("Пермский край", 1_034_000)
    assert membership.coordinator == "Иванова Анна Петровна, главный специалист"
    assert membership.city == Place.objects.get(city="Пермь", venue="")
    assert Event.objects.get(action="membership.create").data["status"] == "active"
    left = actions.save_membership(
        staff, perm, status="left", joined_on=date(2012, 5, 1), left_on=date(2024, 1, 1)
    )
    assert left.pk == membership.pk
    assert not left.is_active
    assert Event.objects.filter(action="membership.change").count() == 1


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ({"status": "left"}, "left_on"),
        ({"status": "active", "left_on": date(2024, 1, 1)}, "left_on"),
        ({"status": "suspended", "left_on": date(2024, 1, 1)}, "left_on"),
        (
            {"status": "left", "joined_on": date(2024, 1, 1), "left_on": date(2020, 1, 1)},
            "dates",
        ),
        ({"status": "active", "population": 0}, "population"),
        ({"status": "asleep"}, "status"),
    ],
)
def test_an_inconsistent_membership_is_refused(staff: User, values: dict, code: str) -> None:
    perm = actions.create_organisation(staff, "Администрация г. Перми", "municipal")
    with pytest.raises(ValidationError) as refused:
        actions.save_membership(staff, perm, **values)
    assert refused.value.code == code
    assert not Membership.objects.exists()


def test_only_the_directorate_keeps_the_registry(staff: User, coordinator: User) -> None:
    perm = actions.create_organisation(staff, "Администрация г. Перми", "municipal")
    with pytest.raises(PermissionDenied):
        actions.save_membership(coordinator, perm, status="active")
    assert not Membership.objects.exists()


def test_the_staff_search_finds_any_name_and_spelling(staff: User) -> None:
    ministry = actions.create_organisation(staff, "Министерство здравоохранения Пермского края")
    actions.add_alias(staff, ministry, "Минздрав Прикамья")
    hospital = actions.create_organisation(staff, "ГБУЗ «Городская больница»")
    partners = actions.create_organisation(staff, "Партнёры")
    assert queries.organisation_ids("ПРИКАМЬЯ") == [ministry.pk]
    assert queries.organisation_ids("партнеры") == [partners.pk]  # ё as е
    assert queries.organisation_ids("минздрав") == [ministry.pk]  # the key's full form
    assert queries.organisation_ids("учреждение здравоохранения") == [hospital.pk]
    assert queries.organisation_ids("", collective=True) == [partners.pk]
    assert queries.organisation_ids("", kind="institution") == [hospital.pk]
    assert queries.organisation_ids("") == [hospital.pk, ministry.pk, partners.pk]
    assert [o.pk for o in queries.match_organisations("Мин", exclude=hospital.pk)] == [ministry.pk]
