from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "stelsel.api"
    label = "api"
