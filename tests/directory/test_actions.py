"""The directory's one write path: organisations read from plans, created, spelled another way
and merged; places linked."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from civicplan.accounts.models import Coordinator, SenderAddress
from civicplan.audit.models import Event
from civicplan.directory import actions
from civicplan.directory.models import Membership, Organisation, OrganisationAlias, Place
from civicplan.newsroom.actions import Draft, submit
from civicplan.plandoc.model import City, Responsible
from civicplan.plandoc.model import Place as PlaceReading
from civicplan.plandoc.organisations import organisation_key
from civicplan.plans.importing import import_plan
from civicplan.plans.models import Responsibility

pytestmark = pytest.mark.django_db

PERM = "Администрация г. Перми"


@pytest.fixture
def staff() -> User:
    return User.objects.create_user("director", "director@example.org", is_staff=True)


def test_organisations_for_creates_new_ones_once_and_keeps_every_spelling() -> None:
    known = actions.create_organisation(None, PERM)
    found = actions.organisations_for(
        [
            Responsible(PERM, "organiser"),
            Responsible("Министерство здравоохранения Пермского края"),
            Responsible(PERM, written_as="Администрация г.Перми"),  # a near miss, corrected
        ]
    )
    assert (found.new, found.known) == (1, 1)
    assert found.id_of(Responsible(PERM)) == known.pk
    ministry = Organisation.objects.get(
        pk=found.id_of(Responsible("Министерство здравоохранения Пермского края"))
    )
    assert ministry.kind == "regional"  # classified from its name
    assert set(known.aliases.values_list("text", flat=True)) == {PERM, "Администрация г.Перми"}
    again = actions.organisations_for([Responsible("Министерство здравоохранения Пермского края")])
    assert (again.new, again.known) == (0, 1)
    assert Organisation.objects.count() == 2


def test_a_spelling_another_organisation_has_stays_with_it() -> None:
    omsk = actions.create_organisation(None, "Мэрия г. Омска")
    found = actions.organisations_for([Responsible(PERM, written_as="Мэрия г. Омска")])
    perm = Organisation.objects.get(pk=found.id_of(Responsible(PERM)))
    assert set(perm.aliases.values_list("text", flat=True)) == {PERM}
    assert set(omsk.aliases.values_list("text", flat=True)) == {"Мэрия г. Омска"}


def test_create_organisation_finds_the_one_a_name_denotes(staff: User) -> None:
    first = actions.create_organisation(staff, PERM)
    assert first.key == organisation_key(PERM)
    assert actions.create_organisation(staff, "  Администрация  г.  Перми ") == first
    assert Event.objects.filter(action="organisation.create").count() == 1
    with pytest.raises(ValidationError):
        actions.create_organisation(staff, "  ")
    with pytest.raises(PermissionDenied):
        actions.create_organisation(User.objects.create_user("someone"), "Мэрия г. Омска")


def test_a_spelling_belongs_to_one_organisation(staff: User) -> None:
    perm = actions.create_organisation(staff, PERM)
    omsk = actions.create_organisation(staff, "Мэрия г. Омска")
    alias = actions.add_alias(staff, perm, "Администрация города Перми")
    assert alias.organisation == perm
    assert actions.add_alias(staff, perm, "Администрация города Перми") == alias  # once
    with pytest.raises(ValidationError) as refused:
        actions.add_alias(staff, omsk, "Администрация города Перми")
    assert refused.value.code == "taken"
    assert Event.objects.filter(action="organisation.alias").count() == 1


def test_merge_moves_every_link_and_spelling(staff: User, seed_bytes: bytes) -> None:
    import_plan(seed_bytes, "plan-2024.txt")
    keep = Organisation.objects.get(name="Дирекция Ассоциации")
    duplicate = actions.create_organisation(staff, "Дирекция Ассоциации «Здоровые города»")
    actions.add_alias(staff, duplicate, "Дирекция АЗГ")
    activity = keep.responsibilities.first().activity
    Responsibility.objects.create(
        activity=activity, organisation=duplicate, role="organiser", written_as="Дирекция АЗГ"
    )
    Membership.objects.create(organisation=duplicate)
    coordinator = Coordinator.objects.create(
        user=User.objects.create_user("press", "press@example.org"), organisation=duplicate
    )
    SenderAddress.objects.create(email="news@example.org", organisation=duplicate)
    submission = submit(None, Draft(kind="press_release", title="Новость", organisation=duplicate))
    links = keep.responsibilities.count()

    merged = actions.merge_organisations(staff, keep, duplicate)

    assert merged == keep
    assert not Organisation.objects.filter(pk=duplicate.pk).exists()
    assert keep.responsibilities.count() == links + 1
    assert Membership.objects.get().organisation == keep
    coordinator.refresh_from_db()
    submission.refresh_from_db()
    assert (coordinator.organisation, submission.organisation) == (keep, keep)
    assert SenderAddress.objects.get().organisation == keep
    spellings = set(keep.aliases.values_list("text", flat=True))
    assert {"Дирекция Ассоциации «Здоровые города»", "Дирекция АЗГ"} <= spellings
    event = Event.objects.get(action="organisation.merge")
    assert event.data["duplicate"] == "Дирекция Ассоциации «Здоровые города»"
    with pytest.raises(ValidationError):
        actions.merge_organisations(staff, keep, keep)


def test_merge_leaves_a_second_membership_with_the_duplicate(staff: User) -> None:
    keep = actions.create_organisation(staff, "Мэрия г. Омска")
    duplicate = actions.create_organisation(staff, "Администрация г. Омска")
    Membership.objects.create(organisation=keep, notes="с 2010 года")
    Membership.objects.create(organisation=duplicate, notes="дубликат")
    actions.merge_organisations(staff, keep, duplicate)
    assert list(Membership.objects.values_list("notes", flat=True)) == ["с 2010 года"]


def test_only_staff_merge(staff: User) -> None:
    keep = actions.create_organisation(staff, "Мэрия г. Омска")
    duplicate = actions.create_organisation(staff, "Администрация г. Омска")
    with pytest.raises(PermissionDenied):
        actions.merge_organisations(User.objects.create_user("someone"), keep, duplicate)
    assert Organisation.objects.filter(pk=duplicate.pk).exists()


def test_places_are_linked_once() -> None:
    reading = PlaceReading(
        text="г. Пермь, КВЦ «Экспофорум»",
        cities=(City("Пермь", "Пермский край"),),
        venue="КВЦ «Экспофорум»",
    )
    first = actions.places_for([reading, reading])
    assert len(first) == 2
    assert actions.places_for([reading]) == first
    assert Place.objects.count() == 2
    assert first[("Пермь", "Пермский край", "Россия", "")] == Place.objects.get(venue="").pk
    assert actions.place_keys(PlaceReading(venue="онлайн-платформа")) == [
        ("", "", "Россия", "онлайн-платформа")
    ]


def test_the_admin_adds_organisations_through_the_action(client: Client) -> None:
    client.force_login(User.objects.create_superuser("root", "root@example.org", "x"))
    aliases = {"aliases-TOTAL_FORMS": "0", "aliases-INITIAL_FORMS": "0"}
    response = client.post(
        "/admin/directory/organisation/add/", {"name": PERM, "kind": "municipal", **aliases}
    )
    assert response.status_code == 302
    created = Organisation.objects.get()
    assert created.key == organisation_key(PERM)
    assert list(OrganisationAlias.objects.values_list("text", flat=True)) == [PERM]
    again = client.post(
        "/admin/directory/organisation/add/",
        {"name": "Администрация  г. Перми", "kind": "municipal", **aliases},
    )
    assert again.status_code == 200  # the form says it exists
    assert "Такая организация уже есть в справочнике." in again.content.decode()
    assert Organisation.objects.count() == 1


def test_a_renamed_organisation_keeps_its_old_name_as_a_spelling(staff: User) -> None:
    perm = actions.create_organisation(None, PERM)
    renamed = actions.change_organisation(staff, perm, "Администрация города Перми", "municipal")
    assert renamed.key == organisation_key("Администрация города Перми")
    assert set(renamed.aliases.values_list("text", flat=True)) == {
        PERM,
        "Администрация города Перми",
    }
    assert Event.objects.filter(action="organisation.change", subject=renamed.name).exists()
    other = actions.create_organisation(None, "Мэрия г. Череповца")
    with pytest.raises(ValidationError):
        actions.change_organisation(staff, other, "Администрация города Перми", "municipal")


def test_the_admin_renames_adds_spellings_and_merges_through_the_actions(client: Client) -> None:
    client.force_login(User.objects.create_superuser("root", "root@example.org", "x"))
    perm = actions.create_organisation(None, PERM)
    twin = actions.create_organisation(None, "Администрация Перми")
    inline = {"aliases-TOTAL_FORMS": "0", "aliases-INITIAL_FORMS": "0"}
    changed = client.post(
        f"/admin/directory/organisation/{perm.pk}/change/",
        {
            "name": "Администрация города Перми",
            "kind": "municipal",
            "new_spelling": "АГП",
            **inline,
        },
    )
    assert changed.status_code == 302
    perm.refresh_from_db()
    assert perm.key == organisation_key("Администрация города Перми")
    assert {PERM, "АГП"} <= set(perm.aliases.values_list("text", flat=True))
    taken = client.post(
        f"/admin/directory/organisation/{twin.pk}/change/",
        {"name": "Администрация города Перми", "kind": "municipal", **inline},
    )
    assert "объедините их" in taken.content.decode()

    chosen = {"action": "merge", "_selected_action": [perm.pk, twin.pk]}
    asked = client.post("/admin/directory/organisation/", chosen)
    assert asked.status_code == 200
    assert "Оставить" in asked.content.decode()
    merged = client.post("/admin/directory/organisation/", {**chosen, "keep": perm.pk})
    assert merged.status_code == 302
    assert list(Organisation.objects.all()) == [perm]
    assert "Администрация Перми" in set(perm.aliases.values_list("text", flat=True))
    assert Event.objects.filter(action="organisation.merge").count() == 1
