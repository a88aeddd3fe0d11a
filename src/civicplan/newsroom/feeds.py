"""The news as RSS 2.0 and Atom (django.contrib.syndication): the latest publications, each with
its cleaned HTML (or its text as paragraphs) and its files as enclosures, all links absolute.
Two queries per feed."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.translation import gettext_lazy as _

from civicplan.common.owner import owner_name
from civicplan.newsroom.display import body_html
from civicplan.newsroom.models import Attachment, Submission
from civicplan.newsroom.queries import published

ITEMS = 30


class NewsRss(Feed):
    feed_type = Rss201rev2Feed
    description = _("Пресс-релизы, пост-релизы, методические материалы и лучшие практики.")

    def title(self) -> str:
        return _("Новости: %(owner)s") % {"owner": owner_name()}

    def get_object(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpRequest:
        return request  # the items' enclosure links are made absolute with it

    def link(self) -> str:
        return reverse("newsroom:news")

    def feed_url(self) -> str:
        return reverse("newsroom:rss")

    def items(self, request: HttpRequest) -> list[Submission]:
        items = list(
            published().prefetch_related(
                Prefetch("attachments", queryset=Attachment.objects.order_by("id"))
            )[:ITEMS]
        )
        for item in items:
            item.enclosure_list = [
                Enclosure(
                    request.build_absolute_uri(reverse("newsroom:attachment", args=[file.pk])),
                    str(file.size),
                    file.content_type,
                )
                for file in item.attachments.all()
            ]
        return items

    def item_title(self, item: Submission) -> str:
        return item.title

    def item_description(self, item: Submission) -> str:
        return body_html(item)

    def item_pubdate(self, item: Submission):
        return item.published

    def item_updateddate(self, item: Submission):
        return item.modified

    def item_author_name(self, item: Submission) -> str | None:
        return item.organisation.name if item.organisation else None

    def item_categories(self, item: Submission) -> tuple[str, ...]:
        return (str(item.get_kind_display()),)

    def item_enclosures(self, item: Submission) -> list[Enclosure]:
        return item.enclosure_list[:1]  # RSS 2.0 allows one enclosure per item


class NewsAtom(NewsRss):
    feed_type = Atom1Feed
    subtitle = NewsRss.description

    def feed_url(self) -> str:
        return reverse("newsroom:atom")

    def item_enclosures(self, item: Submission) -> list[Enclosure]:
        return item.enclosure_list
