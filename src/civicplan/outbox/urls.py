from django.urls import path

from civicplan.outbox import staff, views

app_name = "outbox"

urlpatterns = [
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("unsubscribe/<str:token>/settings/", views.subscriptions, name="subscriptions"),
    path("staff/outbox/", staff.outbox, name="outbox"),
    path("staff/outbox/<int:pk>/", staff.letter, name="letter"),
    path("staff/outbox/<int:pk>/send/", staff.send_again, name="send_again"),
]
