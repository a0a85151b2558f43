from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "baton.projects"
    label = "projects"
