"""A comment is as visible as its owner: callers fetch the owner with the owner's own access
helper (404 for outsiders), then the comment among the owner's."""

from typing import Any

from django.http import Http404

from baton.core.validation import parse_id
from baton.discussion.models import Comment
from baton.discussion.queries import comments_of


def get_comment_or_404(owner: Any, comment_id) -> Comment:
    """A comment of this owner (404 for any other's, or for an id that cannot be one)."""
    comment = comments_of(owner).filter(pk=parse_id(comment_id) or 0).first()
    if comment is None:
        raise Http404
    return comment
