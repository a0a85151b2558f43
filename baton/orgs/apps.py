from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "baton.orgs"
    label = "orgs"
