"""Writes to attachments: add files to a task, an event or a document (or, through
discussion.services.add_comment, to a comment) and delete one. Who may is the owner's rule
(files/owners.py); what a change means to the owner (its Activity row, its live event) too.

Files are checked and written to storage before the database transaction (a 50 MB copy must not
hold SQLite's write lock) and removed again if the transaction fails; stored files of deleted
rows are removed after commit, so a rolled-back delete keeps them.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from baton.accounts.models import User
from baton.files import storage
from baton.files.models import Attachment
from baton.files.owners import rules_of


@dataclass
class Upload:
    """A checked file, ready to be stored."""

    source: File  # the uploaded file (Django's UploadedFile or any File)
    name: str
    size: int
    content_type: str
    width: int | None = None
    height: int | None = None
    thumbnail: bytes | None = None


def check_uploads(files: Iterable) -> list[Upload]:
    """Check every file before storing any: a name fit to show, not empty, within the size
    limit, and a content type from its extension (or from Pillow for images). Raises one
    ValidationError naming each refused file."""
    files = [f for f in files if f is not None]
    if not files:
        raise ValidationError({"files": _("Choose at least one file.")})
    limit, checked, problems = storage.max_upload_bytes(), [], []
    for upload in files:
        name = storage.safe_name(getattr(upload, "name", ""))
        size = upload.size or 0
        if size == 0:
            problems.append(_("%(name)s is empty (0 bytes).") % {"name": name})
            continue
        if size > limit:
            problems.append(
                _("%(name)s is larger than the %(limit)s MB limit.")
                % {"name": name, "limit": storage.max_upload_label()}
            )
            continue
        checked.append(_checked(upload, name, size))
    if problems:
        raise ValidationError({"files": problems})
    return checked


def _checked(upload, name: str, size: int) -> Upload:
    item = Upload(upload, name, size, storage.type_from_extension(name))
    if storage.extension_of(name) in storage.RASTER_EXTENSIONS:
        facts = storage.inspect_image(upload)
        if facts is None:  # named like an image, but not one a browser may show
            item.content_type = storage.OCTET_STREAM
        else:
            item.content_type, item.width, item.height = (
                facts.content_type,
                facts.width,
                facts.height,
            )
            item.thumbnail = facts.thumbnail
    return item


def store_uploads(uploads: list[Upload], *, owner: Any, actor) -> list[Attachment]:
    """Write checked uploads to storage under generated names (outside any transaction: a 50 MB
    copy must not hold the database's write lock). Returns the rows, not yet saved: the caller
    saves them with insert_attachments() inside its transaction, or calls discard_files()."""
    owner_type = ContentType.objects.get_for_model(owner)
    organization_id = rules_of(owner).organization_id(owner)
    attachments = []
    try:
        for upload in uploads:
            attachment = Attachment(
                organization_id=organization_id,
                owner_type=owner_type,
                owner_id=owner.pk,
                uploaded_by=actor,
                name=upload.name,
                size=upload.size,
                content_type=upload.content_type,
                width=upload.width,
                height=upload.height,
            )
            attachments.append(attachment)
            attachment.file.save(upload.name, upload.source, save=False)
            if upload.thumbnail:
                attachment.thumbnail.save("thumbnail.webp", ContentFile(upload.thumbnail), False)
    except BaseException:
        discard_files(attachments)
        raise
    return attachments


def insert_attachments(attachments: list[Attachment], *, comment=None) -> list[Attachment]:
    """Save the rows of stored files (inside the caller's transaction)."""
    for attachment in attachments:
        attachment.comment = comment
    return Attachment.objects.bulk_create(attachments)


def discard_files(attachments: list) -> None:
    """Remove the stored files of rows that will not be saved (the write failed)."""
    storage.remove_stored(names_of(attachments))


def names_of(attachments: list) -> list[str]:
    return [n for a in attachments for n in (a.file.name, a.thumbnail.name) if n]


def remove_files_on_commit(names: list[str]) -> None:
    """After the surrounding transaction commits, delete these stored files. Deleting services
    collect the names before their rows go (the rows cascade away with a comment or an owner)."""
    if names:
        transaction.on_commit(lambda: storage.remove_stored(names))


def add_attachments(*, actor: User, owner: Any, files: Iterable) -> list[Attachment]:
    """Attach files to an owner (to the thread it belongs to: an event's series). Whoever may
    write there may; one Activity row names every file."""
    rules = rules_of(owner)
    rules.require_file_writer(actor, owner)
    thread = rules.thread(owner)
    attachments = store_uploads(check_uploads(files), owner=thread, actor=actor)
    try:
        with transaction.atomic():
            insert_attachments(attachments)
            names = [a.name for a in attachments]
            ids = [a.pk for a in attachments]
            rules.changed(actor, thread, "attached", {"names": names, "attachment_ids": ids})
    except BaseException:
        discard_files(attachments)
        raise
    return attachments


def delete_attachment(*, actor: User, attachment: Attachment) -> None:
    """The uploader deletes their file; a moderator of the owner may delete anyone's. The
    stored file and its thumbnail are removed once the deletion commits."""
    owner = attachment.owner
    rules = rules_of(owner)
    role = rules.require_file_writer(actor, owner)
    if attachment.uploaded_by_id != actor.pk and not rules.may_delete_file(actor, owner, role):
        raise PermissionDenied
    names = names_of([attachment])
    data: dict[str, Any] = {"name": attachment.name, "attachment_id": attachment.pk}
    if attachment.comment_id:
        data["comment"] = attachment.comment_id
    with transaction.atomic():
        rules.changed(actor, owner, "attachment_deleted", data)
        attachment.delete()
        remove_files_on_commit(names)
