"""What comments and files on a document mean to it (registered in DocumentsConfig.ready()), and
the document's doors to baton.discussion.services and baton.files.services.

Anyone who may read the document comments, with @mentions of people who may read it. Only the
author edits a comment; the author, the document's creator or an organization owner/admin deletes
one. The author or an editor of the document resolves and reopens it (a resolved comment stays,
folded, with who resolved it). Editors add pictures and files to the text.
"""

from collections.abc import Iterable

from baton.accounts.models import User
from baton.discussion import services as discussion
from baton.discussion.models import Comment
from baton.documents.models import Document, DocumentRole
from baton.documents.permissions import (
    document_readers,
    may_moderate,
    may_resolve,
    require_document_role,
)
from baton.documents.services.base import publish, record
from baton.files import services as file_services
from baton.files.models import Attachment
from baton.files.owners import Owner

# Activity verbs of the changes the discussion and files services report.
VERBS = {
    "commented": "document.commented",
    "comment_edited": "document.comment_edited",
    "comment_deleted": "document.comment_deleted",
    "comment_resolved": "document.comment_resolved",
    "comment_reopened": "document.comment_reopened",
    "attached": "document.attached",
}


def _changed(actor, document: Document, change: str, data: dict) -> None:
    if change == "attached":
        record(actor, VERBS[change], document, {"names": data["names"]})
        return
    record(actor, VERBS[change], document, {"comment": data["comment"]})
    publish(document, "document.commented", comment=data["comment"], actor=actor)


DOCUMENT_OWNER = Owner(
    require_writer=lambda user, document: require_document_role(
        user, document, DocumentRole.VIEWER
    ),
    require_attacher=lambda user, document: require_document_role(
        user, document, DocumentRole.EDITOR
    ),
    may_moderate=lambda user, document, role: may_moderate(user, document),
    may_resolve=may_resolve,
    changed=_changed,
    people=document_readers,
    organization_id=lambda document: document.organization_id,
)


def add_document_comment(*, actor: User, document: Document, body: str) -> Comment:
    return discussion.add_comment(actor=actor, owner=document, body=body)


def add_document_files(*, actor: User, document: Document, files: Iterable) -> list[Attachment]:
    """Store files for a document (editors only); one Activity row names them all. Raises
    ValidationError naming each refused file (empty, too large, no file at all)."""
    return file_services.add_attachments(actor=actor, owner=document, files=files)


edit_document_comment = discussion.edit_comment
delete_document_comment = discussion.delete_comment
resolve_document_comment = discussion.resolve_comment
