"""What every service shares: the conflict error, validation helpers, Activity rows, live events."""

from typing import Any

from baton.activity.services import record_activity
from baton.projects.models import (
    Project,
)
from baton.realtime.bus import project_channel, publish_on_commit


def record(actor, verb: str, target, project: Project, data: dict[str, Any] | None = None):
    return record_activity(
        actor=actor,
        verb=verb,
        target=target,
        organization_id=project.organization_id,
        project_id=project.pk,
        data=data,
    )


def publish(project: Project, event_type: str, *, actor=None, **payload) -> None:
    """`actor` (who made the change) lets a page skip the events its own user caused."""
    if actor is not None:
        payload["actor"] = actor.pk
    publish_on_commit(project_channel(project.pk), {"type": event_type, **payload})
