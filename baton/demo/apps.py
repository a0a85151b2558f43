from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "baton.demo"
    label = "demo"
