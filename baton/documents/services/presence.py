"""Who has a document open, and who is editing it.

The document page and the editor call `touch_presence` every few seconds (PRESENCE_EVERY); a
person counts as present while their last heartbeat is younger than PRESENCE_TTL, so a closed
tab stops counting within seconds even when its goodbye never arrives. Heartbeats are rows in
the database (not process memory), so several server processes agree on who is there.

A heartbeat is not a change anyone reads back later: it records no Activity row.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from baton.accounts.models import User
from baton.documents.models import Document, DocumentPresence, DocumentRole
from baton.documents.permissions import document_role, require_document_role

PRESENCE_EVERY = 5  # seconds between heartbeats (the pages poll at this pace)
PRESENCE_TTL = dt.timedelta(seconds=20)


@dataclass(frozen=True)
class Presence:
    user: object
    editing: bool


def touch_presence(*, actor: User, document: Document, editing: bool = False) -> None:
    """`actor` has the document open (in the editor when `editing`: editors only; a reader's
    claim to be editing is taken as reading)."""
    require_document_role(actor, document, DocumentRole.VIEWER)
    editing = editing and document_role(actor, document) == DocumentRole.EDITOR
    now = timezone.now()
    updated = DocumentPresence.objects.filter(document=document, user=actor).update(
        editing=editing, seen_at=now
    )
    if updated:
        return
    try:
        with transaction.atomic():  # two tabs may send their first heartbeat at once
            DocumentPresence.objects.create(
                document=document, user=actor, editing=editing, seen_at=now
            )
    except IntegrityError:
        DocumentPresence.objects.filter(document=document, user=actor).update(
            editing=editing, seen_at=now
        )


def leave_document(*, actor: User, document: Document, editing: bool = False) -> None:
    """A page was closed: stop counting `actor` at once. Only when their row still says what
    that page said (reading or editing): going from the document to its editor closes the one
    and opens the other, and the editor's heartbeat may arrive first."""
    require_document_role(actor, document, DocumentRole.VIEWER)
    DocumentPresence.objects.filter(document=document, user=actor, editing=editing).delete()


def present_people(document: Document, *, viewer=None) -> list[Presence]:
    """Everyone else with the document open right now, editors first, in one query."""
    rows = (
        DocumentPresence.objects.filter(
            document=document, seen_at__gte=timezone.now() - PRESENCE_TTL
        )
        .exclude(user_id=getattr(viewer, "pk", None))  # type: ignore[misc]  # None matches NULL
        .select_related("user")
        .order_by("-editing", "user__name", "user_id")
    )
    return [Presence(row.user, row.editing) for row in rows]
