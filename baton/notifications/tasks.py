"""Every background job of Baton's notifications (django.tasks, run by `baton worker`).

The fan-out job lives in fanout.py (the notifications' own module); the periodic jobs here are
scheduled in settings.TASKS["default"]["OPTIONS"]["periodic"]. dbtasks does not retry a failed
task, so each job is written to be re-run: what it has not finished is found again next time
(mail rows stay PENDING, a reminder without its SentReminder row is tried again), and two workers
running one job at once never do the same thing twice (see mail.py and reminders.py).
"""

import datetime as dt

from django.tasks import task
from django.utils import timezone


@task
def send_mail() -> dict:
    """Claim and send the notification mail that is due (every 30 s)."""
    from baton.notifications.mail import send_due_mail

    return send_due_mail()


@task
def send_reminders() -> dict:
    """Cards due soon or overdue, events about to start (every minute)."""
    from baton.notifications.reminders import send_reminders as run

    return run()


@task
def housekeeping() -> dict:
    """Every 5 minutes: forget old live events, requeue jobs of dead workers, old reminders."""
    from baton.core.worker import recover_dead_workers
    from baton.notifications.models import SentReminder
    from baton.realtime.stream import prune_live_events

    pruned = prune_live_events()
    recovered = recover_dead_workers()
    forgotten, _ = SentReminder.objects.filter(
        due_at__lt=timezone.now() - dt.timedelta(days=30)
    ).delete()
    return {"live_events": pruned, "recovered": recovered, "reminders": forgotten}
