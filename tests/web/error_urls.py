"""The site's routes, with pages that fail in each way, for the error page tests. The error
handlers are Stelsel's own, taken from its URL configuration (where Django looks for them)."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from stelsel import urls as site
from stelsel.urls import handler400, handler403, handler404, handler500  # noqa: F401
from stelsel.web import errors


def refused(request):
    raise PermissionDenied


def bad(request):
    raise SuspiciousOperation("a tampered request")


def broken(request):
    raise RuntimeError("a fault on our side")


def gone(request):
    return errors.gone(request)


urlpatterns = [
    path("fout/403/", refused),
    path("fout/400/", bad),
    path("fout/500/", broken),
    path("fout/410/", gone),
    *site.urlpatterns,
]
