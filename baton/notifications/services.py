"""Writes of the notifications a person makes: marking read, and their settings. Reading is one's
own state, not a change to anything others see, so it records no Activity; it tells the
reader's other tabs the new unread count. (The worker's writes, delivering mail and reminders,
are its jobs': mail.py, reminders.py, dispatch.py.)"""

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baton.accounts.models import User
from baton.notifications.channels.inbox import publish_read
from baton.notifications.channels.mail import mode_for, schedule
from baton.notifications.models import Kind, MailMode, MailState, Notification, NotificationSettings
from baton.notifications.reminders import REMINDER_CHOICES


def mark_read(*, actor: User, notification: Notification) -> Notification:
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


def mark_all_read(*, actor: User) -> int:
    with transaction.atomic():
        count = Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        if count:
            publish_read(actor.pk)
    return count


def save_preferences(*, actor: User, mail_modes: dict, digest_hours: int, digest_time, reminders):
    """Save the person's choices and move their waiting mail to the new schedule."""
    unknown = set(mail_modes) - set(Kind.values)
    if unknown or any(m not in MailMode.values for m in mail_modes.values()):
        raise forms.ValidationError(_("Unknown mail choice."))
    if not 1 <= int(digest_hours) <= 24:
        raise forms.ValidationError(
            {"digest_hours": _("Enter a whole number of hours from 1 to 24.")}
        )
    if any(m not in REMINDER_CHOICES for m in reminders):
        raise forms.ValidationError({"reminder_minutes": _("Choose among the offered times.")})
    with transaction.atomic():
        prefs, _created = NotificationSettings.objects.select_for_update().get_or_create(user=actor)
        prefs.mail_modes = dict(mail_modes)
        prefs.digest_hours = int(digest_hours)
        prefs.digest_time = digest_time
        prefs.reminder_minutes = list(reminders)
        prefs.save()
        reschedule_pending(actor, prefs)
    return prefs


def reschedule_pending(user, prefs: NotificationSettings) -> int:
    """Mail waiting for this person follows their new choices (never: not mailed; a digest: the
    new digest time). A retry after a failure keeps its back-off."""
    now = timezone.now()
    rows = list(
        Notification.objects.filter(
            recipient=user, mail_state=MailState.PENDING, mail_attempts=0
        ).only("id", "kind", "mail_state", "mail_due_at", "created_at")
    )
    changed = []
    for n in rows:
        mode = mode_for(prefs, n.kind)
        state, due = schedule(user, prefs, n.kind, now)
        if mode == MailMode.IMMEDIATE and n.mail_due_at is not None and n.mail_due_at <= due:
            continue  # already due within the batching window
        n.mail_state, n.mail_due_at = state, due
        changed.append(n)
    if changed:
        Notification.objects.bulk_update(changed, ["mail_state", "mail_due_at"])
    return len(changed)
