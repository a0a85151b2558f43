"""Every write to documents, for the HTML views and the API alike."""

from baton.core.errors import ConflictError
from baton.documents.services.base import document_channel
from baton.documents.services.comments import (
    add_document_comment,
    add_document_files,
    delete_document_comment,
    edit_document_comment,
    resolve_document_comment,
)
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
from baton.documents.services.folders import (
    create_folder,
    delete_folder,
    move_folder,
    rename_folder,
)
from baton.documents.services.links import link_document_to_task, unlink_document_from_task
from baton.documents.services.placement import (
    archive_document,
    move_document,
    purge_trash,
    reorder_document,
    trash_document,
    untrash_document,
)
from baton.documents.services.presence import leave_document, touch_presence
from baton.documents.services.sharing import (
    remove_document_member,
    set_document_member,
    share_document,
)
from baton.documents.services.transfer import ImportResult, import_markdown_files

__all__ = [
    "ConflictError",
    "ImportResult",
    "add_document_comment",
    "add_document_files",
    "add_followers",
    "archive_document",
    "create_document",
    "create_folder",
    "delete_document_comment",
    "delete_folder",
    "discard_draft",
    "document_channel",
    "edit_document_comment",
    "follow_document",
    "import_markdown_files",
    "leave_document",
    "link_document_to_task",
    "move_document",
    "move_folder",
    "purge_trash",
    "remove_document_member",
    "rename_folder",
    "reorder_document",
    "resolve_document_comment",
    "restore_version",
    "save_draft",
    "save_version",
    "set_document_member",
    "share_document",
    "sync_task_links",
    "touch_presence",
    "trash_document",
    "unlink_document_from_task",
    "untrash_document",
]
