"""The public news: the list, one news page, and attachment downloads.

Only published submissions are public; anything else is a 404 (not a 403), so the public cannot
tell an unpublished submission from one that does not exist. Each page runs a fixed number of
queries whatever the number of news items, and the anonymous visitor's copy is shared through
the public page cache (`civicplan.common.pagecache`: every publication or edit writes the audit
log, which is the cache's version).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from civicplan.common.pagecache import public_page
from civicplan.common.paging import paginate
from civicplan.newsroom.forms import NewsFilter
from civicplan.newsroom.models import Attachment, Submission
from civicplan.newsroom.queries import published
from civicplan.plans.queries import public_organisations, visible_plans

PER_PAGE = 20


@require_safe
@public_page
def news_list(request: HttpRequest) -> HttpResponse:
    """Published news, newest first, 20 a page, optionally by kind and organisation. Three
    queries (four with an organisation chosen)."""
    form = NewsFilter(request.GET)
    if not form.is_valid():
        return render(request, "newsroom/news_list.html", {"form": form}, status=400)
    items = published()
    if form.cleaned_data["kind"]:
        items = items.filter(kind=form.cleaned_data["kind"])
    if form.cleaned_data["organisation"]:
        items = items.filter(organisation=form.cleaned_data["organisation"])
    pager = paginate(items, PER_PAGE, request, keep=tuple(form.fields))
    filtered = any(request.GET.get(name) for name in form.fields)
    return render(
        request,
        "newsroom/news_list.html",
        {"form": form, "pager": pager, "filtered": filtered},
    )


@require_safe
@public_page
def news_item(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """One published submission with its images and files; its organisation and activity are
    linked where their pages are visible to the reader. Two queries."""
    plans = visible_plans(request.user)
    item = get_object_or_404(
        Submission.objects.filter(status=Submission.Status.PUBLISHED)
        .select_related("organisation", "activity__plan")
        .annotate(
            # The organisation's page exists only for organisations the public plans name.
            organisation_public=Exists(
                public_organisations(plans).filter(pk=OuterRef("organisation_id"))
            ),
            activity_public=Exists(plans.filter(pk=OuterRef("activity__plan_id"))),
        )
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id"))),
        pk=pk,
    )
    if slug != item.slug:  # an old or mistyped slug
        return redirect(item.get_absolute_url(), permanent=True)
    attachments = list(item.attachments.all())
    return render(
        request,
        "newsroom/news_item.html",
        {
            "item": item,
            "images": [attachment for attachment in attachments if attachment.is_image],
            "files": [attachment for attachment in attachments if not attachment.is_image],
            "activity": item.activity if item.activity_public else None,
            "absolute_url": request.build_absolute_uri(item.get_absolute_url()),
        },
    )


@require_safe
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """An attachment's bytes, typed by their sniffed content. A published submission's files
    are public; others only for who may see the submission (staff, its coordinator), and a 404
    for everyone else."""
    found = get_object_or_404(Attachment.objects.select_related("submission"), pk=pk)
    public = found.submission.status == Submission.Status.PUBLISHED
    if not public and not request.user.has_perm("newsroom.view_submission", found.submission):
        raise Http404(_("Файл не найден."))
    response = FileResponse(
        found.file.open("rb"),
        content_type=found.content_type,
        as_attachment=not found.is_image,
        filename=found.download_name,
    )
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response
