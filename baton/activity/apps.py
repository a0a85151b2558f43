from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "baton.activity"
    label = "activity"
