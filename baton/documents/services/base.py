"""What every document service shares: the Activity row, the live event, the conflict error."""

from typing import Any

from baton.activity.services import record_activity
from baton.documents.models import Document
from baton.realtime.bus import publish_on_commit


def document_channel(document_id: int) -> str:
    return f"document:{document_id}"


def record(actor, verb: str, document: Document, data: dict[str, Any] | None = None):
    return record_activity(
        actor=actor,
        verb=verb,
        target=document,
        organization_id=document.organization_id,
        project_id=document.project_id,
        data=data,
    )


def publish(document: Document, event_type: str, *, actor=None, **payload) -> None:
    """`actor` (who made the change) lets a page skip the events its own user caused."""
    if actor is not None:
        payload["actor"] = actor.pk
        payload["actor_name"] = actor.name  # the page's "X saved version N" banner
    publish_on_commit(
        document_channel(document.pk), {"type": event_type, "document": document.pk, **payload}
    )
