from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "stelsel.web"
    label = "web"
