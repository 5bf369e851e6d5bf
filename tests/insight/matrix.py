"""Permission-matrix entries of the insight app's routes, gathered from one module per area."""

from tests.insight.matrix_areas import cockpit, imports, indicators, links, results, settings, vo

INSIGHT_ROUTES = {
    **imports.ROUTES,
    **links.ROUTES,
    **results.ROUTES,
    **indicators.ROUTES,
    **vo.ROUTES,
    **cockpit.ROUTES,
    **settings.ROUTES,
}
