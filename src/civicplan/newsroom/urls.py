from django.urls import include, path

from civicplan.common.pagecache import public_page
from civicplan.newsroom import feeds, members, moderation, news

app_name = "newsroom"

public = [
    path("", news.news_list, name="news"),
    path("rss.xml", public_page(feeds.NewsRss()), name="rss"),
    path("atom.xml", public_page(feeds.NewsAtom()), name="atom"),
    path("files/<int:pk>/", news.attachment, name="attachment"),
    path("<int:pk>-<str:slug>/", news.news_item, name="news_item"),
]
# The members' pages live in their area, /account/, beside the accounts' own.
for_members = [
    path("submit/", members.submit_material, name="submit"),
    path("propose/", members.propose, name="propose"),
    path("submissions/<int:pk>/", members.submission_detail, name="member_submission"),
    path(
        "submissions/<int:pk>/files/<int:attachment_pk>/",
        members.attachment,
        name="member_attachment",
    ),
]
# A submission's page for staff and the decisions on it, each a POST.
decisions = [
    path("", moderation.submission_page, name="submission"),
    path("edit/", moderation.edit, name="edit"),
    path("activity/", moderation.confirm_activity, name="activity"),
    path("publish/", moderation.publish, name="publish"),
    path("request-changes/", moderation.request_changes, name="request_changes"),
    path("reject/", moderation.reject, name="reject"),
    path("accept/", moderation.accept, name="accept"),
    path("include/", moderation.include, name="include"),
]

urlpatterns = [
    path("news/", include(public)),
    path("account/", include(for_members)),
    path("staff/newsroom/", moderation.queue, name="queue"),
    path("staff/newsroom/<int:pk>/", include(decisions)),
]
