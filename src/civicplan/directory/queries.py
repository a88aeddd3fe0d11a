"""Reading the directory for other apps."""

from __future__ import annotations

from civicplan.directory.models import Organisation, OrganisationAlias
from civicplan.plandoc import OrganisationIndex


def organisation_index() -> OrganisationIndex:
    """Every organisation and spelling in the database, so a plan's rows are matched to them."""
    aliases: dict[int, list[str]] = {}
    for organisation_id, text in OrganisationAlias.objects.values_list("organisation_id", "text"):
        aliases.setdefault(organisation_id, []).append(text)
    index = OrganisationIndex()
    for pk, name, kind in Organisation.objects.values_list("pk", "name", "kind"):
        index.add(name, kind, aliases=aliases.get(pk, ()))
    return index
