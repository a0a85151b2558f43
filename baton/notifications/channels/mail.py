"""The mail channel: decides whether and when each new notification goes out by e-mail.

It sends nothing itself. It sets `mail_state` and `mail_due_at` from the recipient's
NotificationSettings (no row: DEFAULT_MAIL_MODES); the mail job (baton/notifications/tasks.py)
claims the rows that are due and sends them from a worker, never from a web request.

- immediately: due after a short batching window (BATON_MAIL_BATCH_SECONDS), and a later change to
  the same card within the window joins the first one's mail;
- every N hours: due at the next multiple of N hours after midnight in the recipient's time zone;
- daily: due at the next `digest_time` in the recipient's time zone;
- never, or a recipient without an e-mail address or no longer active: not mailed.
"""

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db.models import Min, Q
from django.utils import timezone

from baton.notifications.models import (
    DEFAULT_MAIL_MODES,
    MailMode,
    MailState,
    Notification,
    NotificationSettings,
)


def user_zone(user) -> ZoneInfo:
    try:
        return ZoneInfo(getattr(user, "timezone", "") or settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def mode_for(prefs: NotificationSettings | None, kind: str) -> str:
    """The person's mail mode for `kind` (their choice, else the default)."""
    modes = prefs.mail_modes if prefs is not None else {}
    mode = (modes or {}).get(kind) or DEFAULT_MAIL_MODES.get(kind, MailMode.NEVER)
    return mode if mode in MailMode.values else DEFAULT_MAIL_MODES.get(kind, MailMode.NEVER)


def _at(day: dt.date, time: dt.time, tz: ZoneInfo) -> dt.datetime:
    """A wall-clock time in `tz` as an aware datetime (a time skipped by DST moves forward)."""
    local = dt.datetime.combine(day, time).replace(tzinfo=tz)
    # Round-trip through UTC normalises a non-existent local time (spring forward).
    return local.astimezone(dt.UTC).astimezone(tz)


def next_hourly_digest(now: dt.datetime, hours: int, tz: ZoneInfo) -> dt.datetime:
    """The next multiple of `hours` hours after local midnight, strictly after `now`."""
    hours = min(max(int(hours or 1), 1), 24)
    local = now.astimezone(tz)
    day = local.date()
    for _ in range(3):
        for hour in range(0, 24, hours):
            moment = _at(day, dt.time(hour), tz)
            if moment > now:
                return moment
        day += dt.timedelta(days=1)
    return now + dt.timedelta(hours=hours)  # not reached


def next_daily_digest(now: dt.datetime, at: dt.time, tz: ZoneInfo) -> dt.datetime:
    """The next `at` o'clock in `tz`, strictly after `now`."""
    if isinstance(at, str):
        at = dt.time.fromisoformat(at)
    day = now.astimezone(tz).date()
    moment = _at(day, at, tz)
    if moment <= now:
        moment = _at(day + dt.timedelta(days=1), at, tz)
    return moment


def batch_window() -> dt.timedelta:
    return dt.timedelta(seconds=settings.BATON_MAIL_BATCH_SECONDS)


def schedule(user, prefs: NotificationSettings | None, kind: str, now: dt.datetime):
    """(mail_state, mail_due_at) of a new notification of `kind` for `user`. Immediate mail is
    due after the batching window (deliver() may move it earlier to join a pending batch)."""
    if not user.is_active or not user.email:
        return MailState.NONE, None
    mode = mode_for(prefs, kind)
    if mode == MailMode.IMMEDIATE:
        return MailState.PENDING, now + batch_window()
    if mode == MailMode.HOURLY:
        hours = prefs.digest_hours if prefs is not None else 4
        return MailState.PENDING, next_hourly_digest(now, hours, user_zone(user))
    if mode == MailMode.DAILY:
        at = prefs.digest_time if prefs is not None else dt.time(9)
        return MailState.PENDING, next_daily_digest(now, at, user_zone(user))
    return MailState.NONE, None


def _pending_batches(notifications: list[Notification], now: dt.datetime) -> dict:
    """{(recipient_id, target_type, target_id): earliest due} of immediate mail already waiting:
    a new change to the same card joins that mail rather than starting its own window."""
    targets: dict[tuple[str, int], set[int]] = {}
    for n in notifications:
        targets.setdefault((n.target_type, n.target_id), set()).add(n.recipient_id)
    condition = Q()
    for (target_type, target_id), recipients in targets.items():
        condition |= Q(target_type=target_type, target_id=target_id, recipient_id__in=recipients)
    if not targets:
        return {}
    rows = (
        Notification.objects.filter(condition)
        .filter(mail_state=MailState.PENDING, mail_due_at__lte=now + batch_window())
        .exclude(pk__in=[n.pk for n in notifications])
        .values("recipient_id", "target_type", "target_id")
        .annotate(due=Min("mail_due_at"))
        .order_by()
    )
    return {(r["recipient_id"], r["target_type"], r["target_id"]): r["due"] for r in rows}


def deliver(notifications: list[Notification], activity=None) -> None:
    """Set mail_state/mail_due_at on saved notifications (three queries, whatever their number)."""
    notifications = [n for n in notifications if n.pk is not None]
    if not notifications:
        return
    now = timezone.now()
    from baton.accounts.models import User

    recipient_ids = {n.recipient_id for n in notifications}
    users = {
        u.pk: u
        for u in User.objects.filter(pk__in=recipient_ids).only(
            "id", "email", "is_active", "timezone"
        )
    }
    prefs = {p.user_id: p for p in NotificationSettings.objects.filter(user_id__in=recipient_ids)}
    changed = []
    immediate = []
    for n in notifications:
        user = users.get(n.recipient_id)
        if user is None:
            continue
        state, due = schedule(user, prefs.get(user.pk), n.kind, now)
        if state == MailState.NONE:
            continue
        n.mail_state, n.mail_due_at = state, due
        changed.append(n)
        if mode_for(prefs.get(user.pk), n.kind) == MailMode.IMMEDIATE:
            immediate.append(n)
    if immediate:
        batches = _pending_batches(immediate, now)
        for n in immediate:
            earlier = batches.get((n.recipient_id, n.target_type, n.target_id))
            if earlier is not None and earlier < n.mail_due_at:
                n.mail_due_at = earlier
    # One UPDATE per distinct (state, due): a card's 50 followers mostly share one (bulk_update's
    # CASE over 50 rows cost most of the fan-out's 20 ms).
    groups: dict[tuple, list[int]] = {}
    for n in changed:
        groups.setdefault((n.mail_state, n.mail_due_at), []).append(n.pk)
    for (state, due), ids in groups.items():
        Notification.objects.filter(pk__in=ids).update(mail_state=state, mail_due_at=due)
