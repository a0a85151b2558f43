"""Images and files pasted or dropped into a document.

The checks and the storage are the task attachments' own (baton.projects.services.attachments):
the name is cleaned, the size limited, images are recognised by Pillow (never by what the
browser claims), stored files have generated names. Files are written before the transaction and
removed again if it fails. Each upload answers with the Markdown to insert: an image link for a
raster image, a plain link for anything else, both served by `documents:file` with access checks.
"""

from collections.abc import Iterable
from urllib.parse import quote

from django.db import transaction
from django.urls import reverse

from baton.documents.models import Document, DocumentAttachment, DocumentRole
from baton.documents.permissions import require_document_role
from baton.documents.services.base import record
from baton.projects import files as filekit
from baton.projects.services.attachments import check_uploads, discard_files, store_uploads


def add_document_files(*, actor, document: Document, files: Iterable) -> list[DocumentAttachment]:
    """Store files for a document (editors only); one Activity row names them all. Raises
    ValidationError naming each refused file (empty, too large, no file at all)."""
    require_document_role(actor, document, DocumentRole.EDITOR)
    uploads = check_uploads(files)

    def row(_upload) -> DocumentAttachment:
        return DocumentAttachment(document=document, uploaded_by=actor)

    attachments = store_uploads(uploads, row)
    try:
        with transaction.atomic():
            DocumentAttachment.objects.bulk_create(attachments)
            record(actor, "document.attached", document, {"names": [a.name for a in attachments]})
    except BaseException:
        discard_files(attachments)
        raise
    return attachments


def file_url(attachment: DocumentAttachment) -> str:
    """Where the file is served; the name is there for people reading the URL, quoted so that
    spaces and brackets do not break a Markdown link."""
    document = attachment.document
    url = reverse(
        "documents:file",
        args=[document.organization.slug, document.pk, attachment.pk, "f"],
    )
    return url[:-1] + quote(attachment.name, safe="")


def markdown_for(attachment: DocumentAttachment) -> str:
    """What the editor inserts: ![name](url) for a picture, [name](url) for any other file."""
    label = attachment.name.replace("[", "(").replace("]", ")")
    prefix = "!" if filekit.is_inline(attachment) else ""
    return f"{prefix}[{label}]({file_url(attachment)})"
