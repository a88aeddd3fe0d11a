from django.urls import path

from civicplan.web import calendar_views, pages, search
from civicplan.web.pagecache import public_page

app_name = "web"

urlpatterns = [
    path("calendar/", public_page(calendar_views.calendar_list), name="calendar"),
    path(
        "calendar/<int:year>-<int:month>/",
        public_page(calendar_views.calendar_month),
        name="calendar_month",
    ),
    path("calendar/timeline/<int:year>/", public_page(calendar_views.timeline), name="timeline"),
    path("search/", public_page(search.search), name="search"),
    path(
        "organisations/<int:pk>-<str:slug>/", public_page(pages.organisation), name="organisation"
    ),
    path("cities/<str:slug>/", public_page(pages.city), name="city"),
]
