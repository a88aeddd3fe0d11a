from django.urls import path

from civicplan.outbox import views

app_name = "outbox"

urlpatterns = [
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("unsubscribe/<str:token>/settings/", views.subscriptions, name="subscriptions"),
]
