"""Every write to the directory: organisations (created, spelled another way, merged) and places.

Plans name organisations and places in free text; the import, a proposal included in a plan and
the staff's editing all come here to turn those readings into rows, so that one body written
differently stays one Organisation (its spellings kept as OrganisationAlias rows) and one city
one Place. The bulk functions (`organisations_for`, `places_for`) run inside the caller's
action, which checks the permission and writes the audit event; the single ones check and
record themselves.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, models, router, transaction
from django.db.models.constants import OnConflict
from django.utils.translation import gettext as _

from civicplan.audit.actions import Actor, record, require
from civicplan.audit.models import Event
from civicplan.common import bulk
from civicplan.directory.models import Membership, Organisation, OrganisationAlias, Place
from civicplan.directory.naming import is_collective
from civicplan.directory.queries import MERGE, UNMERGE
from civicplan.plandoc.model import Place as PlaceReading
from civicplan.plandoc.model import Responsible
from civicplan.plandoc.organisations import classify, organisation_key

PlaceKey = tuple[str, str, str, str]  # city, region, country, venue


# --- organisations -------------------------------------------------------------------------------


@dataclass
class Found:
    """The ids of the organisations of a set of readings, by key, and how many were new."""

    by_key: dict[str, int]
    new: int
    known: int

    def id_of(self, party: Responsible) -> int:
        return self.by_key[organisation_key(party.name)]


def organisations_for(parties: Iterable[Responsible]) -> Found:
    """The organisation of each party, in four steps however many: the known ones by key, new
    ones for names never seen (their kind from the reading, else from the name) inserted in
    bulk and their ids read back, and every spelling seen kept as an alias."""
    spellings: dict[str, set[str]] = {}
    kinds: dict[str, str] = {}
    names: dict[str, str] = {}
    for party in parties:
        name = party.name
        key = organisation_key(name)
        if not key:
            continue
        if key in names:
            spellings[key].add(name)
        else:  # the first party of a key names and kinds its organisation
            names[key] = name
            kinds[key] = party.kind if party.kind != "other" else classify(name)
            spellings[key] = {name}
        if party.written_as:
            spellings[key].add(party.written_as)
    by_key = _ids(Organisation, "key", names)
    fresh = [key for key in names if key not in by_key]
    _insert(
        Organisation,
        ("name", "key", "kind", "collective"),
        [(names[key], key, kinds[key], is_collective(names[key], kinds[key])) for key in fresh],
    )
    by_key.update(_ids(Organisation, "key", fresh))
    _keep_spellings({by_key[key]: texts for key, texts in spellings.items()})
    return Found(by_key, len(fresh), len(by_key) - len(fresh))


def _keep_spellings(spellings: dict[int, set[str]]) -> None:
    """Spellings not seen before become aliases of their organisation (given by id): a
    spelling already recorded, for it or another organisation, stays as it is."""
    _insert(
        OrganisationAlias,
        ("organisation", "text"),
        [(pk, text) for pk, group in spellings.items() for text in sorted(group)],
        on_conflict=OnConflict.IGNORE,
    )


def _insert(
    model: type[models.Model],
    names: Sequence[str],
    rows: Sequence[Sequence[str | int | bool]],
    on_conflict: OnConflict | None = None,
) -> None:
    """Insert `rows`, the values of the fields `names` of `model` as the database takes them
    (texts, and a foreign key by its id); with OnConflict.IGNORE a row that breaks a unique
    constraint is left out."""
    bulk.insert(model, [model._meta.get_field(name) for name in names], rows, on_conflict)


def _ids(model: type[models.Model], name: str, values: Iterable[str]) -> dict[str, int]:
    """The ids of the rows of `model` whose unique field `name` has one of `values`. The query
    is written out: Django's `__in` lookup prepares each of a plan's thousands of values on its
    own, which takes longer than the database takes to answer."""
    wanted = list(values)
    if not wanted:
        return {}
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    column = quote(model._meta.get_field(name).column)
    statement = (
        f"SELECT {column}, {quote(model._meta.pk.column)} FROM {quote(model._meta.db_table)} "
        f"WHERE {column} IN ({', '.join(['%s'] * len(wanted))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, wanted)
        return dict(cursor.fetchall())


def create_organisation(actor: Actor, name: str, kind: str = "") -> Organisation:
    """A new organisation, or the one this name already denotes (never two for one key); the
    name is kept as its first spelling, and a group («партнёры») is marked collective."""
    require(actor, "directory.add_organisation", _("Нет права изменять справочник организаций."))
    name = " ".join(name.split())
    key = organisation_key(name)
    if not key:
        raise ValidationError(_("Нужно название организации."), code="required")
    with transaction.atomic():
        kind = kind or classify(name)
        organisation, created = Organisation.objects.get_or_create(
            key=key,
            defaults={"name": name, "kind": kind, "collective": is_collective(name, kind)},
        )
        if created:
            _keep_spellings({organisation.pk: {name}})
            record(actor, "organisation.create", name, "", {"organisation": organisation.pk})
    return organisation


def change_organisation(
    actor: Actor, organisation: Organisation, name: str, kind: str
) -> Organisation:
    """A new name or kind. The key follows the name; the old name stays a spelling, so plans
    that write it still find the organisation. A name another organisation has is refused
    (merge the two instead)."""
    require(actor, "directory.change_organisation", _("Нет права изменять справочник организаций."))
    name = " ".join(name.split())
    key = organisation_key(name)
    if not key:
        raise ValidationError(_("Нужно название организации."), code="required")
    with transaction.atomic():
        current = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if Organisation.objects.filter(key=key).exclude(pk=current.pk).exists():
            raise ValidationError(
                _("Организация с таким названием уже есть: объедините их."), code="taken"
            )
        old_name = current.name
        current.name, current.key, current.kind = name, key, kind
        current.save(update_fields=["name", "key", "kind"])
        _keep_spellings({current.pk: {old_name, name}})
        record(
            actor,
            "organisation.change",
            name,
            old_name if old_name != name else "",
            {"organisation": current.pk, "kind": kind},
        )
    return current


def add_alias(actor: Actor, organisation: Organisation, text: str) -> OrganisationAlias:
    """Record one more way the organisation is written; a spelling that belongs to another
    organisation is refused (merge the two instead)."""
    require(actor, "directory.change_organisation", _("Нет права изменять справочник организаций."))
    text = " ".join(text.split())
    if not text:
        raise ValidationError(_("Нужно написание."), code="required")
    with transaction.atomic():
        alias, created = OrganisationAlias.objects.get_or_create(
            text=text, defaults={"organisation": organisation}
        )
        if alias.organisation_id != organisation.pk:
            raise ValidationError(
                _("Написание «%(text)s» уже относится к организации «%(other)s».")
                % {"text": text, "other": alias.organisation},
                code="taken",
            )
        if created:
            record(actor, "organisation.alias", str(organisation), text, {"alias": alias.pk})
    return alias


def set_collective(actor: Actor, organisation: Organisation, collective: bool) -> Organisation:
    """Mark an entry as a group of organisations (shown as text on the public pages) or as
    one organisation, when the rule on its name got it wrong."""
    require(actor, "directory.change_organisation", _("Нет права изменять справочник организаций."))
    with transaction.atomic():
        current = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if current.collective != collective:
            current.collective = collective
            current.save(update_fields=["collective"])
            record(
                actor,
                "organisation.collective",
                current.name,
                _("Группа организаций") if collective else _("Одна организация"),
                {"organisation": current.pk, "collective": collective},
            )
    return current


# --- merging, and undoing a merge ---------------------------------------------------------------

_FIELDS = ("name", "key", "kind", "collective")


def merge_organisations(actor: Actor, keep: Organisation, duplicate: Organisation) -> Organisation:
    """The duplicate's links (responsibilities, membership, coordinators, submissions, plans it
    owns), its name and its spellings move to `keep`, and the duplicate is deleted. A link that
    cannot move (a membership when `keep` has its own) is deleted with the duplicate.

    The audit event keeps all it takes to undo the merge (`undo_merge`): the duplicate's
    fields and spellings, the spellings `keep` gained, the id of every row moved (by model and
    field) and every row deleted, as Django serialises it."""
    require(actor, "directory.merge_organisation", _("Нет права объединять организации."))
    if keep.pk == duplicate.pk:
        raise ValidationError(_("Организацию нельзя объединить с ней самой."), code="same")
    with transaction.atomic():
        keep = Organisation.objects.select_for_update().get(pk=keep.pk)
        duplicate = Organisation.objects.select_for_update().get(pk=duplicate.pk)
        moved, removed = _move_links(duplicate, keep)
        aliases = sorted(duplicate.aliases.values_list("text", flat=True))
        spellings = {duplicate.name, *aliases}
        known = set(keep.aliases.filter(text__in=spellings).values_list("text", flat=True))
        duplicate_id = duplicate.pk  # delete() forgets it
        duplicate.aliases.all().delete()
        duplicate.delete()
        _keep_spellings({keep.pk: spellings})
        record(
            actor,
            MERGE,
            str(keep),
            _("Объединена с «%(duplicate)s»") % {"duplicate": duplicate.name},
            {
                "organisation": keep.pk,
                "duplicate": duplicate.name,
                "duplicate_id": duplicate_id,
                "fields": {name: getattr(duplicate, name) for name in _FIELDS},
                "aliases": aliases,
                "added_aliases": sorted(spellings - known),
                "moved": moved,
                "removed": removed,
            },
        )
    return keep


def _links() -> list[tuple[type[models.Model], str]]:
    """(model, field) of every concrete link to an organisation outside its spellings, in
    whichever app (read from the model's relations, so the directory need not know the apps
    above it)."""
    return [
        (relation.related_model, relation.field.name)
        for relation in Organisation._meta.related_objects
        if relation.related_model is not OrganisationAlias and relation.field.concrete
    ]


def _move_links(
    source: Organisation, target: Organisation
) -> tuple[dict[str, list[int]], list[dict[str, Any]]]:
    """Point every row that refers to `source` at `target`; a row that cannot move (a
    one-to-one link `target` has already, a row it would duplicate) is deleted. The ids moved,
    by "app.model.field", and the rows deleted, serialised."""
    moved: dict[str, list[int]] = {}
    removed: list[dict[str, Any]] = []
    for model, name in _links():
        rows = model._default_manager.filter(**{name: source})
        ids = list(rows.values_list("pk", flat=True))
        if not ids:
            continue
        label = f"{model._meta.label_lower}.{name}"
        try:
            with transaction.atomic():
                rows.update(**{name: target})
            moved[label] = ids
            continue
        except IntegrityError:  # one by one: those that can move, move
            pass
        stuck = []
        for pk in ids:
            try:
                with transaction.atomic():
                    model._default_manager.filter(pk=pk).update(**{name: target})
                moved.setdefault(label, []).append(pk)
            except IntegrityError:
                stuck.append(pk)
        left = model._default_manager.filter(pk__in=stuck)
        removed.extend(json.loads(serializers.serialize("json", left)))
        left.delete()
    return moved, removed


def undo_merge(actor: Actor, event: Event) -> Organisation:
    """Undo a merge from its audit event: the duplicate again (its fields, its id when free,
    its spellings), exactly the rows the merge moved that still point at the kept organisation
    moved back, the rows it deleted restored, and the spellings the merge gave the kept
    organisation taken away. Refused when that cannot be done cleanly."""
    require(actor, "directory.merge_organisation", _("Нет права объединять организации."))
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        keep = _undoable(event)
        data = event.data
        duplicate = Organisation(**data["fields"])
        if not Organisation.objects.filter(pk=data.get("duplicate_id")).exists():
            duplicate.pk = data.get("duplicate_id")
        duplicate.save(force_insert=True)
        OrganisationAlias.objects.filter(organisation=keep, text__in=data["added_aliases"]).delete()
        OrganisationAlias.objects.bulk_create(
            [OrganisationAlias(organisation=duplicate, text=text) for text in data["aliases"]],
            ignore_conflicts=True,
        )
        back = 0
        for label, ids in data["moved"].items():
            model, name = _model_field(label)
            back += model._default_manager.filter(pk__in=ids, **{name: keep}).update(
                **{name: duplicate}
            )
        restored = _restore(data["removed"], data["duplicate_id"], duplicate.pk)
        record(
            actor,
            UNMERGE,
            duplicate.name,
            _("Отменено объединение с «%(keep)s»") % {"keep": keep.name},
            {
                "merge": event.pk,
                "organisation": duplicate.pk,
                "keep": keep.pk,
                "moved_back": back,
                "restored": restored,
            },
        )
    return duplicate


def _undoable(event: Event) -> Organisation:
    """The kept organisation of a merge that can be undone, else ValidationError."""
    data = event.data or {}
    if event.action != MERGE or "fields" not in data or "moved" not in data:
        raise ValidationError(
            _("Это объединение нельзя отменить: журнал не хранит, что было перенесено."),
            code="unknown",
        )
    if Event.objects.filter(action=UNMERGE, data__merge=event.pk).exists():
        raise ValidationError(_("Это объединение уже отменено."), code="undone")
    keep = Organisation.objects.select_for_update().filter(pk=data["organisation"]).first()
    if keep is None:
        raise ValidationError(
            _("Нельзя отменить: организации, в которую объединяли, больше нет."),
            code="gone",
        )
    fields = data["fields"]
    taken = Organisation.objects.filter(key=fields["key"]).first()
    if taken is not None:
        raise ValidationError(
            _("Нельзя отменить: название «%(name)s» уже у организации «%(other)s».")
            % {"name": fields["name"], "other": taken.name},
            code="taken",
        )
    spellings = OrganisationAlias.objects.filter(text__in=data["aliases"]).exclude(
        organisation=keep
    )
    if spellings.exists():
        raise ValidationError(
            _("Нельзя отменить: написания объединённой организации теперь у другой."),
            code="spellings",
        )
    return keep


def _model_field(label: str) -> tuple[type[models.Model], str]:
    app_model, _dot, name = label.rpartition(".")
    return apps.get_model(app_model), name


def _restore(rows: list[dict[str, Any]], old: int, new: int) -> int:
    """Save again the rows a merge deleted, their links to the duplicate's old id pointed at
    its new one (the same unless it was taken); a row that no longer fits is left out."""
    restored = 0
    for item in serializers.deserialize("json", json.dumps(rows)):
        for field in item.object._meta.concrete_fields:
            linked = field.is_relation and field.related_model is Organisation
            if linked and getattr(item.object, field.attname) == old:
                setattr(item.object, field.attname, new)
        try:
            with transaction.atomic():
                item.save()
            restored += 1
        except IntegrityError:
            continue
    return restored


# --- the members' registry ----------------------------------------------------------------------


def save_membership(
    actor: Actor,
    organisation: Organisation,
    *,
    status: str,
    joined_on: date | None = None,
    left_on: date | None = None,
    city: str = "",
    region: str = "",
    population: int | None = None,
    coordinator: str = "",
    notes: str = "",
) -> Membership:
    """Create or change an organisation's membership. The status and the leaving date agree:
    a member that left has the date, one that has not left has none. The city is a name: the
    directory's place of that city (created when new)."""
    require(actor, "directory.change_membership", _("Нет права изменять реестр членов."))
    if status not in Membership.Status.values:
        raise ValidationError(_("Неизвестное состояние членства."), code="status")
    if status == Membership.Status.LEFT and left_on is None:
        raise ValidationError(_("Укажите дату выхода из Ассоциации."), code="left_on")
    if status != Membership.Status.LEFT and left_on is not None:
        raise ValidationError(
            _("Дата выхода указывается только для вышедших из Ассоциации."), code="left_on"
        )
    if joined_on and left_on and left_on < joined_on:
        raise ValidationError(_("Дата выхода раньше даты вступления."), code="dates")
    if population is not None and population <= 0:
        raise ValidationError(_("Население — положительное число."), code="population")
    region = " ".join(region.split())
    values = {
        "status": status,
        "joined_on": joined_on,
        "left_on": left_on,
        "region": region,
        "population": population,
        "coordinator": " ".join(coordinator.split()),
        "notes": notes.strip(),
    }
    with transaction.atomic():
        values["city"] = _city(city, region)
        membership, created = Membership.objects.update_or_create(
            organisation=organisation, defaults=values
        )
        record(
            actor,
            "membership.create" if created else "membership.change",
            organisation.name,
            membership.get_status_display(),
            {"organisation": organisation.pk, "membership": membership.pk, "status": status},
        )
    return membership


def _city(name: str, region: str) -> Place | None:
    """The place of a city named by staff: the one the directory has (in that region, when
    both say one), else a new one."""
    name = " ".join(name.split())
    if not name:
        return None
    known = Place.objects.filter(city=name, venue="").order_by("pk")
    if region:
        known = known.filter(region__in=(region, ""))
    found = known.first()
    if found is not None:
        return found
    return Place.objects.create(city=name, region=region, country="Россия", venue="")


# --- places --------------------------------------------------------------------------------------


def place_keys(reading: PlaceReading) -> list[PlaceKey]:
    """The directory places of a venue cell read: each city, then the venue (in the first city,
    or on its own in Russia)."""
    keys = [(city.name, city.region or "", city.country, "") for city in reading.cities]
    if reading.venue:
        first = reading.cities[0] if reading.cities else None
        if first is None:
            keys.append(("", "", "Россия", reading.venue))
        else:
            keys.append((first.name, first.region or "", first.country, reading.venue))
    return keys


def places_for(readings: Iterable[PlaceReading]) -> dict[PlaceKey, int]:
    """The id of the Place of every city and venue in these readings, new ones created, in
    three steps: the known ones, the others inserted in bulk, their ids read back."""
    wanted = {key for reading in readings for key in place_keys(reading)}
    ids = _place_ids({key[0] for key in wanted}, wanted)
    fresh = sorted(wanted - ids.keys())
    _insert(Place, ("city", "region", "country", "venue"), fresh)
    ids.update(_place_ids({key[0] for key in fresh}, set(fresh)))
    return ids


def _place_ids(cities: set[str], wanted: set[PlaceKey]) -> dict[PlaceKey, int]:
    """The ids of the `wanted` places, read with every place of their `cities`."""
    if not cities:
        return {}
    rows = Place.objects.filter(city__in=cities).values_list(
        "city", "region", "country", "venue", "pk"
    )
    return {key: pk for *fields, pk in rows if (key := tuple(fields)) in wanted}
