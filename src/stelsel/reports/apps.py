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

        from stelsel.picture.inspector import shared
        from stelsel.reports.sharing import SHARE

        # Issued reports can be added to an inspector's link (picture, a layer below).
        shared.register(SHARE)
