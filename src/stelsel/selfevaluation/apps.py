from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfEvaluationConfig(AppConfig):
    name = "stelsel.selfevaluation"
    label = "selfevaluation"
    verbose_name = _("Self-evaluation")

    def ready(self):
        # The board's activity page (organisations, a layer below) reads rounds through this.
        from stelsel.selfevaluation.activity_sources import register_sources

        register_sources()
