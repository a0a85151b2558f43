"""Comments on a document: Markdown, @mentions of people who may read it, resolvable.

Anyone who may read the document comments. Only the author edits a comment; the author, the
document's creator or an organization owner/admin deletes one. The author or an editor of the
document resolves and reopens it (a resolved comment stays, folded, with who resolved it).
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from baton.core.validation import required_text
from baton.documents.models import Document, DocumentComment, DocumentRole
from baton.documents.permissions import (
    document_readers,
    may_moderate,
    may_resolve,
    require_document_role,
)
from baton.documents.services.base import publish, record
from baton.projects.models import COMMENT_MAX_LENGTH
from baton.projects.services.comments import people_named


def _body(value: str | None) -> str:
    return required_text(value, field="body", max_length=COMMENT_MAX_LENGTH)


def _changed(actor, document: Document, verb: str, comment: DocumentComment) -> None:
    record(actor, verb, document, {"comment": comment.pk})
    publish(document, "document.commented", comment=comment.pk, actor=actor)


def add_document_comment(*, actor, document: Document, body: str) -> DocumentComment:
    require_document_role(actor, document, DocumentRole.VIEWER)
    body = _body(body)
    with transaction.atomic():
        comment = DocumentComment.objects.create(document=document, author=actor, body=body)
        comment.mentions.set(people_named(document_readers(document), body))
        _changed(actor, document, "document.commented", comment)
    return comment


def edit_document_comment(*, actor, comment: DocumentComment, body: str) -> DocumentComment:
    document = comment.document
    require_document_role(actor, document, DocumentRole.VIEWER)
    if comment.author_id != actor.pk:
        raise PermissionDenied
    body = _body(body)
    if body == comment.body:
        return comment
    with transaction.atomic():
        comment.body, comment.edited_at = body, timezone.now()
        comment.save(update_fields=["body", "edited_at"])
        comment.mentions.set(people_named(document_readers(document), body))
        _changed(actor, document, "document.comment_edited", comment)
    return comment


def delete_document_comment(*, actor, comment: DocumentComment) -> None:
    document = comment.document
    require_document_role(actor, document, DocumentRole.VIEWER)
    if comment.author_id != actor.pk and not may_moderate(actor, document):
        raise PermissionDenied
    with transaction.atomic():
        _changed(actor, document, "document.comment_deleted", comment)
        comment.delete()


def resolve_document_comment(
    *, actor, comment: DocumentComment, resolved: bool = True
) -> DocumentComment:
    """Mark a comment resolved (or open it again); doing what is already done changes nothing."""
    document = comment.document
    role = require_document_role(actor, document, DocumentRole.VIEWER)
    if not may_resolve(actor, document, comment, role):
        raise PermissionDenied
    if resolved == (comment.resolved_at is not None):
        return comment
    with transaction.atomic():
        comment.resolved_at = timezone.now() if resolved else None
        comment.resolved_by = actor if resolved else None
        comment.save(update_fields=["resolved_at", "resolved_by"])
        verb = "document.comment_resolved" if resolved else "document.comment_reopened"
        _changed(actor, document, verb, comment)
    return comment
