from django.urls import path

from civicplan.web import calendar_views, pages, search

app_name = "web"

urlpatterns = [
    path("calendar/", calendar_views.calendar_list, name="calendar"),
    path("calendar/<int:year>-<int:month>/", calendar_views.calendar_month, name="calendar_month"),
    path("calendar/timeline/<int:year>/", calendar_views.timeline, name="timeline"),
    path("search/", search.search, name="search"),
    path("organisations/<int:pk>-<str:slug>/", pages.organisation, name="organisation"),
    path("cities/<str:slug>/", pages.city, name="city"),
]
