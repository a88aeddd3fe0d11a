"""A member's proposal turned into a row of the draft plan, read the way an imported row is read:
the time frame by `civicplan.timeframes`, the kind and the venue by `civicplan.plandoc`, the
partners matched to the organisations already known. Called by
`civicplan.newsroom.actions.include_proposal` inside its transaction (no checks here).
"""

from __future__ import annotations

from django.db.models import Max

from civicplan.directory.models import Organisation, OrganisationAlias, Place
from civicplan.newsroom.footnotes import proposal_footnote
from civicplan.newsroom.models import Submission
from civicplan.plandoc.activities import read_involvement, read_kind
from civicplan.plandoc.model import Place as PlaceReading
from civicplan.plandoc.organisations import classify, organisation_key, read_responsible
from civicplan.plandoc.places import read_format, read_place
from civicplan.plans.importing import known_organisations
from civicplan.plans.models import Activity, ActivityPlace, Plan, Responsibility
from civicplan.plans.searchindex import index_activity
from civicplan.timeframes import parse


def append_activity(plan: Plan, submission: Submission) -> Activity:
    """Append the proposal to `plan` as its last row, in the plan's last section."""
    organisation = submission.organisation
    assert organisation is not None  # the action checks it
    when = parse(submission.proposal_when, default_year=plan.year)
    place = read_place(submission.proposal_place)
    partners = submission.proposal_partners.strip()
    last = plan.activities.aggregate(last=Max("position"))["last"] or 0
    activity = Activity.objects.create(
        plan=plan,
        section=plan.sections.order_by("-position").first(),
        position=last + 1,
        when_text=submission.proposal_when.strip(),
        start=when.start,
        end=when.end,
        precision=when.precision,
        recurrence=when.recurrence or "",
        deadline=when.deadline,
        title=submission.title.strip(),
        kind=read_kind(submission.title),
        involvement=read_involvement(submission.title),
        format=read_format(submission.proposal_place) or "",
        place_text=submission.proposal_place.strip(),
        responsible_text=", ".join(part for part in (organisation.name, partners) if part),
        notes=[proposal_footnote(organisation.name)],
    )
    _responsibilities(activity, organisation, partners)
    _places(activity, place)
    index_activity(activity)
    activity.save(update_fields=["search_lemmas"])
    return activity


def _responsibilities(activity: Activity, organisation: Organisation, partners: str) -> None:
    """The proposing organisation as organiser, then each partner in the role its cell gives
    ("при поддержке …" is a supporter), matched to a known organisation exactly or by a trusted
    near miss (`OrganisationIndex`); a partner never seen becomes a new organisation, as on
    import, so every name of the row links to a page."""
    links = [
        Responsibility(
            activity=activity,
            organisation=organisation,
            role=Responsibility.Role.ORGANISER,
            written_as=organisation.name,
            position=0,
        )
    ]
    seen = {organisation.pk}
    index = known_organisations()
    for party in read_responsible(partners) if partners else []:
        match = index.resolve(party.name)
        known = None
        if match.how != "new":
            known = Organisation.objects.filter(key=organisation_key(match.name)).first()
        if known is None:
            known = _new_organisation(party.name, party.kind)
        if known.pk in seen:
            continue
        seen.add(known.pk)
        links.append(
            Responsibility(
                activity=activity,
                organisation=known,
                role=party.role,
                written_as=party.name,
                contact=party.contact or "",
                position=len(links),
            )
        )
    Responsibility.objects.bulk_create(links)


def _new_organisation(name: str, kind: str) -> Organisation:
    organisation, created = Organisation.objects.get_or_create(
        key=organisation_key(name),
        defaults={"name": name, "kind": kind if kind != "other" else classify(name)},
    )
    if created:
        OrganisationAlias.objects.bulk_create(
            [OrganisationAlias(organisation=organisation, text=name)], ignore_conflicts=True
        )
    return organisation


def _places(activity: Activity, place: PlaceReading) -> None:
    """The cities, venue and scope of the venue text, as the importer links them."""
    located: list[ActivityPlace] = []
    for city in place.cities:
        located.append(
            ActivityPlace(
                activity=activity,
                place=_place(city.name, city.region or "", city.country, ""),
                position=len(located),
            )
        )
    if place.venue:
        first = place.cities[0] if place.cities else None
        located.append(
            ActivityPlace(
                activity=activity,
                place=_place(
                    first.name if first else "",
                    (first.region or "") if first else "",
                    first.country if first else "Россия",
                    place.venue,
                ),
                position=len(located),
            )
        )
    if place.scope:
        located.append(ActivityPlace(activity=activity, scope=place.scope, position=len(located)))
    ActivityPlace.objects.bulk_create(located)


def _place(city: str, region: str, country: str, venue: str) -> Place:
    found, _created = Place.objects.get_or_create(
        city=city, region=region, country=country, venue=venue
    )
    return found
