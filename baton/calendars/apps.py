from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "baton.calendars"
    label = "calendars"
