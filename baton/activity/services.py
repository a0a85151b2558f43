"""record_activity(): the one way a service writes to the audit log."""

from typing import Any

from baton.activity.models import Activity


def record_activity(
    *,
    actor,
    verb: str,
    target,
    organization_id: int,
    project_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> Activity:
    """Append one Activity row. Call it inside the service's transaction, after the write."""
    return Activity.objects.create(
        organization_id=organization_id,
        project_id=project_id,
        actor=actor,
        verb=verb,
        target_type=target._meta.model_name,
        target_id=target.pk,
        data=data or {},
    )
