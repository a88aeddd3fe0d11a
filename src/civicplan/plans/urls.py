from django.urls import path, register_converter

from civicplan.common.pagecache import public_page
from civicplan.plans import feeds, views


class ExportFormat:
    regex = "docx|pdf|xlsx|csv|json"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ExportFormat, "export")

app_name = "plans"

urlpatterns = [
    path("plans/<int:year>/", public_page(views.plan_page), name="plan"),
    path(
        "plans/<int:year>.<export:format_name>", public_page(views.plan_download), name="download"
    ),
    path("plans/<int:year>.<export:format_name>/state", views.export_state, name="export_state"),
    path("activities/<int:pk>.ics", public_page(feeds.activity_ics), name="activity_ics"),
    path("calendar.ics", public_page(feeds.calendar_feed), name="calendar"),
    path("staff/import/", views.import_upload, name="import"),
    path("staff/import/<str:token>/", views.import_job, name="import_job"),
    path("staff/import/<str:token>/state", views.import_state, name="import_state"),
    path("staff/import/<str:token>/columns/", views.import_columns, name="import_columns"),
    path("staff/import/<str:token>/year/", views.import_year, name="import_year"),
    path("staff/import/<str:token>/confirm/", views.import_confirm, name="import_confirm"),
]
