"""The one read of an owner's files a panel makes: its own files and each comment's."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType

from baton.files.models import Attachment
from baton.files.storage import decorate, max_upload_bytes, max_upload_label


class FileGroup(list):
    """Attachments shown together (an owner's own, or one comment's): images as thumbnails,
    the rest as rows."""

    @property
    def images(self) -> list:
        return [attachment for attachment in self if attachment.thumbnail]

    @property
    def others(self) -> list:
        return [attachment for attachment in self if not attachment.thumbnail]


@dataclass
class OwnerFiles:
    """An owner's attachments, read once: its own (`card`, on a task's panel) and each
    comment's."""

    card: FileGroup = field(default_factory=FileGroup)
    by_comment: dict = field(default_factory=dict)

    def for_comment(self, comment_id: int) -> FileGroup:
        return self.by_comment.get(comment_id, FileGroup())

    @property
    def max_bytes(self) -> int:
        return max_upload_bytes()

    @property
    def max_label(self) -> str:
        return max_upload_label()


def attachments_of(owner: Any):
    """The attachments of a task, an event or a document (a queryset)."""
    owner_type = ContentType.objects.get_for_model(owner)
    return Attachment.objects.filter(owner_type=owner_type, owner_id=owner.pk)


def files_of(owner: Any, *, user_id: int | None = None, is_admin: bool = False) -> OwnerFiles:
    """Every attachment of an owner in one query, oldest first, with its uploader: `user_id`
    may delete their own, `is_admin` anyone's."""
    files = OwnerFiles()
    by_comment: dict[int, FileGroup] = defaultdict(FileGroup)
    rows = attachments_of(owner).select_related("uploaded_by").order_by("created_at", "id")
    for attachment in rows:
        decorate(attachment, user_id=user_id, is_admin=is_admin)
        if attachment.comment_id:
            by_comment[attachment.comment_id].append(attachment)
        else:
            files.card.append(attachment)
    files.by_comment = dict(by_comment)
    return files
