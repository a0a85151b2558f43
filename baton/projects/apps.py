from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "baton.projects"
    label = "projects"

    def ready(self) -> None:
        # Who may listen to this app's live channels (the SSE endpoint asks).
        from baton.projects.permissions import may_listen_to_project, may_listen_to_task
        from baton.realtime.channels import register_channel

        register_channel("project", may_listen_to_project)
        register_channel("task", may_listen_to_task)

        # Comments and files on cards: the project's rules (baton/files/owners.py).
        from baton.files.owners import register
        from baton.projects.models import Task
        from baton.projects.services.comments import TASK_OWNER

        register(Task, TASK_OWNER)
