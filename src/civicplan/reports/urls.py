from django.urls import path, register_converter

from civicplan.common.pagecache import public_page
from civicplan.reports import views


class ReportFormat:
    regex = "docx|pdf|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ReportFormat, "report")

app_name = "reports"

urlpatterns = [
    path("activities/<int:pk>/report/", views.report, name="report"),
    path("activities/<int:pk>/progress/", views.progress, name="progress"),
    path(
        "activities/<int:pk>/progress/<int:entry>/delete/",
        views.progress_delete,
        name="progress_delete",
    ),
    path("plans/<int:year>/execution/", public_page(views.execution), name="execution"),
    path(
        "plans/<int:year>/execution/rows/",
        public_page(views.execution_rows),
        name="execution_rows",
    ),
    path("staff/plans/<int:year>/execution/", views.staff_execution, name="staff_execution"),
    path("staff/plans/<int:year>/report.<report:format_name>", views.download, name="download"),
    path(
        "staff/plans/<int:year>/report.<report:format_name>/state",
        views.report_state,
        name="report_state",
    ),
    path("reports/files/<int:pk>/", views.material, name="material"),
    path("reports/files/<int:pk>/thumbnail", views.thumbnail, name="thumbnail"),
]
