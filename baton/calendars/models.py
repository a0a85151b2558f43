"""Calendars (one per sales platform, a team's meetings, the public holidays) and their events.

Times: an event's `start` and `end` are stored in UTC, and its `timezone` (IANA name) is the zone
it was planned in; a recurring event repeats in that zone's wall-clock time (a 10:00 meeting in
New York stays at 10:00 there across daylight saving). An all-day event starts at 00:00 of its
first day in its zone and ends at 00:00 after its last day (the end is exclusive, as in RFC 5545).

Recurrence: `rrule` holds an RFC 5545 RRULE value without DTSTART (`FREQ=WEEKLY;BYDAY=MO`);
`exdates` the starts (UTC ISO strings) of deleted occurrences; `rdates` extra starts (RDATE,
imported from other calendars) added to those of the rule; an occurrence edited on its own is
an Event with `series` pointing to its master and `recurrence_id` the start it replaces.
`recurrence_end` is the end of the last occurrence (None: it repeats forever), kept by the
services so a visible range is found by one indexed query.
"""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _

from baton.core.colors import PALETTE
from baton.files.models import attachment_path
from baton.orgs.models import Grant, grant_constraints


class CalendarVisibility(models.TextChoices):
    ORGANIZATION = "org", _("Whole organization")
    MEMBERS = "members", _("Chosen members and teams")


class CalendarRole(models.TextChoices):
    EDITOR = "editor", _("Can edit")
    VIEWER = "viewer", _("Read only")


class CalendarKind(models.TextChoices):
    EVENTS = "events", _("Events")
    HOLIDAYS = "holidays", _("Public holidays")  # shows the HolidayDay rows, read-only


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class Calendar(models.Model):
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="calendars"
    )
    name = models.CharField(_("name"), max_length=60)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    color = models.CharField(_("colour"), max_length=16, choices=PALETTE, default="blue")
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=CalendarVisibility.choices,
        default=CalendarVisibility.ORGANIZATION,
    )
    kind = models.CharField(
        max_length=10, choices=CalendarKind.choices, default=CalendarKind.EVENTS
    )
    # The secret of the subscription URL (…/feeds/<token>.ics); None: no feed (revoked).
    feed_token = models.CharField(max_length=64, null=True, blank=True, unique=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class CalendarMember(Grant):
    """Who may see or edit a calendar beyond its visibility: a person or a whole team."""

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(
        _("role"), max_length=10, choices=CalendarRole.choices, default=CalendarRole.VIEWER
    )

    class Meta:
        constraints = grant_constraints("calendar")

    def __str__(self) -> str:
        return f"{self.user_id or self.team_id} on {self.calendar_id} ({self.role})"


class CalendarLayer(models.Model):
    """One person's choice to show or hide a calendar, or a project's task due dates, in their
    calendar view. No row: calendars shown, projects' tasks hidden."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_layers"
    )
    calendar = models.ForeignKey(
        Calendar, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    visible = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "calendar"], name="unique_layer_calendar"),
            models.UniqueConstraint(fields=["user", "project"], name="unique_layer_project"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.calendar_id or self.project_id} {self.visible}"


class Event(models.Model):
    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="events")
    uid = models.CharField(max_length=255)  # iCalendar UID, kept across export and import
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=20_000)
    location = models.CharField(_("location"), max_length=200, blank=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    all_day = models.BooleanField(_("all day"), default=False)
    timezone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai")
    rrule = models.CharField(_("repeat"), max_length=500, blank=True)
    exdates = models.JSONField(default=list, blank=True)
    # Extra starts of a series beyond its RRULE (RFC 5545 RDATE), UTC ISO strings like exdates.
    rdates = models.JSONField(default=list, blank=True)
    recurrence_end = models.DateTimeField(null=True, blank=True)
    # An occurrence edited on its own: its series and the start it replaces.
    series = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="overrides"
    )
    recurrence_id = models.DateTimeField(null=True, blank=True)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="EventParticipant", related_name="events", blank=True
    )
    # Minutes before the start, e.g. [1440, 60]; delivered by the notifications.
    reminders = models.JSONField(default=list, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Its talk and files (baton.discussion, baton.files): deleting it deletes them.
    comments = GenericRelation(
        "discussion.Comment",
        content_type_field="owner_type",
        object_id_field="owner_id",
        related_query_name="event",
    )
    attachments = GenericRelation(
        "files.Attachment",
        content_type_field="owner_type",
        object_id_field="owner_id",
        related_query_name="event",
    )

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["calendar", "uid"],
                condition=models.Q(series__isnull=True),
                name="unique_event_uid",
            ),
            models.UniqueConstraint(
                fields=["series", "recurrence_id"], name="unique_event_override"
            ),
        ]
        indexes = [
            models.Index(fields=["calendar", "start"]),
            models.Index(fields=["calendar", "recurrence_end"]),
        ]

    def __str__(self) -> str:
        return self.title


class Attendance(models.TextChoices):
    PENDING = "pending", _("Not answered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class EventParticipant(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    response = models.CharField(
        max_length=10, choices=Attendance.choices, default=Attendance.PENDING
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="unique_event_participant")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.response} {self.event_id}"


class PersonalFeed(models.Model):
    """The secret of one person's own feed in an organization: their tasks with due dates and
    the events they take part in (…/feeds/me/<token>.ics)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="unique_personal_feed")
        ]

    def __str__(self) -> str:
        return f"feed of {self.user_id} in {self.organization_id}"


# ---------------------------------------------------------------- discussion: comments and files
# Comments and files belong to the Event row the panel shows for a series: a comment or file on
# an edited occurrence (an override row) goes to its series, so the talk about a weekly meeting
# stays in one place whichever occurrence it was opened from (services/discussion.py decides).


# ---------------------------------------------------------------- public holidays
# An organization's days off and make-up working days (调休), shown by its holidays calendars
# (Calendar.kind == "holidays"). Each organization keeps its own rows, seeded from the bundled
# chinese-calendar data for the years it covers, so admins can add the years it lacks and
# correct any day without touching anyone else's calendar.


class HolidayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Day off (休)")
    WORKDAY = "workday", _("Make-up working day (班)")


HOLIDAY_NAME_MAX_LENGTH = 40


class HolidayDay(models.Model):
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="holiday_days"
    )
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=HOLIDAY_NAME_MAX_LENGTH)
    kind = models.CharField(
        _("kind"), max_length=10, choices=HolidayKind.choices, default=HolidayKind.HOLIDAY
    )
    # The bundled data's key (e.g. "spring_festival"), so the name reads in English for English
    # users; empty for days an admin typed or imported, and cleared when one is renamed.
    key = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "date"], name="unique_holiday_day")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name} ({self.kind})"


def event_attachment_path(attachment, filename: str) -> str:
    """Named by the migrations that made the old event attachments table (files.Attachment's
    now): the same generated name."""
    return attachment_path(attachment, filename)
