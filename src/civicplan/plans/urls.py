from django.urls import path, register_converter

from civicplan.common.pagecache import public_page
from civicplan.plans import feeds, views, workspace


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
    path("plans/<int:year>/changes/", public_page(views.plan_changes), name="changes"),
    path(
        "plans/<int:year>/v<int:number>.<export:format_name>",
        public_page(views.version_download),
        name="version_download",
    ),
    path(
        "plans/<int:year>/v<int:number>.<export:format_name>/state",
        views.version_state,
        name="version_state",
    ),
    path("plans/<int:year>/v<int:number>/decision", views.decision_scan, name="decision_scan"),
    path("activities/<int:pk>.ics", public_page(feeds.activity_ics), name="activity_ics"),
    path("calendar.ics", public_page(feeds.calendar_feed), name="calendar"),
    path("staff/import/", views.import_upload, name="import"),
    path("staff/import/<str:token>/", views.import_job, name="import_job"),
    path("staff/import/<str:token>/state", views.import_state, name="import_state"),
    path("staff/import/<str:token>/columns/", views.import_columns, name="import_columns"),
    path("staff/import/<str:token>/year/", views.import_year, name="import_year"),
    path("staff/import/<str:token>/confirm/", views.import_confirm, name="import_confirm"),
    path("staff/plans/", workspace.staff_plans, name="staff_plans"),
    path("staff/plans/<int:year>/", workspace.workspace, name="workspace"),
    path("staff/plans/<int:year>/timeframe", workspace.timeframe, name="workspace_timeframe"),
    path("staff/plans/<int:year>/rows/add/", workspace.add_row, name="workspace_add"),
    path("staff/plans/<int:year>/rows/<int:pk>/", workspace.row, name="workspace_row"),
    path(
        "staff/plans/<int:year>/rows/<int:pk>/delete/",
        workspace.delete_row,
        name="workspace_delete",
    ),
    path("staff/plans/<int:year>/rows/<int:pk>/move/", workspace.move_row, name="workspace_move"),
    path(
        "staff/plans/<int:year>/rows/<int:pk>/postpone/",
        workspace.postpone_row,
        name="workspace_postpone",
    ),
    path(
        "staff/plans/<int:year>/rows/<int:pk>/cancel/",
        workspace.cancel_row,
        name="workspace_cancel",
    ),
    path("staff/plans/<int:year>/rows/<int:pk>/held/", workspace.held_row, name="workspace_held"),
    path("staff/plans/<int:year>/sections/", workspace.sections, name="workspace_sections"),
    path("staff/plans/<int:year>/sections/<int:pk>/", workspace.section, name="workspace_section"),
    path("staff/plans/<int:year>/notes/", workspace.notes, name="workspace_notes"),
    path("staff/plans/<int:year>/approve/", workspace.approve, name="workspace_approve"),
    path("staff/plans/<int:year>/publish/", workspace.publish, name="workspace_publish"),
    path("staff/plans/<int:year>/next/", workspace.next_year, name="workspace_next"),
]
