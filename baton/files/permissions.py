"""A file is as visible as its owner: callers fetch the owner with the owner's own access helper
(404 for outsiders), then the file among the owner's."""

from typing import Any

from django.http import Http404

from baton.core.validation import parse_id
from baton.files.models import Attachment
from baton.files.queries import attachments_of


def get_attachment_or_404(owner: Any, attachment_id) -> Attachment:
    """A file of this owner (404 for any other's, or for an id that cannot be one)."""
    attachment = attachments_of(owner).filter(pk=parse_id(attachment_id) or 0).first()
    if attachment is None:
        raise Http404
    return attachment
