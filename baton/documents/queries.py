"""Reads for the document pages: a version's text, the history, a comparison."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from baton.documents import versions
from baton.documents.models import Document, DocumentVersion
from baton.lib.diff import Diff, diff_texts

HISTORY_FIELDS = (
    "number",
    "title",
    "note",
    "author__name",
    "author__email",
    "created_at",
    "restored_from",
    "size",
    "added",
    "removed",
)


def version_text(document: Document, number: int) -> DocumentVersion:
    """Version `number` of this document with its full text as `.body`, in one query (the rows
    since the last full text before it). Another document's version is not found:
    ValidationError."""
    rows = list(
        DocumentVersion.objects.filter(
            document=document,
            number__gt=number - versions.KEYFRAME_EVERY,
            number__lte=number,
        ).order_by("number")
    )
    if not rows or rows[-1].number != number:
        raise ValidationError({"version": _("This document has no version %(n)s.") % {"n": number}})
    start = max(i for i, row in enumerate(rows) if row.kind == versions.FULL)
    wanted = rows[-1]
    wanted.body = versions.rebuild((row.kind, row.data) for row in rows[start:])
    return wanted


def history(document: Document) -> list[dict]:
    """Every saved version, newest first, without the texts (one query)."""
    return list(
        DocumentVersion.objects.filter(document=document)
        .order_by("-number")
        .values(*HISTORY_FIELDS)
    )


def compare(
    document: Document, old: int, new: int
) -> tuple[DocumentVersion, DocumentVersion, Diff]:
    """Two versions of the document and the difference from the first to the second."""
    before, after = version_text(document, old), version_text(document, new)
    return before, after, diff_texts(before.body, after.body)
