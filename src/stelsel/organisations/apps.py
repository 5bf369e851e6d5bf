from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "stelsel.organisations"
    label = "organisations"
    verbose_name = _("Boards and schools")

    def ready(self):
        # Every write changes a data version token (pages kept until their data change); the
        # board's pages say whose data their writes are (`decorators.board_view`).
        from stelsel.lib import data_versions
        from stelsel.organisations.activity_sources import register_sources

        data_versions.install()
        # The activity page reads every app's history through sources each app registers.
        register_sources()
