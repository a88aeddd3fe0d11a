"""The project's URL map: every page in Russian at its path and in English under /en/."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path

from civicplan.operations import health
from civicplan.web.sitemaps import SITEMAPS

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    # An index of the sections (plans, activities, …), each a file of at most 1,000 addresses
    path("sitemap.xml", sitemaps.index, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemaps.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    *i18n_patterns(
        path("", include("civicplan.plans.urls")),
        path("", include("civicplan.web.urls")),
        path("", include("civicplan.newsroom.urls")),
        path("", include("civicplan.reports.urls")),
        path("", include("civicplan.contests.urls")),
        path("account/", include("civicplan.accounts.urls")),
        path("", include("civicplan.mailintake.urls")),
        path("", include("civicplan.outbox.urls")),
        path("", include("civicplan.operations.urls")),
        prefix_default_language=False,
    ),
]
