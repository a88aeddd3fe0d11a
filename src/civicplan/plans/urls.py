from django.urls import path, register_converter

from civicplan.plans import feeds, views
from civicplan.web import pages


class ExportFormat:
    regex = "docx|pdf|xlsx|csv|json"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ExportFormat, "export")

app_name = "plans"

urlpatterns = [
    path("", pages.home, name="home"),
    path("plans/<int:year>/", views.plan_page, name="plan"),
    path("plans/<int:year>.<export:format_name>", views.plan_download, name="download"),
    path("activities/<int:pk>-<str:slug>/", views.activity_page, name="activity"),
    path("activities/<int:pk>.ics", feeds.activity_ics, name="activity_ics"),
    path("calendar.ics", feeds.calendar_feed, name="calendar"),
    path("staff/import/", views.import_upload, name="import"),
    path("staff/import/<str:token>/confirm/", views.import_confirm, name="import_confirm"),
]
