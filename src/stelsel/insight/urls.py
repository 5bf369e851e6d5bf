"""Data and early warning: imports, links, results, indicators and signals of a board."""

from stelsel.insight.routes import cockpit, imports, indicators, links, results, settings, vo

app_name = "insight"

urlpatterns = [
    *imports.urlpatterns,
    *links.urlpatterns,
    *results.urlpatterns,
    *indicators.urlpatterns,
    *vo.urlpatterns,
    *cockpit.urlpatterns,
    *settings.urlpatterns,
]
