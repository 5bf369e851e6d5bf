from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PictureConfig(AppConfig):
    name = "stelsel.picture"
    label = "picture"
    verbose_name = _("Quality picture")

    def ready(self):
        # The board's activity page (organisations, a layer below) reads the picture's
        # history through the sources registered here.
        from stelsel.picture.activity_sources import register_sources

        register_sources()
