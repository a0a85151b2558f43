"""Reads of the inbox: one person's notifications, filtered, and their unread count."""

from baton.core.validation import parse_id
from baton.notifications.models import Kind, Notification

FILTERS = ("all", "unread", "mentions", "assigned")


def inbox(user, filter_name: str = "all"):
    """`user`'s notifications, newest first, with their actors (no query per row)."""
    rows = Notification.objects.filter(recipient=user).select_related("actor")
    if filter_name == "unread":
        rows = rows.filter(read_at__isnull=True)
    elif filter_name == "mentions":
        rows = rows.filter(kind=Kind.MENTION)
    elif filter_name == "assigned":
        rows = rows.filter(kind=Kind.ASSIGNMENT)
    return rows.order_by("-created_at", "-id")


def unread_count(user) -> int:
    """One COUNT on the (recipient, read_at, created_at) index."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def get_notification_for_user_or_404(user, notification_id) -> Notification:
    """One of `user`'s own notifications; anyone else's, or a bad id, is a 404."""
    from django.http import Http404

    pk = parse_id(notification_id)
    if pk is None:
        raise Http404
    notification = Notification.objects.filter(pk=pk, recipient=user).first()
    if notification is None:
        raise Http404
    return notification
