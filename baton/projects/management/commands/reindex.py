"""`baton reindex`: write the search entries of every task and comment again.

Cards and comments are indexed as they are written; this is for data that was written before
search existed, or restored from a backup without its index.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from baton.projects.models import Project, Task
from baton.projects.services import indexing


class Command(BaseCommand):
    help = "Rebuild the search entries of every task and comment."

    def handle(self, *args, **options):
        total = 0
        for project in Project.objects.select_related("organization").iterator():
            tasks = list(Task.objects.filter(project=project).order_by("pk"))
            for task in tasks:
                task.project = project
            with transaction.atomic():
                indexing.index_tasks(tasks, with_comments=True)
            total += len(tasks)
        self.stdout.write(f"Indexed {total} tasks and their comments.")
