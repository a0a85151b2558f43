from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "baton.search"
    label = "search"
