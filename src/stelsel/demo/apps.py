from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "stelsel.demo"
    label = "demo"
