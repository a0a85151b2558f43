"""Writes to attachments: add files to a card (or, through add_comment, to a comment) and
delete one.

Files are checked and written to storage before the database transaction (a 50 MB copy must not
hold SQLite's write lock) and removed again if the transaction fails; stored files of deleted
rows are removed after commit, so a rolled-back delete keeps them.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from baton.projects import files as filekit
from baton.projects.models import Attachment, Comment, ProjectRole, Task
from baton.projects.permissions import require_project_role
from baton.projects.services.base import publish, record


@dataclass
class _Upload:
    """A checked file, ready to be stored."""

    source: object  # the uploaded file (Django's UploadedFile or any File)
    name: str
    size: int
    content_type: str
    width: int | None = None
    height: int | None = None
    thumbnail: bytes | None = None


def check_uploads(files: Iterable) -> list[_Upload]:
    """Check every file before storing any: a name fit to show, not empty, within the size
    limit, and a content type from its extension (or from Pillow for images). Raises one
    ValidationError naming each refused file."""
    files = [f for f in files if f is not None]
    if not files:
        raise ValidationError({"files": _("Choose at least one file.")})
    limit, checked, problems = filekit.max_upload_bytes(), [], []
    for upload in files:
        name = filekit.safe_name(getattr(upload, "name", ""))
        size = upload.size or 0
        if size == 0:
            problems.append(_("%(name)s is empty (0 bytes).") % {"name": name})
            continue
        if size > limit:
            problems.append(
                _("%(name)s is larger than the %(limit)s MB limit.")
                % {"name": name, "limit": filekit.max_upload_label()}
            )
            continue
        item = _Upload(upload, name, size, filekit.type_from_extension(name))
        if filekit.extension_of(name) in filekit.RASTER_EXTENSIONS:
            facts = filekit.inspect_image(upload)
            if facts is None:  # named like an image, but not one a browser may show
                item.content_type = filekit.OCTET_STREAM
            else:
                item.content_type, item.width, item.height = (
                    facts.content_type,
                    facts.width,
                    facts.height,
                )
                item.thumbnail = facts.thumbnail
        checked.append(item)
    if problems:
        raise ValidationError({"files": problems})
    return checked


def store_files(*, actor, task: Task, uploads: list[_Upload]) -> list[Attachment]:
    """Write checked uploads to storage under generated names (outside any transaction: a 50 MB
    copy must not hold the database's write lock). Returns the rows, not yet saved: the caller
    saves them with insert_attachments() inside its transaction, or calls discard_files()."""

    def row(upload: _Upload) -> Attachment:
        return Attachment(project_id=task.project_id, task=task, uploaded_by=actor)

    return store_uploads(uploads, row)


def store_uploads(uploads: list[_Upload], row: Callable[[_Upload], Any]) -> list:
    """Store each upload (and its thumbnail) on a new unsaved row made by `row(upload)`, which
    gives the owner fields; any model with the fields of Attachment will do (event files too)."""
    attachments = []
    try:
        for upload in uploads:
            attachment = row(upload)
            attachment.name, attachment.size = upload.name, upload.size
            attachment.content_type = upload.content_type
            attachment.width, attachment.height = upload.width, upload.height
            attachments.append(attachment)
            attachment.file.save(upload.name, upload.source, save=False)
            if upload.thumbnail:
                attachment.thumbnail.save("thumbnail.webp", ContentFile(upload.thumbnail), False)
    except BaseException:
        discard_files(attachments)
        raise
    return attachments


def insert_attachments(
    attachments: list[Attachment], *, comment: Comment | None = None
) -> list[Attachment]:
    """Save the rows of stored files (inside the caller's transaction)."""
    for attachment in attachments:
        attachment.comment = comment
    return Attachment.objects.bulk_create(attachments)


def discard_files(attachments: list) -> None:
    """Remove the stored files of rows that will not be saved (the write failed)."""
    filekit.remove_stored(_names(attachments))


def _names(attachments: list) -> list[str]:
    return [n for a in attachments for n in (a.file.name, a.thumbnail.name) if n]


def add_attachments(*, actor, task: Task, files: Iterable) -> list[Attachment]:
    """Attach files to a card. Members and admins may; one Activity row (task.attached) names
    every file."""
    project = task.project
    require_project_role(actor, project, ProjectRole.MEMBER)
    attachments = store_files(actor=actor, task=task, uploads=check_uploads(files))
    try:
        with transaction.atomic():
            insert_attachments(attachments)
            names = [a.name for a in attachments]
            record(actor, "task.attached", task, project, {"names": names})
            publish(
                project,
                "task.attached",
                task_id=task.pk,
                list_id=task.list_id,
                attachment_ids=[a.pk for a in attachments],
                actor=actor,
            )
    except BaseException:
        discard_files(attachments)
        raise
    return attachments


def delete_attachment(*, actor, attachment: Attachment) -> None:
    """The uploader deletes their file; a project admin may delete anyone's. The stored file and
    its thumbnail are removed once the deletion commits."""
    task = attachment.task
    project = task.project
    role = require_project_role(actor, project, ProjectRole.MEMBER)
    if attachment.uploaded_by_id != actor.pk and role != ProjectRole.ADMIN:
        raise PermissionDenied
    names = _names([attachment])
    with transaction.atomic():
        data: dict[str, Any] = {"name": attachment.name}
        if attachment.comment_id:
            data["comment"] = attachment.comment_id
        record(actor, "task.attachment_deleted", task, project, data)
        publish(
            project,
            "task.attachment_deleted",
            task_id=task.pk,
            list_id=task.list_id,
            attachment_id=attachment.pk,
            actor=actor,
        )
        attachment.delete()
        remove_files_on_commit(names)


def remove_files_on_commit(names: list[str]) -> None:
    """After the surrounding transaction commits, delete these stored files. Deleting services
    collect the names before their rows go (the rows cascade away with a comment or a task)."""
    if names:
        transaction.on_commit(lambda: filekit.remove_stored(names))
