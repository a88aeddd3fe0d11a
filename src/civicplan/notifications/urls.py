from django.urls import path

from civicplan.notifications import views

app_name = "notifications"

urlpatterns = [
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("unsubscribe/<str:token>/settings/", views.subscriptions, name="subscriptions"),
]
