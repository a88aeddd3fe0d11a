from django.urls import path

from civicplan.common.pagecache import public_page
from civicplan.newsroom import feeds, members, moderation, news

app_name = "newsroom"

urlpatterns = [
    path("news/", news.news_list, name="news"),
    path("news/rss.xml", public_page(feeds.NewsRss()), name="rss"),
    path("news/atom.xml", public_page(feeds.NewsAtom()), name="atom"),
    path("news/files/<int:pk>/", news.attachment, name="attachment"),
    path("news/<int:pk>-<str:slug>/", news.news_item, name="news_item"),
    path("account/submit/", members.submit_material, name="submit"),
    path("account/propose/", members.propose, name="propose"),
    path("account/submissions/<int:pk>/", members.submission_detail, name="member_submission"),
    path(
        "account/submissions/<int:pk>/files/<int:attachment_pk>/",
        members.attachment,
        name="member_attachment",
    ),
    path("staff/newsroom/", moderation.queue, name="queue"),
    path("staff/newsroom/<int:pk>/", moderation.submission_page, name="submission"),
    path("staff/newsroom/<int:pk>/edit/", moderation.edit, name="edit"),
    path("staff/newsroom/<int:pk>/activity/", moderation.confirm_activity, name="activity"),
    path("staff/newsroom/<int:pk>/publish/", moderation.publish, name="publish"),
    path(
        "staff/newsroom/<int:pk>/request-changes/",
        moderation.request_changes,
        name="request_changes",
    ),
    path("staff/newsroom/<int:pk>/reject/", moderation.reject, name="reject"),
    path("staff/newsroom/<int:pk>/accept/", moderation.accept, name="accept"),
    path("staff/newsroom/<int:pk>/include/", moderation.include, name="include"),
]
