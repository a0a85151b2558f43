"""Errors every domain's services raise beside Django's PermissionDenied, Http404 and
ValidationError."""

from typing import Any


class ConflictError(Exception):
    """A write based on a version that is no longer current; nothing was written. `current` is
    the object as it is now and `kept` what the person sent (by field name), so the caller can
    show both (409) and nothing typed is lost."""

    def __init__(self, current: Any, message: str, **kept: Any):
        super().__init__(message)
        self.current = current
        self.kept = kept
