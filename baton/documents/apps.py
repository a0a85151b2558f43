from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "baton.documents"
    label = "documents"
