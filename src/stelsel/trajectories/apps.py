from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrajectoriesConfig(AppConfig):
    name = "stelsel.trajectories"
    label = "trajectories"
    verbose_name = _("Support trajectories")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from stelsel.trajectories.access import remember_programmes

        user_logged_in.connect(remember_programmes, dispatch_uid="trajectories-remember-programmes")
