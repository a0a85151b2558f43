from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "baton.realtime"
    label = "realtime"
