"""The organisations directory as the directorate works in it, and the public members' page.

Here in `web`, not in `directory`, because the pages count what other apps' rows say of an
organisation (plan rows it is responsible for, submissions, plans it owns, its coordinators),
and the directory sits below those apps. Thin views: every change is one call of
`civicplan.directory.actions`, which checks the permission again and writes the audit event;
a refusal is shown as the page's message.

Queries, whatever the size of the directory: the list two (the ids in name order, the page's
organisations with their counts); an organisation's page a fixed handful.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.db.models.query import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civicplan.accounts.models import Coordinator
from civicplan.audit.models import Event
from civicplan.common.paging import paginate
from civicplan.common.views import attempt, requires
from civicplan.directory import actions, queries
from civicplan.directory.forms import (
    AliasForm,
    CollectiveForm,
    MembershipForm,
    MergeForm,
    OrganisationFilter,
    RenameForm,
)
from civicplan.directory.models import Membership, Organisation
from civicplan.newsroom.models import Submission
from civicplan.plans.models import Plan, Responsibility

PER_PAGE = 50
MEMBERS_PER_PAGE = 100
VIEW = "directory.view_organisation"
CHANGE = "directory.change_organisation"
MERGE = "directory.merge_organisation"
MEMBERSHIP = "directory.change_membership"


def _count(model: type, field: str = "organisation") -> Coalesce:
    """The number of `model` rows pointing at the organisation, as a subquery (two counts
    joined would multiply each other)."""
    rows = (
        model._default_manager.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def with_counts(organisations: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """Each organisation with `row_count` (plan rows it is responsible for),
    `submission_count` and `plan_count` (plans it owns)."""
    return organisations.annotate(
        row_count=_count(Responsibility),
        submission_count=_count(Submission),
        plan_count=_count(Plan, "owner"),
    )


# --- the list -------------------------------------------------------------------------------------


@require_GET
@requires(VIEW)
def organisations(request: HttpRequest) -> HttpResponse:
    """Every organisation by name, searched by any of its names, filtered by kind and by
    group, with its counts; PER_PAGE a page. Two queries."""
    form = OrganisationFilter(request.GET)
    if not form.is_valid():
        return render(request, "directory/organisations.html", {"form": form}, status=400)
    ids = queries.organisation_ids(
        form.cleaned_data["q"], form.cleaned_data["kind"], form.collective_value()
    )
    pager = paginate(ids, PER_PAGE, request, keep=tuple(form.fields))
    found = with_counts(Organisation.objects.filter(pk__in=list(pager.object_list)))
    by_id = {organisation.pk: organisation for organisation in found}
    rows = [by_id[pk] for pk in pager.object_list if pk in by_id]
    return render(
        request,
        "directory/organisations.html",
        {"form": form, "pager": pager, "organisations": rows},
    )


# --- one organisation -----------------------------------------------------------------------------


def _organisation(pk: int) -> Organisation:
    found = with_counts(
        Organisation.objects.filter(pk=pk).select_related("membership", "membership__city")
    ).first()
    if found is None:
        raise Http404(_("Организация не найдена."))
    return found


def _page(request: HttpRequest, organisation: Organisation, status: int = 200, **forms: object):
    membership = getattr(organisation, "membership", None)
    duplicate_q = " ".join(request.GET.get("duplicate", "").split())[:200]
    context = {
        "organisation": organisation,
        "aliases": list(organisation.aliases.values_list("text", flat=True)),
        "membership": membership,
        "coordinators": list(
            Coordinator.objects.filter(organisation=organisation)
            .select_related("user")
            .order_by("user__email")
        ),
        "merges": queries.merges_of(organisation),
        "duplicate_q": duplicate_q,
        "candidates": queries.match_organisations(duplicate_q, exclude=organisation.pk),
        "rename_form": RenameForm(initial={"name": organisation.name, "kind": organisation.kind}),
        "alias_form": AliasForm(),
        "collective_form": CollectiveForm(initial={"collective": organisation.collective}),
        "membership_form": MembershipForm.of(membership),
        **forms,
    }
    return render(request, "directory/organisation.html", context, status=status)


@require_GET
@requires(VIEW)
def organisation(request: HttpRequest, pk: int) -> HttpResponse:
    """An organisation with its spellings, counts, coordinators, membership and merges, and
    the forms to change each; `?duplicate=…` looks up the organisation to merge into it."""
    return _page(request, _organisation(pk))


def _back(pk: int, anchor: str = "") -> HttpResponse:
    return redirect(reverse("web:staff_organisation", args=[pk]) + anchor)


@require_POST
@requires(CHANGE)
def rename(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    form = RenameForm(request.POST)
    if not form.is_valid():
        return _page(request, _organisation(pk), 400, rename_form=form)
    name, kind = form.cleaned_data["name"], form.cleaned_data["kind"]
    if attempt(request, actions.change_organisation, organisation, name, kind):
        messages.success(request, _("Организация сохранена."))
    return _back(pk)


@require_POST
@requires(CHANGE)
def add_alias(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    form = AliasForm(request.POST)
    if not form.is_valid():
        return _page(request, _organisation(pk), 400, alias_form=form)
    if attempt(request, actions.add_alias, organisation, form.cleaned_data["text"]):
        messages.success(request, _("Написание добавлено."))
    return _back(pk, "#aliases")


@require_POST
@requires(CHANGE)
def set_collective(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    form = CollectiveForm(request.POST)
    form.is_valid()  # a checkbox: absent is False
    collective = form.cleaned_data.get("collective", False)
    actions.set_collective(request.user, organisation, collective)
    messages.success(
        request,
        _("Отмечено: группа организаций.") if collective else _("Отмечено: одна организация."),
    )
    return _back(pk)


@require_POST
@requires(MERGE)
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    """The chosen duplicate merged into this organisation."""
    keep = get_object_or_404(Organisation, pk=pk)
    form = MergeForm(request.POST)
    if not form.is_valid():
        return _page(request, _organisation(pk), 400)
    duplicate = get_object_or_404(Organisation, pk=form.cleaned_data["duplicate"])
    name = duplicate.name
    if attempt(request, actions.merge_organisations, keep, duplicate):
        messages.success(
            request, _("«%(duplicate)s» объединена с этой организацией.") % {"duplicate": name}
        )
    return _back(pk, "#merges")


@require_POST
@requires(MERGE)
def undo_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """A merge undone from its audit event: back to the recreated organisation's page."""
    event = get_object_or_404(Event, pk=pk, action=queries.MERGE)
    restored = attempt(request, actions.undo_merge, event)
    if restored is None:
        keep = event.data.get("organisation")
        if Organisation.objects.filter(pk=keep).exists():
            return _back(keep, "#merges")
        return redirect("web:staff_organisations")
    messages.success(request, _("Объединение отменено."))
    return _back(restored.pk)


@require_POST
@requires(MEMBERSHIP)
def save_membership(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    form = MembershipForm(request.POST)
    if not form.is_valid():
        return _page(request, _organisation(pk), 400, membership_form=form)
    if attempt(request, actions.save_membership, organisation, **form.cleaned_data):
        messages.success(request, _("Членство сохранено."))
    return _back(pk, "#membership")


# --- the members' registry -----------------------------------------------------------------------


@require_GET
@requires(MEMBERSHIP)
def staff_members(request: HttpRequest) -> HttpResponse:
    """The registry as staff keep it: every membership (or those of one status) with its
    coordinator and the members' users; `?q=` finds an organisation to make a member. Three
    queries."""
    status = request.GET.get("status", "")
    listed = Membership.objects.select_related("organisation", "city").order_by(
        "organisation__name", "pk"
    )
    counts = dict(listed.order_by().values_list("status").annotate(count=Count("pk")))
    if status in Membership.Status.values:
        listed = listed.filter(status=status)
    pager = paginate(listed, MEMBERS_PER_PAGE, request, keep=("status",))
    members = list(pager.object_list)
    users: dict[int, list[Coordinator]] = {}
    for coordinator in Coordinator.objects.filter(
        organisation__in=[member.organisation_id for member in members]
    ).select_related("user"):
        users.setdefault(coordinator.organisation_id, []).append(coordinator)
    for member in members:
        member.users = users.get(member.organisation_id, [])
    q = " ".join(request.GET.get("q", "").split())[:200]
    tabs = [
        {"value": value, "label": label, "count": counts.get(value, 0), "current": value == status}
        for value, label in Membership.Status.choices
    ]
    return render(
        request,
        "directory/members.html",
        {
            "pager": pager,
            "members": members,
            "tabs": tabs,
            "status": status,
            "total": sum(counts.values()),
            "q": q,
            "candidates": queries.match_organisations(q),
        },
    )


def members(request: HttpRequest) -> HttpResponse:
    """The public page «Члены Ассоциации»: the active member municipalities with their region
    and the year they joined, each linked to its page. Nothing about their contact people. One
    query."""
    listed = list(
        Membership.objects.filter(status=Membership.Status.ACTIVE, left_on__isnull=True)
        .select_related("organisation", "city")
        .only(
            "region",
            "joined_on",
            "organisation__name",
            "organisation__collective",
            "city__city",
            "city__region",
        )
        .order_by("organisation__name", "pk")
    )
    return render(request, "web/members.html", {"members": listed})
