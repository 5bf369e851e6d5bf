from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The kinds of data block, one module each in `reports/blocks/`.
BLOCK_MODULES = (
    "results",
    "picture",
    "assignments",
    "selfevaluation",
    "plans",
    "calendar",
    "numbers",
    "risks",
)


class ReportsConfig(AppConfig):
    name = "stelsel.reports"
    label = "reports"
    verbose_name = _("Quality reports")

    def ready(self):
        for name in BLOCK_MODULES:
            import_module(f"stelsel.reports.blocks.{name}")
