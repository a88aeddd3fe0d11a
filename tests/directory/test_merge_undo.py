"""Merging two organisations and undoing the merge from the audit log: everything that points
at the duplicate moves to the organisation kept, and back."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError

from civicplan.accounts.models import Coordinator, SenderAddress
from civicplan.audit.models import Event
from civicplan.directory import actions, queries
from civicplan.directory.models import Membership, Organisation, OrganisationAlias
from civicplan.newsroom.actions import Draft, submit
from civicplan.newsroom.models import Submission
from civicplan.plans.importing import import_plan
from civicplan.plans.models import Plan, Responsibility

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff() -> User:
    return User.objects.create_user("director", "director@example.org", is_staff=True)


@pytest.fixture
def world(seed_bytes: bytes, staff: User) -> dict:
    """A plan, and a duplicate of one of its organisations that everything points at."""
    plan = Plan.objects.get(pk=import_plan(seed_bytes, "plan-2024.txt").plan_id)
    keep = Organisation.objects.get(name="Дирекция Ассоциации")
    duplicate = actions.create_organisation(staff, "Дирекция АЗГ")
    actions.add_alias(staff, duplicate, "Дирекция Ассоциации «Здоровые города»")
    activities = list(plan.activities.order_by("position")[:2])
    links = [
        Responsibility.objects.create(
            activity=activity, organisation=duplicate, role="organiser", written_as="Дирекция АЗГ"
        )
        for activity in activities
    ]
    membership = Membership.objects.create(organisation=duplicate, notes="дубликат")
    coordinator = Coordinator.objects.create(
        user=User.objects.create_user("press", "press@example.org"), organisation=duplicate
    )
    sender = SenderAddress.objects.create(email="news@example.org", organisation=duplicate)
    submission = submit(None, Draft(kind="press_release", title="Новость", organisation=duplicate))
    Plan.objects.filter(pk=plan.pk).update(owner=duplicate)
    return {
        "plan": plan,
        "keep": keep,
        "duplicate": duplicate,
        "links": links,
        "membership": membership,
        "coordinator": coordinator,
        "sender": sender,
        "submission": submission,
        "keep_rows": keep.responsibilities.count(),
        "keep_aliases": set(keep.aliases.values_list("text", flat=True)),
    }


def _owner(model: type, pk: int) -> int:
    return model.objects.values_list(
        "owner_id" if model is Plan else "organisation_id", flat=True
    ).get(pk=pk)


def test_merge_moves_everything_and_undo_moves_exactly_it_back(world: dict, staff: User) -> None:
    keep, duplicate = world["keep"], world["duplicate"]
    fields = (duplicate.pk, duplicate.name, duplicate.key, duplicate.kind, duplicate.collective)
    pointing = [
        (Responsibility, world["links"][0].pk),
        (Responsibility, world["links"][1].pk),
        (Membership, world["membership"].pk),
        (Coordinator, world["coordinator"].pk),
        (SenderAddress, world["sender"].pk),
        (Submission, world["submission"].pk),
        (Plan, world["plan"].pk),
    ]

    actions.merge_organisations(staff, keep, duplicate)

    assert not Organisation.objects.filter(pk=duplicate.pk).exists()
    assert all(_owner(model, pk) == keep.pk for model, pk in pointing)
    assert keep.responsibilities.count() == world["keep_rows"] + 2
    spellings = set(keep.aliases.values_list("text", flat=True))
    assert {"Дирекция АЗГ", "Дирекция Ассоциации «Здоровые города»"} <= spellings
    event = Event.objects.get(action="organisation.merge")
    assert event.data["fields"]["name"] == "Дирекция АЗГ"
    assert sorted(event.data["moved"]["plans.responsibility.organisation"]) == sorted(
        link.pk for link in world["links"]
    )
    assert event.data["moved"]["plans.plan.owner"] == [world["plan"].pk]
    # A row that was already the kept one's is no row the merge moved.
    other = keep.responsibilities.exclude(pk__in=[link.pk for link in world["links"]]).first()

    restored = actions.undo_merge(staff, event)

    assert (
        restored.pk,
        restored.name,
        restored.key,
        restored.kind,
        restored.collective,
    ) == fields
    assert all(_owner(model, pk) == duplicate.pk for model, pk in pointing)
    assert keep.responsibilities.count() == world["keep_rows"]
    assert Responsibility.objects.get(pk=other.pk).organisation_id == keep.pk
    assert set(keep.aliases.values_list("text", flat=True)) == world["keep_aliases"]
    assert set(restored.aliases.values_list("text", flat=True)) == {
        "Дирекция АЗГ",
        "Дирекция Ассоциации «Здоровые города»",
    }
    undo = Event.objects.get(action="organisation.unmerge")
    assert undo.data["merge"] == event.pk
    assert undo.data["moved_back"] == 7
    assert undo.actor == staff
    [listed] = queries.merges_of(keep)
    assert listed.pk == event.pk
    assert listed.undone


def test_a_row_moved_elsewhere_since_stays_where_it_is(world: dict, staff: User) -> None:
    keep, duplicate = world["keep"], world["duplicate"]
    actions.merge_organisations(staff, keep, duplicate)
    third = actions.create_organisation(staff, "Мэрия г. Омска")
    Responsibility.objects.filter(pk=world["links"][0].pk).update(organisation=third)
    restored = actions.undo_merge(staff, Event.objects.get(action="organisation.merge"))
    assert Responsibility.objects.get(pk=world["links"][0].pk).organisation == third
    assert Responsibility.objects.get(pk=world["links"][1].pk).organisation == restored


def test_a_membership_that_could_not_move_is_deleted_and_restored(staff: User) -> None:
    keep = actions.create_organisation(staff, "Мэрия г. Омска")
    duplicate = actions.create_organisation(staff, "Администрация г. Омска")
    Membership.objects.create(organisation=keep, notes="с 2010 года")
    Membership.objects.create(organisation=duplicate, notes="дубликат", population=1000)
    actions.merge_organisations(staff, keep, duplicate)
    assert list(Membership.objects.values_list("notes", flat=True)) == ["с 2010 года"]
    event = Event.objects.get(action="organisation.merge")
    assert [row["fields"]["notes"] for row in event.data["removed"]] == ["дубликат"]

    restored = actions.undo_merge(staff, event)

    assert restored.membership.notes == "дубликат"
    assert restored.membership.population == 1000
    assert Membership.objects.get(organisation=keep).notes == "с 2010 года"


def test_an_undone_merge_is_not_undone_twice(staff: User) -> None:
    keep = actions.create_organisation(staff, "Мэрия г. Омска")
    duplicate = actions.create_organisation(staff, "Администрация г. Омска")
    actions.merge_organisations(staff, keep, duplicate)
    event = Event.objects.get(action="organisation.merge")
    actions.undo_merge(staff, event)
    with pytest.raises(ValidationError, match="уже отменено") as refused:
        actions.undo_merge(staff, event)
    assert refused.value.code == "undone"
    assert Organisation.objects.filter(name="Администрация г. Омска").count() == 1


def test_no_undo_once_the_kept_organisation_is_gone(staff: User) -> None:
    keep = actions.create_organisation(staff, "Мэрия г. Омска")
    duplicate = actions.create_organisation(staff, "Администрация г. Омска")
    third = actions.create_organisation(staff, "Городская дума Омска")
    actions.merge_organisations(staff, keep, duplicate)
    first = Event.objects.get(action="organisation.merge")
    actions.merge_organisations(staff, third, keep)  # the kept one merged away in its turn
    with pytest.raises(ValidationError, match="больше нет") as refused:
        actions.undo_merge(staff, first)
    assert refused.value.code == "gone"
    assert not Event.objects.filter(action="organisation.unmerge").exists()


def test_no_undo_when_the_name_is_taken_again(staff: User) -> None:
    keep = actions.create_organisation(staff, "Мэрия г. Омска")
    duplicate = actions.create_organisation(staff, "Администрация г. Омска")
    actions.merge_organisations(staff, keep, duplicate)
    OrganisationAlias.objects.filter(text="Администрация г. Омска").delete()
    actions.create_organisation(staff, "Администрация г. Омска")
    with pytest.raises(ValidationError, match="уже у организации") as refused:
        actions.undo_merge(staff, Event.objects.get(action="organisation.merge"))
    assert refused.value.code == "taken"


def test_an_event_without_the_merge_data_is_refused(staff: User) -> None:
    event = Event.objects.create(
        action="organisation.merge", subject="x", data={"organisation": 1, "duplicate": "y"}
    )
    with pytest.raises(ValidationError, match="нельзя отменить"):
        actions.undo_merge(staff, event)


@pytest.mark.parametrize("who", ["anonymous", "nobody", "coordinator"])
def test_only_the_directorate_merges_and_undoes(who: str, staff: User) -> None:
    keep = actions.create_organisation(staff, "Мэрия г. Омска")
    duplicate = actions.create_organisation(staff, "Администрация г. Омска")
    user = AnonymousUser() if who == "anonymous" else User.objects.create_user(who)
    if who == "coordinator":
        Coordinator.objects.create(user=user, organisation=keep)
    with pytest.raises(PermissionDenied):
        actions.merge_organisations(user, keep, duplicate)
    actions.merge_organisations(staff, keep, duplicate)
    with pytest.raises(PermissionDenied):
        actions.undo_merge(user, Event.objects.get(action="organisation.merge"))
    assert not Organisation.objects.filter(name="Администрация г. Омска").exists()
