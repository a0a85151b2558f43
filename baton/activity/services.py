"""record_activity(): the one way a service writes to the audit log."""

from typing import Any

from baton.accounts.models import User
from baton.activity.models import Activity
from baton.activity.signals import activity_recorded


def record_activity(
    *,
    actor: User | None,
    verb: str,
    target,
    organization_id: int,
    project_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> Activity:
    """Append one Activity row. Call it inside the service's transaction, after the write."""
    activity = Activity.objects.create(
        organization_id=organization_id,
        project_id=project_id,
        actor=actor,
        verb=verb,
        target_type=target._meta.model_name,
        target_id=target.pk,
        data=data or {},
    )
    activity_recorded.send(sender=Activity, activity=activity)
    return activity
