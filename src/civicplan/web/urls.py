from django.urls import path

from civicplan.common.pagecache import public_page
from civicplan.web import account, activity, calendar_views, directory_views, pages, search

app_name = "web"

urlpatterns = [
    path("", public_page(pages.home), name="home"),
    path("activities/<int:pk>-<str:slug>/", public_page(activity.activity_page), name="activity"),
    path("calendar/", public_page(calendar_views.calendar_list), name="calendar"),
    path(
        "calendar/<int:year>-<int:month>/",
        public_page(calendar_views.calendar_month),
        name="calendar_month",
    ),
    path("calendar/timeline/<int:year>/", public_page(calendar_views.timeline), name="timeline"),
    path("search/", public_page(search.search), name="search"),
    path("account/", account.home, name="account"),
    path(
        "organisations/<int:pk>-<str:slug>/", public_page(pages.organisation), name="organisation"
    ),
    path("cities/<str:slug>/", public_page(pages.city), name="city"),
    path("members/", public_page(directory_views.members), name="members"),
    path("staff/members/", directory_views.staff_members, name="staff_members"),
    path("staff/organisations/", directory_views.organisations, name="staff_organisations"),
    path(
        "staff/organisations/<int:pk>/",
        directory_views.organisation,
        name="staff_organisation",
    ),
    path(
        "staff/organisations/<int:pk>/rename/",
        directory_views.rename,
        name="staff_organisation_rename",
    ),
    path(
        "staff/organisations/<int:pk>/alias/",
        directory_views.add_alias,
        name="staff_organisation_alias",
    ),
    path(
        "staff/organisations/<int:pk>/collective/",
        directory_views.set_collective,
        name="staff_organisation_collective",
    ),
    path(
        "staff/organisations/<int:pk>/merge/",
        directory_views.merge,
        name="staff_organisation_merge",
    ),
    path(
        "staff/organisations/<int:pk>/membership/",
        directory_views.save_membership,
        name="staff_organisation_membership",
    ),
    path(
        "staff/organisations/merges/<int:pk>/undo/",
        directory_views.undo_merge,
        name="staff_merge_undo",
    ),
]
