from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "stelsel.planning"
    label = "planning"
    verbose_name = _("Plans and actions")

    def ready(self):
        # The picture sits below planning yet counts, lists and relinks actions: it reads them
        # through what planning registers here (see stelsel.picture.work).
        from stelsel.picture import work
        from stelsel.planning.access import actions_for_user
        from stelsel.planning.actions.states import ACTION_TONES, FINISHED_STATES
        from stelsel.planning.models import Action

        work.register(
            Action, finished=FINISHED_STATES, tones=ACTION_TONES, for_user=actions_for_user
        )
        # The board's activity page (organisations) reads planning's history through these.
        from stelsel.planning.activity_sources import register_sources

        register_sources()
