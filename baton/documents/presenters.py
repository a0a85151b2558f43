"""How a document's files are written into its text: their URLs and the Markdown the editor
inserts."""

from urllib.parse import quote

from django.urls import reverse

from baton.files.models import Attachment
from baton.files.storage import is_inline


def file_url(attachment: Attachment) -> str:
    """Where the file is served; the name is there for people reading the URL, quoted so that
    spaces and brackets do not break a Markdown link."""
    document = attachment.owner
    url = reverse(
        "documents:file",
        args=[document.organization.slug, document.pk, attachment.pk, "f"],
    )
    return url[:-1] + quote(attachment.name, safe="")


def markdown_for(attachment: Attachment) -> str:
    """What the editor inserts: ![name](url) for a picture, [name](url) for any other file."""
    label = attachment.name.replace("[", "(").replace("]", ")")
    prefix = "!" if is_inline(attachment) else ""
    return f"{prefix}[{label}]({file_url(attachment)})"
