from django.urls import path

from civicplan.plans import views

app_name = "plans"

urlpatterns = [
    path("", views.home, name="home"),
    path("plans/<int:year>/", views.plan_page, name="plan"),
    path("plans/<int:year>.json", views.plan_json, name="plan_json"),
    path("staff/import/", views.import_upload, name="import"),
    path("staff/import/<str:token>/confirm/", views.import_confirm, name="import_confirm"),
]
