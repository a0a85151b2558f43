"""Writes of the inbox: marking read. Reading is one's own state, not a change to anything
others see, so it records no Activity; it tells the reader's other tabs the new unread count."""

from django.db import transaction
from django.utils import timezone

from baton.notifications.channels.inbox import publish_read
from baton.notifications.models import Notification


def mark_read(*, actor, notification: Notification) -> Notification:
    if notification.recipient_id != actor.pk:
        from django.http import Http404

        raise Http404
    if notification.read_at is not None:
        return notification
    with transaction.atomic():
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
        publish_read(actor.pk)
    return notification


def mark_all_read(*, actor) -> int:
    with transaction.atomic():
        count = Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        if count:
            publish_read(actor.pk)
    return count
