"""All routes. The permission-matrix test enumerates this configuration: a route added here
must be added to that test."""

from django.urls import include, path

from stelsel.api.api import api
from stelsel.web.views import account_settings, health, home

# Stelsel's own error pages (web/errors.py); the CSRF refusal is CSRF_FAILURE_VIEW in settings.
handler400 = "stelsel.web.errors.bad_request"
handler403 = "stelsel.web.errors.permission_denied"
handler404 = "stelsel.web.errors.page_not_found"
handler500 = "stelsel.web.errors.server_error"

urlpatterns = [
    path("", home, name="home"),
    path("health/", health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("account/instellingen/", account_settings, name="account_settings"),
    path("account/", include("stelsel.accounts.urls")),
    path("api/v1/", api.urls),
    path("", include("stelsel.web.urls")),
    path("", include("stelsel.organisations.urls")),
    path("", include("stelsel.identity.urls")),
    path("", include("stelsel.frameworks.urls")),
    path("", include("stelsel.selfevaluation.urls")),
    path("", include("stelsel.picture.urls")),
    path("", include("stelsel.meetings.urls")),
    path("", include("stelsel.planning.urls")),
    path("", include("stelsel.insight.urls")),
    path("", include("stelsel.reports.urls")),
    path("", include("stelsel.trajectories.urls")),
]
