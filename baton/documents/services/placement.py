"""Where a document sits and whether it is in use: its folder, its order, archived, in the trash.

The trash keeps a deleted document for TRASH_DAYS days, during which its editors can restore it;
after that it is no longer listed nor restorable, and `baton purge_trash` deletes it for good
(run it daily, e.g. from cron; it is idempotent).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baton.accounts.models import User
from baton.core.positions import position_between, renumbered
from baton.documents.models import (
    TRASH_DAYS,
    Document,
    DocumentRole,
    Folder,
)
from baton.documents.permissions import require_document_role
from baton.documents.services.base import publish, record
from baton.files.models import Attachment


def trash_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """Documents deleted before this moment have left the trash for good."""
    return (now or timezone.now()) - dt.timedelta(days=TRASH_DAYS)


def _check_folder(document: Document, folder: Folder | None) -> None:
    if folder is not None and (
        folder.organization_id != document.organization_id
        or folder.project_id != document.project_id
    ):
        raise ValidationError({"folder": _("Choose a folder of the same place as the document.")})


def move_document(*, actor: User, document: Document, folder: Folder | None) -> Document:
    """Put the document into `folder` (None: the top level), at the end of it."""
    require_document_role(actor, document, DocumentRole.EDITOR)
    _check_folder(document, folder)
    if document.folder_id == getattr(folder, "pk", None):
        return document
    old = document.folder_id
    with transaction.atomic():
        position = timezone.now().timestamp()
        Document.objects.filter(pk=document.pk).update(folder=folder, position=position)
        document.folder, document.position = folder, position
        record(actor, "document.moved", document, {"old": old, "new": getattr(folder, "pk", None)})
        publish(document, "document.moved", folder=getattr(folder, "pk", None), actor=actor)
    return document


def reorder_document(
    *, actor, document: Document, above: Document | None, below: Document | None
) -> Document:
    """Place the document between two neighbours of its folder (`above` and `below` it, either
    may be None); renumbers the folder when the gap between them has run out."""
    require_document_role(actor, document, DocumentRole.EDITOR)
    for neighbour in (above, below):
        if neighbour is not None and (
            neighbour.pk == document.pk
            or neighbour.organization_id != document.organization_id
            or neighbour.project_id != document.project_id
            or neighbour.folder_id != document.folder_id
        ):
            raise ValidationError(_("Drop the document among documents of its own folder."))
    with transaction.atomic():
        position = position_between(
            getattr(above, "position", None), getattr(below, "position", None)
        )
        if position is None:
            position = _renumber_around(document, above)
        Document.objects.filter(pk=document.pk).update(position=position)
        document.position = position
        record(actor, "document.reordered", document)
    return document


def _renumber_around(document: Document, above: Document | None) -> float:
    """Renumber the folder's documents with the moved one right below `above`; its position."""
    siblings = list(
        Document.objects.filter(
            organization_id=document.organization_id,
            project_id=document.project_id,
            folder_id=document.folder_id,
        )  # type: ignore[misc]  # None matches NULL
        .exclude(pk=document.pk)
        .order_by("position", "id")
    )
    index = next((i + 1 for i, d in enumerate(siblings) if above and d.pk == above.pk), 0)
    siblings.insert(index, document)
    Document.objects.bulk_update(renumbered(siblings), ["position"])
    return document.position


def archive_document(*, actor: User, document: Document, archived: bool = True) -> Document:
    """Archive (out of the lists, still readable by its link) or bring back from the archive."""
    require_document_role(actor, document, DocumentRole.EDITOR)
    if bool(document.archived_at) == archived:
        return document
    with transaction.atomic():
        document.archived_at = timezone.now() if archived else None
        Document.objects.filter(pk=document.pk).update(archived_at=document.archived_at)
        verb = "document.archived" if archived else "document.unarchived"
        record(actor, verb, document)
        publish(document, verb, actor=actor)
    return document


def trash_document(*, actor: User, document: Document) -> Document:
    """Move the document to the trash, from which it can be restored for TRASH_DAYS days."""
    require_document_role(actor, document, DocumentRole.EDITOR)
    if document.deleted_at:
        return document
    with transaction.atomic():
        document.deleted_at = timezone.now()
        Document.objects.filter(pk=document.pk).update(deleted_at=document.deleted_at)
        record(actor, "document.trashed", document)
        publish(document, "document.trashed", actor=actor)
    return document


def untrash_document(*, actor: User, document: Document) -> Document:
    """Bring a document back from the trash, into its folder (or the top level if the folder
    is gone)."""
    require_document_role(actor, document, DocumentRole.EDITOR)
    if document.deleted_at is None:
        return document
    if document.deleted_at < trash_cutoff():
        raise ValidationError(
            _("This document was deleted more than %(n)d days ago and cannot be restored.")
            % {"n": TRASH_DAYS}
        )
    with transaction.atomic():
        document.deleted_at = None
        Document.objects.filter(pk=document.pk).update(deleted_at=None)
        record(actor, "document.untrashed", document)
    return document


def purge_trash(*, now: dt.datetime | None = None) -> int:
    """Delete for good every document that has been in the trash longer than TRASH_DAYS days
    (with its versions, drafts, comments and files' rows). Returns how many documents."""
    expired = Document.objects.filter(deleted_at__lt=trash_cutoff(now))
    with transaction.atomic():
        count = expired.count()
        if count:
            files = Attachment.objects.filter(document__in=expired)
            stored = [(f.file, f.thumbnail) for f in files.only("file", "thumbnail")]
            expired.delete()
            # the stored files go once the rows are surely gone
            transaction.on_commit(lambda: _delete_files(stored))
    return count


def _delete_files(stored) -> None:
    for pair in stored:
        for field_file in pair:
            if field_file:
                field_file.storage.delete(field_file.name)
