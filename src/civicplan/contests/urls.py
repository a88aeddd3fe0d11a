from django.urls import path

from civicplan.contests import views

app_name = "contests"

urlpatterns = [
    path("contests/", views.contest_list, name="list"),
    path("contests/<int:pk>-<str:slug>/", views.contest, name="contest"),
    path("contests/<int:pk>/apply/", views.apply, name="apply"),
    path("contests/<int:pk>/documents/<int:document>/", views.document, name="document"),
    path("contests/applications/", views.mine, name="mine"),
    path("contests/applications/<int:pk>/", views.application, name="application"),
    path("contests/applications/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("contests/applications/<int:pk>/link/", views.send_link, name="send_link"),
    path(
        "contests/applications/<int:pk>/files/<int:file>/",
        views.application_file,
        name="application_file",
    ),
    path(
        "contests/applications/<int:pk>/files/<int:file>/thumbnail",
        views.application_thumbnail,
        name="application_thumbnail",
    ),
    path("contests/confirm/<str:token>/", views.confirm, name="confirm"),
    path("staff/contests/", views.staff_contests, name="staff_contests"),
    path("staff/contests/new/", views.staff_new, name="staff_new"),
    path("staff/contests/<int:pk>/", views.staff_contest, name="staff_contest"),
    path(
        "staff/contests/<int:pk>/nominations/",
        views.staff_nomination_add,
        name="staff_nomination_add",
    ),
    path(
        "staff/contests/<int:pk>/nominations/<int:nomination>/remove/",
        views.staff_nomination_remove,
        name="staff_nomination_remove",
    ),
    path("staff/contests/<int:pk>/fields/", views.staff_field_add, name="staff_field_add"),
    path(
        "staff/contests/<int:pk>/fields/<int:field>/remove/",
        views.staff_field_remove,
        name="staff_field_remove",
    ),
    path(
        "staff/contests/<int:pk>/documents/",
        views.staff_document_add,
        name="staff_document_add",
    ),
    path(
        "staff/contests/<int:pk>/documents/<int:document>/remove/",
        views.staff_document_remove,
        name="staff_document_remove",
    ),
    path(
        "staff/contests/<int:pk>/applications/",
        views.staff_applications,
        name="staff_applications",
    ),
    path("staff/contests/<int:pk>/jury/", views.staff_jury, name="staff_jury"),
    path(
        "staff/contests/<int:pk>/jury/settings/",
        views.staff_jury_settings,
        name="staff_jury_settings",
    ),
    path(
        "staff/contests/<int:pk>/jury/jurors/", views.staff_juror_invite, name="staff_juror_invite"
    ),
    path(
        "staff/contests/<int:pk>/jury/jurors/<int:juror>/remove/",
        views.staff_juror_remove,
        name="staff_juror_remove",
    ),
    path(
        "staff/contests/<int:pk>/jury/categories/",
        views.staff_category_add,
        name="staff_category_add",
    ),
    path(
        "staff/contests/<int:pk>/jury/categories/<int:category>/remove/",
        views.staff_category_remove,
        name="staff_category_remove",
    ),
    path("staff/contests/<int:pk>/jury/assign/", views.staff_assign, name="staff_assign"),
    path(
        "staff/contests/<int:pk>/assignments/",
        views.staff_assignments,
        name="staff_assignments",
    ),
    path("jury/", views.jury_home, name="jury_home"),
    path("jury/<int:pk>/", views.jury_contest, name="jury_contest"),
    path("jury/reviews/<int:pk>/", views.jury_review, name="jury_review"),
    path("jury/reviews/<int:pk>/conflict/", views.jury_conflict, name="jury_conflict"),
    path("jury/reviews/<int:pk>/files/<int:file>/", views.jury_file, name="jury_file"),
    path(
        "jury/reviews/<int:pk>/files/<int:file>/thumbnail",
        views.jury_thumbnail,
        name="jury_thumbnail",
    ),
    path("jury/invitations/<str:token>/", views.jury_accept, name="jury_accept"),
]
