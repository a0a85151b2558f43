from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "baton.files"
    label = "files"
