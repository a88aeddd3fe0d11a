from django.urls import path

from civicplan.operations import people

app_name = "operations"

urlpatterns = [
    path("staff/people/", people.people, name="people"),
    path("staff/people/<int:pk>/", people.person, name="person"),
    path("staff/people/<int:pk>/export.json", people.export, name="person_export"),
    path("staff/people/<int:pk>/erase/", people.erase, name="person_erase"),
]
