"""Every write to the directory: organisations (created, spelled another way, merged) and places.

Plans name organisations and places in free text; the import, a proposal included in a plan and
the staff's editing all come here to turn those readings into rows, so that one body written
differently stays one Organisation (its spellings kept as OrganisationAlias rows) and one city
one Place. The bulk functions (`organisations_for`, `places_for`) run inside the caller's
action, which checks the permission and writes the audit event; the single ones check and
record themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, models, router, transaction
from django.db.models.constants import OnConflict
from django.utils.translation import gettext as _

from civicplan.audit.actions import Actor, record, require
from civicplan.directory.models import Organisation, OrganisationAlias, Place
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
    """The organisation of each party, in four queries however many: the known ones by key,
    new ones for names never seen (their kind from the reading, else from the name) in one
    INSERT run and their ids read back, and every spelling seen kept as an alias."""
    spellings: dict[str, set[str]] = {}
    kinds: dict[str, str] = {}
    names: dict[str, str] = {}
    for party in parties:
        key = organisation_key(party.name)
        if not key:
            continue
        names.setdefault(key, party.name)
        kinds.setdefault(key, party.kind if party.kind != "other" else classify(party.name))
        spellings.setdefault(key, set()).update(
            spelling for spelling in (party.name, party.written_as) if spelling
        )
    by_key = _ids(Organisation, "key", names)
    fresh = [key for key in names if key not in by_key]
    _insert(Organisation, ("name", "key", "kind"), [(names[key], key, kinds[key]) for key in fresh])
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


# Writing in bulk: bulk_create builds a model instance and the SQL of every row in Python, which
# for the thousands of organisations and places of a plan costs more than the database's work;
# one INSERT run for every row (executemany) does not.


def _insert(
    model: type[models.Model],
    names: Sequence[str],
    rows: Sequence[Sequence[str | int]],
    on_conflict: OnConflict | None = None,
) -> None:
    """Insert `rows`, the values of the fields `names` of `model` as the database takes them
    (texts, and a foreign key by its id); with OnConflict.IGNORE a row that breaks a unique
    constraint is left out."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    statement = " ".join(
        (
            connection.ops.insert_statement(on_conflict=on_conflict),
            quote(model._meta.db_table),
            f"({', '.join(quote(field.column) for field in fields)})",
            f"VALUES ({', '.join(['%s'] * len(fields))})",
            connection.ops.on_conflict_suffix_sql(fields, on_conflict, None, None),
        )
    )
    with connection.cursor() as cursor:
        cursor.executemany(statement.rstrip(), rows)


def _ids(model: type[models.Model], name: str, values: Iterable[str]) -> dict[str, int]:
    """The ids of the rows of `model` whose unique field `name` has one of `values`."""
    wanted = list(values)
    if not wanted:
        return {}
    return dict(model.objects.filter(**{f"{name}__in": wanted}).values_list(name, "pk"))


def create_organisation(actor: Actor, name: str, kind: str = "") -> Organisation:
    """A new organisation, or the one this name already denotes (never two for one key); the
    name is kept as its first spelling."""
    require(actor, "directory.add_organisation", _("Нет права изменять справочник организаций."))
    name = " ".join(name.split())
    key = organisation_key(name)
    if not key:
        raise ValidationError(_("Нужно название организации."), code="required")
    with transaction.atomic():
        organisation, created = Organisation.objects.get_or_create(
            key=key, defaults={"name": name, "kind": kind or classify(name)}
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


def merge_organisations(actor: Actor, keep: Organisation, duplicate: Organisation) -> Organisation:
    """The duplicate's links (responsibilities, membership, coordinators, submissions, plans it
    owns), its name and its spellings move to `keep`, and the duplicate is deleted. A link that
    `keep` already has (a membership of its own) is left with the duplicate and goes with it."""
    require(actor, "directory.change_organisation", _("Нет права изменять справочник организаций."))
    if keep.pk == duplicate.pk:
        raise ValidationError(_("Организацию нельзя объединить с ней самой."), code="same")
    with transaction.atomic():
        moved = _move_links(duplicate, keep)
        spellings = {duplicate.name, *duplicate.aliases.values_list("text", flat=True)}
        duplicate.aliases.all().delete()
        duplicate.delete()
        _keep_spellings({keep.pk: spellings})
        record(
            actor,
            "organisation.merge",
            str(keep),
            _("Объединена с «%(duplicate)s»") % {"duplicate": duplicate.name},
            {"organisation": keep.pk, "duplicate": duplicate.name, "moved": moved},
        )
    return keep


def _move_links(source: Organisation, target: Organisation) -> dict[str, int]:
    """Point every row that refers to `source` at `target`, whichever app's model it is (read
    from the model's relations, so the directory need not know the apps above it)."""
    moved: dict[str, int] = {}
    for relation in Organisation._meta.related_objects:
        if relation.related_model is OrganisationAlias or not relation.field.concrete:
            continue
        manager = relation.related_model._default_manager
        rows = manager.filter(**{relation.field.name: source})
        label = relation.related_model._meta.label_lower
        try:
            with transaction.atomic():
                moved[label] = rows.update(**{relation.field.name: target})
        except IntegrityError:  # a one-to-one link `target` has already
            moved[label] = 0
    return moved


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
    three queries: the known ones, one INSERT run for the others, their ids read back."""
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
