"""Reading the directory for other apps."""

from __future__ import annotations

from civicplan.audit.models import Event
from civicplan.directory.models import Organisation, OrganisationAlias
from civicplan.plandoc import OrganisationIndex
from civicplan.plandoc.organisations import organisation_key
from civicplan.text import fold

MERGE = "organisation.merge"  # the audit actions of a merge and of its undoing
UNMERGE = "organisation.unmerge"


def organisation_index() -> OrganisationIndex:
    """Every organisation and spelling in the database, so a plan's rows are matched to them."""
    aliases: dict[int, list[str]] = {}
    for organisation_id, text in OrganisationAlias.objects.values_list("organisation_id", "text"):
        aliases.setdefault(organisation_id, []).append(text)
    index = OrganisationIndex()
    for pk, name, kind in Organisation.objects.values_list("pk", "name", "kind"):
        index.add(name, kind, aliases=aliases.get(pk, ()))
    return index


def organisation_ids(q: str = "", kind: str = "", collective: bool | None = None) -> list[int]:
    """The ids of the organisations the staff's list shows, by name (then id): with a query,
    those with every query word in the name or in one spelling (case and ё aside), or with the
    query as a known abbreviation or full form in their key («Минздрав» finds «Министерство
    здравоохранения …»). Kind and collective narrow it. One query, of narrow rows: a page then
    reads its own organisations, whatever the size of the directory."""
    found = Organisation.objects.all()
    if kind:
        found = found.filter(kind=kind)
    if collective is not None:
        found = found.filter(collective=collective)
    words = fold(q).split()
    if not words:
        return list(found.order_by("name", "pk").values_list("pk", flat=True))
    key = organisation_key(q)
    names: dict[int, str] = {}
    for pk, name, known_key, alias in found.values_list("pk", "name", "key", "aliases__text"):
        if pk in names:
            continue
        if (
            _has_words(name, words)
            or (alias and _has_words(alias, words))
            or (key and key in known_key)
        ):
            names[pk] = name
    return sorted(names, key=lambda pk: (names[pk], pk))


def _has_words(text: str, words: list[str]) -> bool:
    folded = fold(text)
    return all(word in folded for word in words)


def match_organisations(q: str, exclude: int | None = None, limit: int = 20) -> list[Organisation]:
    """The organisations a staff member may mean by `q` (the merge's "pick the duplicate"),
    the first `limit` by name. Two queries."""
    if not fold(q):
        return []
    ids = [pk for pk in organisation_ids(q) if pk != exclude][:limit]
    found = Organisation.objects.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def merges_of(organisation: Organisation) -> list[Event]:
    """The merges into this organisation, newest first, each with `undone` (bool)."""
    events = list(Event.objects.filter(action=MERGE, data__organisation=organisation.pk))
    undone = set(
        Event.objects.filter(
            action=UNMERGE, data__merge__in=[event.pk for event in events]
        ).values_list("data__merge", flat=True)
    )
    for event in events:
        event.undone = event.pk in undone
    return events
