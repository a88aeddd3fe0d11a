"""The project's URL map: every page in Russian at its path and in English under /en/."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    *i18n_patterns(
        path("", include("civicplan.plans.urls")),
        path("", include("civicplan.web.urls")),
        prefix_default_language=False,
    ),
]
