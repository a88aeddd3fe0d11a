from django.urls import path

from civicplan.common.pagecache import public_page
from civicplan.web import account, activity, calendar_views, pages, search

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
]
