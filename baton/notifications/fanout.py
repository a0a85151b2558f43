"""The fan-out: one Activity becomes the notifications of the people it concerns.

The receiver of activity_recorded runs inside the writer's transaction: it enqueues the job
(a dbtasks row, so the job commits or rolls back with the change) only for verbs someone may
hear of. The job asks audience.py who hears and why, and hands the notifications to
dispatch.deliver(), which saves each person's once (running the job twice tells nobody twice).
"""

import datetime as dt
import logging

from django.tasks import task
from django.utils import timezone

from baton.activity.models import Activity
from baton.notifications import audience as rules
from baton.notifications.dispatch import deliver


def on_activity_recorded(sender, activity: Activity, **kwargs) -> None:
    if not rules.worth_telling(activity):  # most writes: nobody is told, nothing is enqueued
        return
    extra = rules.snapshot(activity) if activity.verb in rules.SNAPSHOT_VERBS else {}
    if extra:
        fan_out.enqueue(activity_id=activity.pk, snapshot=extra)
    else:
        fan_out.enqueue(activity_id=activity.pk)


def notifications_for(activity: Activity, snapshot: dict | None = None) -> list:
    """The unsaved notifications of `activity` (the rules, without saving anything)."""
    return rules.audience(activity, snapshot).notifications(activity)


log = logging.getLogger("baton.notifications")

# dbtasks does not retry: a fan-out that fails (a locked or unreachable database) enqueues itself
# again after these pauses, then gives up loudly. It is idempotent, so a retry tells nobody twice.
RETRY_SECONDS = [10, 60, 300, 1800]


@task
def fan_out(activity_id: int, snapshot: dict | None = None, attempt: int = 0) -> int:
    """Tell the people `activity_id` concerns; returns how many were told now."""
    try:
        activity = Activity.objects.filter(pk=activity_id).first()
        if activity is None:  # its object's project or organization was deleted since
            return 0
        return len(deliver(notifications_for(activity, snapshot), activity=activity))
    except Exception:
        if attempt >= len(RETRY_SECONDS):
            log.exception("telling of activity %s failed %d times; giving up", activity_id, attempt)
            raise
        pause = dt.timedelta(seconds=RETRY_SECONDS[attempt])
        log.warning(
            "telling of activity %s failed; retrying in %s", activity_id, pause, exc_info=True
        )
        fan_out.using(run_after=timezone.now() + pause).enqueue(
            activity_id=activity_id, snapshot=snapshot, attempt=attempt + 1
        )
        return 0
