from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfEvaluationConfig(AppConfig):
    name = "stelsel.selfevaluation"
    label = "selfevaluation"
    verbose_name = _("Self-evaluation")
