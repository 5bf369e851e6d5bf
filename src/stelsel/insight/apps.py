from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    name = "stelsel.insight"
    label = "insight"
    verbose_name = _("Data and early warning")

    def ready(self):
        from stelsel.insight.own_indicators import latest_for_goal
        from stelsel.planning import measures

        # A plan's goal (planning, a layer below) shows the latest measurements of its own
        # indicators, and a check-in starts from them, through what is registered here.
        measures.register(latest_for_goal=latest_for_goal)
