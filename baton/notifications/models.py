"""Who was told what: the inbox (通知), each person's choices, and reminders already sent.

A Notification is one person's copy of one Activity (or of a reminder). Mail is a property of the
notification: `mail_state` and `mail_due_at` say whether and when it goes out, and the mail job
claims due rows, so nothing is mailed twice and a failed send is retried later.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What a notification is about; each person chooses per kind how mail reaches them."""

    MENTION = "mention", _("Mentions of me")
    ASSIGNMENT = "assignment", _("Cards assigned to me")
    TASK = "task", _("Changes and comments on my cards")
    DOCUMENT = "document", _("Documents I follow")
    EVENT = "event", _("Events I take part in")
    REMINDER = "reminder", _("Due dates and event reminders")


class MailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Right away")
    HOURLY = "hours", _("A digest every few hours")
    DAILY = "daily", _("A daily digest")
    NEVER = "never", _("Never")


class MailState(models.TextChoices):
    NONE = "none", _("Not mailed")
    PENDING = "pending", _("Waiting to be mailed")
    SENDING = "sending", _("Being mailed")
    SENT = "sent", _("Mailed")
    FAILED = "failed", _("Could not be mailed")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+"
    )
    # The change told of; empty for reminders, which no write caused.
    activity = models.ForeignKey(
        "activity.Activity", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # What happened, e.g. "task.assigned", "task.commented", "reminder.due_soon": with `data`, the
    # inbox and the mail say it in the reader's language when they show it.
    verb = models.CharField(max_length=40)
    data = models.JSONField(default=dict, blank=True)
    # What it concerns ("task", 42), with its title and address as they were, so the inbox reads
    # no other table; one mail batches a person's notifications about the same target.
    target_type = models.CharField(max_length=30)
    target_id = models.BigIntegerField()
    target_title = models.CharField(max_length=300)
    target_url = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    mail_state = models.CharField(max_length=10, choices=MailState.choices, default=MailState.NONE)
    mail_due_at = models.DateTimeField(null=True, blank=True)
    mail_attempts = models.PositiveSmallIntegerField(default=0)
    mail_error = models.CharField(max_length=300, blank=True)
    # The mail job run that claimed the row (SENDING); while it sends, it stamps mail_due_at as
    # its heartbeat (baton/notifications/mail.py).
    mail_claimed_by = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Fan-out may run twice (a retried job): nobody hears of one change twice.
            models.UniqueConstraint(
                fields=["recipient", "activity"],
                condition=models.Q(activity__isnull=False),
                name="unique_notification_per_activity",
            )
        ]
        indexes = [
            # The inbox and the bell's unread count.
            models.Index(fields=["recipient", "read_at", "created_at"]),
            # The mail job: what is due.
            models.Index(fields=["mail_state", "mail_due_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.verb} {self.target_type}:{self.target_id}"


class NotificationSettings(models.Model):
    """One person's choices. Missing row: the defaults below."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    # {"mention": "immediate", "task": "daily", ...}; a kind not named takes DEFAULT_MAIL_MODES.
    mail_modes = models.JSONField(default=dict, blank=True)
    digest_hours = models.PositiveSmallIntegerField(default=4)
    digest_time = models.TimeField(default="09:00")
    # Minutes before a card's due time to remind its owner and participants.
    reminder_minutes = models.JSONField(default=list, blank=True)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"settings of {self.user_id}"


DEFAULT_MAIL_MODES = {
    Kind.MENTION: MailMode.IMMEDIATE,
    Kind.ASSIGNMENT: MailMode.IMMEDIATE,
    Kind.TASK: MailMode.DAILY,
    Kind.DOCUMENT: MailMode.DAILY,
    Kind.EVENT: MailMode.IMMEDIATE,
    Kind.REMINDER: MailMode.IMMEDIATE,
}
DEFAULT_REMINDER_MINUTES = [24 * 60, 60]


class SentReminder(models.Model):
    """A reminder that went out. The unique key makes sending it exactly once, whichever worker
    gets there first and however often the reminder job runs."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    target_type = models.CharField(max_length=30)
    target_id = models.BigIntegerField()
    # The moment reminded of (a due time, an occurrence's start) and how long before it.
    due_at = models.DateTimeField()
    minutes_before = models.IntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "target_type", "target_id", "due_at", "minutes_before"],
                name="unique_sent_reminder",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.target_type}:{self.target_id} {self.minutes_before}m"
