"""Mail of notifications: which rows are due, one message per card or one digest, sending.

Runs only in a worker (the mail job in tasks.py), never in a web request. Several workers may run
it at once: each claims the rows of a few people with one guarded UPDATE (mail_state PENDING →
SENDING, mail_claimed_by = the claimer), so no row is claimed twice, and marks each mail SENT as
soon as it is sent. While it sends, the claimer stamps its rows (mail_due_at) every
HEARTBEAT_EVERY; rows of a worker that died stop being stamped and go back to the queue after
CLAIM_TIMEOUT. A failed send puts the rows back to PENDING with a growing delay (BACKOFF); after the
last attempt they are FAILED, which organization managers see on the mail page.
"""

import contextlib
import datetime as dt
import logging
import secrets
import threading
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from baton.core.links import absolute_url, site_url
from baton.notifications.channels.mail import mode_for, user_zone
from baton.notifications.models import MailMode, MailState, Notification, NotificationSettings

logger = logging.getLogger("baton.mail")

BACKOFF = [
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=6),
]
MAX_ATTEMPTS = len(BACKOFF) + 1
# A claim is small: the due mail of at most CLAIM_PEOPLE people (and CLAIM_ROWS rows), so a
# killed worker holds little and several workers share a long queue.
CLAIM_PEOPLE = 10
CLAIM_ROWS = 200
# A sending worker stamps its claimed rows this often; rows not stamped for CLAIM_TIMEOUT belong
# to a worker that died and are queued again.
HEARTBEAT_EVERY = dt.timedelta(seconds=5)
CLAIM_TIMEOUT = dt.timedelta(seconds=30)


# ---------------------------------------------------------------- text


def describe(notification: Notification) -> str:
    """What happened, in the active language (the inbox's wording; reminders word their own)."""
    if notification.verb.startswith("reminder."):
        from baton.notifications.reminders import reminder_text

        return reminder_text(notification)
    try:
        from baton.notifications.text import describe as inbox_describe
    except ImportError:  # pragma: no cover - the inbox's text module is not there yet
        return notification.verb
    return inbox_describe(notification)


def absolute(url: str) -> str:
    """A link in a mail: the worker has no request, so it points at BATON_SITE_URL."""
    return absolute_url(url)


def language_of(user) -> str:
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def _groups(rows: list[Notification]) -> list[dict]:
    """Rows by target, in order of their first change, each with its lines."""
    groups: dict[tuple[str, int], dict] = {}
    for n in sorted(rows, key=lambda r: (r.created_at, r.pk)):
        group = groups.setdefault(
            (n.target_type, n.target_id),
            {"title": n.target_title, "url": absolute(n.target_url), "lines": []},
        )
        group["title"] = n.target_title or group["title"]
        group["lines"].append(
            {
                "actor": str(n.actor) if n.actor_id and n.actor else "",
                "text": describe(n),
                "at": n.created_at,
                "reminder": n.verb.startswith("reminder."),
            }
        )
    return list(groups.values())


def render(recipient, rows: list[Notification], *, digest: bool) -> EmailMultiAlternatives:
    """One mail to `recipient` about `rows`: a single target's changes, or a digest of several,
    in the recipient's language and time zone."""
    with translation.override(language_of(recipient)), timezone.override(user_zone(recipient)):
        groups = _groups(rows)
        count = len(rows)
        if digest:
            subject = ngettext(
                "Baton digest: %(count)d update", "Baton digest: %(count)d updates", count
            ) % {"count": count}
        elif count == 1:
            subject = f"{groups[0]['title']} · {groups[0]['lines'][0]['text']}"
        else:
            subject = ngettext(
                "%(title)s · %(count)d update", "%(title)s · %(count)d updates", count
            ) % {"title": groups[0]["title"], "count": count}
        context = {
            "language": translation.get_language(),
            "recipient": recipient,
            "groups": groups,
            "digest": digest,
            "count": count,
            "settings_url": absolute(reverse("notifications:settings")),
            "site_url": site_url(),
        }
        text = render_to_string("notifications/mail/message.txt", context)
        html = render_to_string("notifications/mail/message.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:200],
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
    )
    message.attach_alternative(html, "text/html")
    return message


# ---------------------------------------------------------------- the job


def new_claimer() -> str:
    """This run's name on the rows it claims: its worker (host-pid) and a token, so two runs in
    one process (a worker's threads) never take each other's rows for their own."""
    from baton.core.worker import worker_id

    return f"{worker_id()}-{secrets.token_hex(4)}"[-64:]


def release_stuck(now: dt.datetime | None = None) -> int:
    """Rows whose claimer stopped beating (a worker that died) go back to PENDING. A live worker,
    however slow its mail server, beats every HEARTBEAT_EVERY and keeps its rows."""
    cutoff = (now or timezone.now()) - CLAIM_TIMEOUT
    released = Notification.objects.filter(
        mail_state=MailState.SENDING, mail_due_at__lt=cutoff
    ).update(mail_state=MailState.PENDING, mail_claimed_by="")
    if released:
        logger.warning("%d mails of a stopped worker are queued again", released)
    return released


def claim(
    now: dt.datetime,
    limit: int = CLAIM_PEOPLE,
    *,
    claimer: str = "",
    max_rows: int = CLAIM_ROWS,
) -> list[int]:
    """Take the due rows of the first `limit` people for `claimer`: PENDING → SENDING, stamped
    now (the first heartbeat), in one transaction. A person's rows are claimed together, so a
    digest is one mail. On PostgreSQL rows another worker is claiming are skipped (FOR UPDATE
    SKIP LOCKED); SQLite runs one writing transaction at a time (BEGIN IMMEDIATE), so the
    guarded UPDATE is enough."""
    due = Notification.objects.filter(mail_state=MailState.PENDING, mail_due_at__lte=now)
    with transaction.atomic():
        first = (
            due.order_by("mail_due_at", "id")
            .select_for_update(skip_locked=True)
            .values_list("recipient_id", flat=True)[:limit]
        )
        people = set(first)
        if not people:
            return []
        ids = list(
            due.filter(recipient_id__in=people)
            .order_by("mail_due_at", "id")
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)[:max_rows]
        )
        claimed = Notification.objects.filter(id__in=ids, mail_state=MailState.PENDING).update(
            mail_state=MailState.SENDING, mail_due_at=timezone.now(), mail_claimed_by=claimer
        )
        if claimed != len(ids):  # pragma: no cover - cannot happen inside the lock
            raise RuntimeError("mail rows claimed twice")
    return ids


@contextlib.contextmanager
def heartbeat(claimer: str):
    """While the block runs, a thread stamps the claimer's SENDING rows every HEARTBEAT_EVERY,
    so other workers see it alive through a slow mail server and leave its rows alone."""
    if connection.in_atomic_block:
        # Rows of an uncommitted transaction (a test's) are invisible to another connection.
        yield
        return
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(HEARTBEAT_EVERY.total_seconds()):
                try:
                    Notification.objects.filter(
                        mail_claimed_by=claimer, mail_state=MailState.SENDING
                    ).update(mail_due_at=timezone.now())
                except Exception as error:  # the next beat tries again
                    logger.warning("mail heartbeat failed: %s: %s", type(error).__name__, error)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name="baton-mail-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def compose(rows: list[Notification]) -> tuple[list, list[int]]:
    """([(message, rows)], ids not to mail): per recipient, their immediate rows as one mail per
    target and their digest rows as one digest, following their settings as they are now."""
    prefs = {
        p.user_id: p
        for p in NotificationSettings.objects.filter(user_id__in={n.recipient_id for n in rows})
    }
    by_recipient: dict[int, list[Notification]] = defaultdict(list)
    for n in rows:
        by_recipient[n.recipient_id].append(n)
    out, skipped = [], []
    for recipient_rows in by_recipient.values():
        recipient = recipient_rows[0].recipient
        if not recipient.is_active or not recipient.email:
            skipped += [n.pk for n in recipient_rows]
            continue
        targets: dict[tuple[str, int], list[Notification]] = defaultdict(list)
        digest = []
        for n in recipient_rows:
            mode = mode_for(prefs.get(recipient.pk), n.kind)
            if mode == MailMode.NEVER:
                skipped.append(n.pk)
            elif mode == MailMode.IMMEDIATE:
                targets[(n.target_type, n.target_id)].append(n)
            else:
                digest.append(n)
        for target_rows in targets.values():
            out.append((render(recipient, target_rows, digest=False), target_rows))
        if digest:
            out.append((render(recipient, digest, digest=True), digest))
    return out, skipped


def _failed(mine, rows: list[Notification], error: str, now: dt.datetime) -> None:
    """Back to PENDING later (BACKOFF by attempt), or FAILED after the last attempt. `mine`: the
    claimer's SENDING rows (a row released meanwhile is another worker's now)."""
    error = error[:300]
    by_attempts: dict[int, list[int]] = defaultdict(list)
    for n in rows:
        by_attempts[n.mail_attempts + 1].append(n.pk)
    for attempts, ids in by_attempts.items():
        if attempts >= MAX_ATTEMPTS:
            mine.filter(id__in=ids).update(
                mail_state=MailState.FAILED,
                mail_attempts=attempts,
                mail_error=error,
                mail_claimed_by="",
            )
        else:
            mine.filter(id__in=ids).update(
                mail_state=MailState.PENDING,
                mail_attempts=attempts,
                mail_due_at=now + BACKOFF[attempts - 1],
                mail_error=error,
                mail_claimed_by="",
            )


def send(ids: list[int], now: dt.datetime, *, claimer: str = "") -> dict:
    """Mail the rows `ids` claimed by `claimer`; every row ends SENT, NONE, PENDING (retry) or
    FAILED. Each mail is marked SENT as soon as the server took it (its own transaction): a
    worker killed in the middle leaves only the mails it had not sent yet."""
    mine = Notification.objects.filter(mail_claimed_by=claimer, mail_state=MailState.SENDING)
    rows = list(mine.filter(id__in=ids).select_related("recipient", "actor"))
    stats = {"sent": 0, "failed": 0, "skipped": 0}
    try:
        messages, skipped = compose(rows)
    except Exception as error:
        logger.exception("could not compose mail for %d notifications", len(rows))
        _failed(mine, rows, f"{type(error).__name__}: {error}", now)
        stats["failed"] = len(rows)
        return stats
    if skipped:
        mine.filter(id__in=skipped).update(mail_state=MailState.NONE, mail_claimed_by="")
        stats["skipped"] = len(skipped)
    if not messages:
        return stats
    mailer = mailers.default
    try:
        mailer.open()
    except Exception as error:
        reason = f"{type(error).__name__}: {error}"
        logger.warning("mail server unavailable, %d mails wait: %s", len(messages), reason)
        for _message, message_rows in messages:
            _failed(mine, message_rows, reason, now)
            stats["failed"] += 1
        _log_final(messages)
        return stats
    try:
        for message, message_rows in messages:
            row_ids = [n.pk for n in message_rows]
            # Still ours (and a heartbeat): rows released while this worker stalled may be
            # another worker's by now, and are not mailed twice.
            if mine.filter(id__in=row_ids).update(mail_due_at=timezone.now()) != len(row_ids):
                logger.warning("mail to %s left to another worker", ", ".join(message.to))
                continue
            try:
                if mailer.send_messages([message]) != 1:
                    raise RuntimeError("the mail backend did not send the message")
            except Exception as error:
                reason = f"{type(error).__name__}: {error}"
                logger.warning("mail to %s failed: %s", ", ".join(message.to), reason)
                _failed(mine, message_rows, reason, now)
                stats["failed"] += 1
            else:
                mine.filter(id__in=row_ids).update(
                    mail_state=MailState.SENT, mail_error="", mail_claimed_by=""
                )
                stats["sent"] += 1
    finally:
        with contextlib.suppress(Exception):  # closing a dead connection may fail
            mailer.close()
    _log_final(messages)
    return stats


def _log_final(messages) -> None:
    for message, message_rows in messages:
        if any(n.mail_attempts + 1 >= MAX_ATTEMPTS for n in message_rows):
            ids = [n.pk for n in message_rows]
            if Notification.objects.filter(id__in=ids, mail_state=MailState.FAILED).exists():
                logger.error(
                    "gave up mailing %s after %d attempts", ", ".join(message.to), MAX_ATTEMPTS
                )


def send_due_mail(*, now: dt.datetime | None = None, rounds: int = 1000) -> dict:
    """The mail job: queue again the rows of stopped workers, then claim and send due rows, a
    few people at a time, until none are left (or `rounds` claims)."""
    now = now or timezone.now()
    totals = {"sent": 0, "failed": 0, "skipped": 0, "released": release_stuck()}
    claimer = new_claimer()
    with heartbeat(claimer):
        for _round in range(rounds):
            ids = claim(now, claimer=claimer)
            if not ids:
                break
            for key, value in send(ids, now, claimer=claimer).items():
                totals[key] += value
    return totals


def mail_status(organization, *, limit: int = 20) -> dict:
    """What the organization's mail page shows: counts by state and the latest failures."""
    from django.db.models import Count

    rows = Notification.objects.filter(organization=organization)
    counts = dict(
        rows.filter(mail_state__in=[MailState.PENDING, MailState.SENDING, MailState.FAILED])
        .values_list("mail_state")
        .annotate(n=Count("id"))
        .order_by()
    )
    retrying = rows.filter(mail_state=MailState.PENDING, mail_attempts__gt=0)
    return {
        "pending": counts.get(MailState.PENDING, 0) + counts.get(MailState.SENDING, 0),
        "failed": counts.get(MailState.FAILED, 0),
        "retrying": retrying.count(),
        "failures": list(
            rows.filter(mail_attempts__gt=0)
            .exclude(mail_state=MailState.SENT)
            .exclude(mail_error="")
            .select_related("recipient")
            .order_by("-mail_due_at", "-id")[:limit]
        ),
    }
