"""The project's URLs, plus the notifications' pages if the project does not include them yet."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import URLResolver, include, path

from civicplan.urls import urlpatterns as project


def _namespaces(patterns: list) -> set[str]:
    found: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace:
                found.add(pattern.namespace)
            found |= _namespaces(pattern.url_patterns)
    return found


urlpatterns = list(project)
if "notifications" not in _namespaces(project):
    urlpatterns += i18n_patterns(
        path("", include("civicplan.notifications.urls")), prefix_default_language=False
    )
