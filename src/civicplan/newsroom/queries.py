"""Reading published submissions, each list in one query: for the news pages and feeds, and for
other apps' pages (the home page's latest news, an activity's reports)."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from civicplan.newsroom.models import Attachment, Submission

IMAGE_TYPES = (Attachment.Type.JPEG, Attachment.Type.PNG)


def published() -> QuerySet[Submission]:
    """Published submissions, newest first, each with `first_image_id` (its first JPEG or PNG
    attachment, or None) for a thumbnail, and its organisation."""
    first_image = (
        Attachment.objects.filter(submission=OuterRef("pk"), type__in=IMAGE_TYPES)
        .order_by("id")
        .values("id")[:1]
    )
    return (
        Submission.objects.filter(status=Submission.Status.PUBLISHED)
        .select_related("organisation")
        .annotate(first_image_id=Subquery(first_image))
        .order_by("-published", "-id")
    )


def latest_news(limit: int) -> list[Submission]:
    """The `limit` latest publications (one query), for the home page."""
    return list(published()[:limit])


def published_for_activity(activity_id: int) -> list[Submission]:
    """What was published about one activity, newest first (one query), for its page: the
    post-release that reports on it, press releases announcing it."""
    return list(published().filter(activity_id=activity_id))
