"""`baton purge_trash`: delete for good the documents that have been in the trash longer than
TRASH_DAYS days. Safe to run at any time (daily from cron, for example)."""

from django.core.management.base import BaseCommand

from baton.documents.models import TRASH_DAYS
from baton.documents.services import purge_trash


class Command(BaseCommand):
    help = f"Delete documents that have been in the trash for more than {TRASH_DAYS} days."

    def handle(self, *args, **options) -> None:
        count = purge_trash()
        self.stdout.write(f"{count} document(s) deleted from the trash for good.")
