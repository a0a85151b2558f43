"""deliver(): save new notifications once, then hand them to every delivery channel.

A channel is a module with `deliver(notifications, activity=None)` named in
settings.BATON_NOTIFICATION_CHANNELS (the inbox, mail; later a webhook, DingTalk, WeCom or a
Feishu robot: one module and one line in that setting each).
"""

from importlib import import_module

from django.conf import settings
from django.db import IntegrityError, transaction

from baton.notifications.models import Notification

DEFAULT_CHANNELS = [
    "baton.notifications.channels.inbox",
    "baton.notifications.channels.mail",
]


def channels() -> list:
    names = getattr(settings, "BATON_NOTIFICATION_CHANNELS", None) or DEFAULT_CHANNELS
    return [import_module(name) for name in names]


def deliver(notifications: list[Notification], *, activity=None) -> list[Notification]:
    """Save the unsaved `notifications` in bulk, leaving out anyone already told of the same
    activity (a fan-out that runs twice tells nobody twice), then let every channel deliver the
    saved ones. Returns the notifications saved now."""
    if not notifications:
        return []
    with transaction.atomic():
        saved = _save(notifications)
        if saved:
            for channel in channels():
                channel.deliver(saved, activity=activity)
    return saved


def _save(notifications: list[Notification]) -> list[Notification]:
    for attempt in range(2):
        fresh = _not_yet_told(notifications)
        if not fresh:
            return []
        try:
            with transaction.atomic():
                return Notification.objects.bulk_create(fresh)
        except IntegrityError:  # another worker told some of them meanwhile: look again
            if attempt:
                raise
    return []  # not reached


def _not_yet_told(notifications: list[Notification]) -> list[Notification]:
    activity_ids = {n.activity_id for n in notifications if n.activity_id is not None}
    told = set()
    if activity_ids:
        told = set(
            Notification.objects.filter(
                activity_id__in=activity_ids,
                recipient_id__in={n.recipient_id for n in notifications},
            ).values_list("activity_id", "recipient_id")
        )
    seen, fresh = set(), []
    for n in notifications:
        key = (n.activity_id, n.recipient_id)
        if n.activity_id is not None and (key in told or key in seen):
            continue
        seen.add(key)
        fresh.append(n)
    return fresh
