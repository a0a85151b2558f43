"""Reminders: cards due soon or overdue, and events about to start (the reminder job, each minute).

Each reminder goes out exactly once, however many workers run the job and however often: the
job inserts a SentReminder row (unique per person, target, moment and offset) and builds the
notification in the same transaction; a worker that loses the race gets an IntegrityError and
moves on. A reminder whose moment is more than STALE past (the workers were down) is skipped, so a
restart sends no burst of old reminders; an overdue card is still told once (within OVERDUE_WINDOW).

- Cards (owner and participants, each with their own offsets, default 1 day and 1 hour): a due date
  is a date, and it falls due at settings.BATON_DUE_HOUR (18:00) of that day in the reader's time
  zone, the end of a working day. Completed or archived cards, and cards of archived projects, are
  not reminded. Nobody is reminded of a card they may no longer see.
- Events: the offsets set on the event (Event.reminders, minutes before the start), for its
  participants (not those who declined) and its creator, for the next occurrence of a series.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from baton.notifications.channels.mail import user_zone
from baton.notifications.models import (
    DEFAULT_REMINDER_MINUTES,
    Kind,
    Notification,
    NotificationSettings,
    SentReminder,
)

logger = logging.getLogger("baton.reminders")

STALE = dt.timedelta(hours=1)
OVERDUE_WINDOW = dt.timedelta(days=3)
# Offsets people may choose for cards (minutes before the due time).
REMINDER_CHOICES = [15, 30, 60, 180, 24 * 60, 2 * 24 * 60, 7 * 24 * 60]
MAX_CARD_OFFSET = max(REMINDER_CHOICES)
MAX_EVENT_OFFSET = 4 * 7 * 24 * 60  # the calendars allow four weeks

DUE_SOON = "reminder.due_soon"
OVERDUE = "reminder.overdue"
EVENT = "reminder.event"


def due_moment(due_date: dt.date, user) -> dt.datetime:
    """When a date-only due date falls due for `user`: BATON_DUE_HOUR o'clock in their zone."""
    tz = user_zone(user)
    local = dt.datetime.combine(due_date, dt.time(settings.BATON_DUE_HOUR)).replace(tzinfo=tz)
    return local.astimezone(dt.UTC)


def firing_offset(moment: dt.datetime, offsets, now: dt.datetime) -> int | None:
    """The offset (minutes) whose reminder is due now: its time has come, at most STALE ago, and
    the moment itself is still ahead. Several at once (a card made due in ten minutes): the
    nearest one only."""
    if moment <= now:
        return None
    firing = [
        m
        for m in offsets
        if isinstance(m, int) and m >= 0 and now - STALE < moment - dt.timedelta(minutes=m) <= now
    ]
    return min(firing) if firing else None


def _offsets_of(prefs: NotificationSettings | None) -> list[int]:
    if prefs is None:
        return list(DEFAULT_REMINDER_MINUTES)
    return [m for m in (prefs.reminder_minutes or []) if isinstance(m, int) and m > 0]


def _claim(user_id: int, target_type: str, target_id: int, due_at, minutes: int) -> bool:
    """Record the reminder; False when it was already sent (by us earlier or by another worker).
    Runs inside the caller's transaction, in a savepoint of its own."""
    try:
        with transaction.atomic():
            SentReminder.objects.create(
                user_id=user_id,
                target_type=target_type,
                target_id=target_id,
                due_at=due_at,
                minutes_before=minutes,
            )
    except IntegrityError:
        return False
    return True


def _send(candidates: list[tuple]) -> int:
    """candidates: (user, target_type, target_id, due_at, minutes, Notification). Each is
    claimed and delivered in one transaction, so a failure leaves it to the next run."""
    sent = 0
    for user, target_type, target_id, due_at, minutes, notification in candidates:
        try:
            with transaction.atomic():
                if not _claim(user.pk, target_type, target_id, due_at, minutes):
                    continue
                _deliver([notification])
        except Exception:
            logger.exception("reminder %s:%s for user %s failed", target_type, target_id, user.pk)
            continue
        sent += 1
    return sent


def _deliver(notifications: list[Notification]) -> None:
    """Through the dispatcher: the inbox, mail and any other channel."""
    from baton.notifications.dispatch import deliver

    deliver(notifications)


# ---------------------------------------------------------------- cards


def _card_candidates(now: dt.datetime) -> list[tuple]:
    from baton.projects.models import Task
    from baton.projects.permissions import project_role

    today = now.date()
    tasks = (
        Task.objects.filter(
            due_date__gte=today - OVERDUE_WINDOW - dt.timedelta(days=2),
            due_date__lte=today + dt.timedelta(minutes=MAX_CARD_OFFSET) + dt.timedelta(days=2),
            completed_at__isnull=True,
            archived_at__isnull=True,
            project__archived_at__isnull=True,
        )
        .filter(Q(parent__isnull=True) | Q(parent__archived_at__isnull=True))
        .select_related("project__organization", "assignee")
        .prefetch_related("participants")
    )
    people: dict[int, object] = {}
    per_task = []
    for task in tasks:
        recipients = {p.pk: p for p in task.participants.all()}
        if task.assignee_id:
            recipients[task.assignee_id] = task.assignee
        recipients = {pk: u for pk, u in recipients.items() if u.is_active}
        people.update(recipients)
        if recipients:
            per_task.append((task, list(recipients.values())))
    prefs = {p.user_id: p for p in NotificationSettings.objects.filter(user_id__in=people)}
    out = []
    for task, recipients in per_task:
        for user in recipients:
            moment = due_moment(task.due_date, user)
            offset = firing_offset(moment, _offsets_of(prefs.get(user.pk)), now)
            if offset is not None:
                verb = DUE_SOON
            elif now - OVERDUE_WINDOW < moment <= now:
                offset, verb = 0, OVERDUE
            else:
                continue
            if SentReminder.objects.filter(
                user=user, target_type="task", target_id=task.pk, due_at=moment,
                minutes_before=offset,
            ).exists():  # fmt: skip
                continue
            if project_role(user, task.project) is None:
                continue
            out.append(
                (
                    user,
                    "task",
                    task.pk,
                    moment,
                    offset,
                    _task_notification(task, user, verb, moment, offset),
                )
            )
    return out


def _task_notification(task, user, verb, moment, offset) -> Notification:
    project = task.project
    return Notification(
        recipient=user,
        organization_id=project.organization_id,
        activity=None,
        actor=None,
        kind=Kind.REMINDER,
        verb=verb,
        data={"due_at": moment.isoformat(), "minutes_before": offset, "reference": task.reference},
        target_type="task",
        target_id=task.pk,
        target_title=f"{task.reference} {task.title}"[:300],
        target_url=reverse(
            "projects:task", kwargs={"slug": project.organization.slug, "ref": task.reference}
        ),
    )


# ---------------------------------------------------------------- events


def _event_candidates(now: dt.datetime) -> list[tuple]:
    from baton.calendars.models import Attendance, Event
    from baton.calendars.permissions import event_role
    from baton.calendars.queries import expand_all

    start = now - STALE
    end = now + dt.timedelta(minutes=MAX_EVENT_OFFSET) + STALE
    single = Q(rrule="", start__gte=start)
    series = ~Q(rrule="") & (Q(recurrence_end__isnull=True) | Q(recurrence_end__gte=start))
    masters = list(
        Event.objects.filter(series=None, start__lt=end, calendar__archived_at__isnull=True)
        .filter(single | series)
        .exclude(reminders=[])
        .select_related("calendar__organization", "created_by")
    )
    if not masters:
        return []
    overrides = list(
        Event.objects.filter(series__in=[e.pk for e in masters if e.rrule]).select_related(
            "calendar__organization", "created_by"
        )
    )
    out = []
    for occurrence in expand_all(masters, overrides, start, end):
        event = occurrence.event
        moment = occurrence.start
        offset = firing_offset(moment, list(event.reminders or []), now)
        if offset is None:
            continue
        series_id = event.series_id or event.pk
        attendance = [
            a
            for a in _attendance(event.pk, series_id)
            if a.response != Attendance.DECLINED and a.user.is_active
        ]
        recipients = {a.user_id: a.user for a in attendance}
        if event.created_by_id and event.created_by.is_active:
            recipients.setdefault(event.created_by_id, event.created_by)
        for user in recipients.values():
            if SentReminder.objects.filter(
                user=user, target_type="event", target_id=event.pk, due_at=moment,
                minutes_before=offset,
            ).exists():  # fmt: skip
                continue
            if event_role(user, event) is None:
                continue
            out.append(
                (
                    user,
                    "event",
                    event.pk,
                    moment,
                    offset,
                    _event_notification(event, user, moment, offset),
                )
            )
    return out


def _attendance(event_id: int, series_id: int):
    from baton.calendars.models import EventParticipant

    return list(
        EventParticipant.objects.filter(event_id__in={event_id, series_id}).select_related("user")
    )


def _event_notification(event, user, moment, offset) -> Notification:
    organization = event.calendar.organization
    url = reverse("calendars:event", kwargs={"slug": organization.slug, "event_id": event.pk})
    if event.rrule:
        url += "?occurrence=" + moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return Notification(
        recipient=user,
        organization_id=organization.pk,
        activity=None,
        actor=None,
        kind=Kind.REMINDER,
        verb=EVENT,
        data={"due_at": moment.isoformat(), "minutes_before": offset, "all_day": event.all_day},
        target_type="event",
        target_id=event.pk,
        target_title=event.title[:300],
        target_url=url,
    )


# ---------------------------------------------------------------- the job


def send_reminders(*, now: dt.datetime | None = None) -> dict:
    """The reminder job: every reminder whose time has come, once."""
    now = now or timezone.now()
    cards = _send(_card_candidates(now))
    events = _send(_event_candidates(now))
    return {"cards": cards, "events": events}


# ---------------------------------------------------------------- text


def _when(value: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def offset_label(minutes: int) -> str:
    """15 minutes, 3 hours, 2 days: how an offset reads in the settings and in reminders."""
    from django.utils.translation import ngettext

    if minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


def reminder_text(notification: Notification) -> str:
    """What a reminder says, in the active language and time zone."""
    data = notification.data or {}
    try:
        due = dt.datetime.fromisoformat(data.get("due_at", ""))
    except (TypeError, ValueError):
        due = None
    when = _when(due) if due else ""
    if notification.verb == OVERDUE:
        return _("The card is overdue (it was due %(when)s)") % {"when": when}
    if notification.verb == EVENT:
        minutes = int(data.get("minutes_before") or 0)
        if minutes == 0:
            return _("The event starts now (%(when)s)") % {"when": when}
        return _("The event starts in %(left)s (%(when)s)") % {
            "left": offset_label(minutes),
            "when": when,
        }
    minutes = int(data.get("minutes_before") or 0)
    return _("The card is due in %(left)s (%(when)s)") % {
        "left": offset_label(minutes),
        "when": when,
    }
