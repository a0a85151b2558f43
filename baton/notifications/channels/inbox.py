"""The inbox channel: the rows are the inbox; tell each recipient's open pages the new count.

Publishes {"type": "notification.created", "unread": N} on the recipient's user channel (one
COUNT query for all of them and one bulk insert of their live events), so the bell updates in
every tab.
"""

from django.db.models import Count

from baton.notifications.models import Notification
from baton.realtime.bus import publish_many_on_commit, publish_on_commit
from baton.realtime.channels import user_channel


def unread_counts(user_ids) -> dict[int, int]:
    rows = (
        Notification.objects.filter(recipient_id__in=set(user_ids), read_at__isnull=True)
        .values("recipient_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["recipient_id"]: row["n"] for row in rows}


def deliver(notifications: list[Notification], activity=None) -> None:
    recipients = sorted({n.recipient_id for n in notifications})
    if not recipients:
        return
    counts = unread_counts(recipients)
    publish_many_on_commit(
        [
            (user_channel(uid), {"type": "notification.created", "unread": counts.get(uid, 0)})
            for uid in recipients
        ]
    )


def publish_read(user_id: int) -> None:
    """After marking read: the user's other tabs set their bell to the new count."""
    count = Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count()
    publish_on_commit(user_channel(user_id), {"type": "notification.read", "unread": count})
