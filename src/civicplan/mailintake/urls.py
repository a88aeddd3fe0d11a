from django.urls import path

from civicplan.mailintake import views

app_name = "mailintake"
urlpatterns = [
    path("staff/mail/", views.failed_list, name="failed"),
    path("staff/mail/<int:pk>/retry/", views.retry, name="retry"),
]
