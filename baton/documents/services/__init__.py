"""Every write to documents, for the HTML views and the API alike."""

from baton.documents.services.base import DocumentConflict, document_channel
from baton.documents.services.documents import (
    add_followers,
    create_document,
    discard_draft,
    follow_document,
    restore_version,
    save_draft,
    save_version,
    sync_task_links,
)

__all__ = [
    "DocumentConflict",
    "add_followers",
    "create_document",
    "discard_draft",
    "document_channel",
    "follow_document",
    "restore_version",
    "save_draft",
    "save_version",
    "sync_task_links",
]
