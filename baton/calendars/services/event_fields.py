"""What an event's fields may hold and how a write applies them: times read in the event's zone,
spans, reminders, participants, and the Activity row and live event of a change. Shared by
events.py (create, edit, move, delete) and series.py (the surgery of recurring series).

Times may be aware datetimes, naive datetimes (read in the event's time zone), dates (all-day) or
ISO 8601 strings. All-day events run from 00:00 of their first day to 00:00 after their last day
in their zone (an end on the start day means a one-day event).
"""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from baton.calendars import recurrence
from baton.calendars.models import (
    Attendance,
    Calendar,
    CalendarKind,
    CalendarRole,
    Event,
    EventParticipant,
)
from baton.calendars.permissions import require_calendar_role
from baton.calendars.services.calendars import optional_text, publish, record, required_text
from baton.core.validation import parse_id, parse_int
from baton.orgs.models import Membership

UTC = dt.UTC
TITLE_MAX = 200
DESCRIPTION_MAX = 20_000
LOCATION_MAX = 200
MAX_REMINDERS = 5
MAX_REMINDER_MINUTES = 4 * 7 * 24 * 60  # four weeks
MAX_LENGTH = dt.timedelta(days=366)
SCOPES = ("this", "following", "all")
EVENT_FIELDS = {
    "title",
    "description",
    "location",
    "start",
    "end",
    "all_day",
    "timezone",
    "rrule",
    "participants",
    "reminders",
}


# ---------------------------------------------------------------- validation helpers


def require_writable(actor, calendar: Calendar) -> None:
    require_calendar_role(actor, calendar, CalendarRole.EDITOR)
    if calendar.kind != CalendarKind.EVENTS:
        raise PermissionDenied
    if calendar.archived_at is not None:
        raise ValidationError({"calendar": _("This calendar is archived.")})


def read_moment(value, *, field: str, tz, all_day: bool) -> dt.datetime:
    """An aware UTC datetime (00:00 local of the day for all-day events)."""
    if isinstance(value, str):
        text = value.strip()
        try:
            value = (
                dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text)
            )
        except ValueError:
            raise ValidationError({field: _("Not a valid date and time.")}) from None
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=tz)
        if all_day:
            day = value.astimezone(tz).date()
            return recurrence.localize(dt.datetime.combine(day, dt.time()), tz)
        return value.astimezone(UTC)
    if isinstance(value, dt.date):
        if not all_day:
            raise ValidationError({field: _("Give a time, or make it an all-day event.")})
        return recurrence.localize(dt.datetime.combine(value, dt.time()), tz)
    raise ValidationError({field: _("This field is required.")})


def _check_span(start: dt.datetime, end: dt.datetime, tz, all_day: bool) -> dt.datetime:
    """The end, checked against the start (an all-day end on the start day: one day)."""
    if all_day and end == start:
        end = recurrence.localize(recurrence.local_naive(start, tz) + dt.timedelta(days=1), tz)
    if end < start:
        raise ValidationError({"end": _("The end is before the start.")})
    if end - start > MAX_LENGTH:
        raise ValidationError({"end": _("An event lasts at most a year.")})
    return end


def _reminders(values) -> list[int]:
    try:
        minutes = sorted(
            {parse_int(v, field="reminders", minimum=None) for v in values or []}, reverse=True
        )
    except ValidationError:
        raise ValidationError({"reminders": _("Reminders are minutes before the start.")}) from None
    if len(minutes) > MAX_REMINDERS:
        raise ValidationError({"reminders": _("At most %(n)d reminders.") % {"n": MAX_REMINDERS}})
    if any(m < 0 or m > MAX_REMINDER_MINUTES for m in minutes):
        raise ValidationError({"reminders": _("A reminder is at most four weeks before.")})
    return minutes


def _participants(calendar: Calendar, people) -> list:
    ids = []
    for person in people or ():
        pk = parse_id(person)
        if pk is None:
            raise ValidationError({"participants": _("Unknown person.")})
        ids.append(pk)
    ids = list(dict.fromkeys(ids))
    members = set(
        Membership.objects.filter(
            organization_id=calendar.organization_id, user_id__in=ids
        ).values_list("user_id", flat=True)
    )
    if len(members) != len(ids):
        raise ValidationError(
            {"participants": _("Participants must be members of the organization.")}
        )
    return ids


def set_participants(event: Event, user_ids: list[int], keep_responses: dict | None = None):
    existing = dict(EventParticipant.objects.filter(event=event).values_list("user_id", "id"))
    wanted = set(user_ids)
    EventParticipant.objects.filter(event=event).exclude(user_id__in=wanted).delete()
    responses = keep_responses or {}
    EventParticipant.objects.bulk_create(
        [
            EventParticipant(
                event=event, user_id=uid, response=responses.get(uid, Attendance.PENDING)
            )
            for uid in user_ids
            if uid not in existing
        ]
    )


def apply_fields(event: Event, fields: dict[str, Any], *, allow_rrule: bool = True) -> dict:
    """Validate `fields` and set them on the (unsaved) event; returns what changed (for the
    Activity row) with 'participants' kept aside for after the save."""
    unknown = set(fields) - EVENT_FIELDS
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")
    errors: dict[str, list] = {}
    changed: dict[str, Any] = {}

    def attempt(fn):
        try:
            return fn()
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                errors.setdefault(key, []).extend(messages)
            return None

    if "title" in fields:
        title = attempt(lambda: required_text(fields["title"], field="title", max_length=TITLE_MAX))
        if title is not None:
            changed["title"] = title
    for name, limit in (("description", DESCRIPTION_MAX), ("location", LOCATION_MAX)):
        if name in fields:
            value = attempt(lambda n=name, m=limit: optional_text(fields[n], field=n, max_length=m))
            if value is not None:
                changed[name] = value
    if "reminders" in fields:
        value = attempt(lambda: _reminders(fields["reminders"]))
        if value is not None:
            changed["reminders"] = value
    if "participants" in fields:
        value = attempt(lambda: _participants(event.calendar, fields["participants"]))
        if value is not None:
            changed["participants"] = value
    tz_name = fields.get("timezone") or event.timezone
    tz = attempt(lambda: recurrence.zone(tz_name))
    if tz is not None:
        all_day = bool(fields.get("all_day", event.all_day))
        old_tz = recurrence.zone(event.timezone) if event.timezone else tz
        if "start" in fields:
            start = attempt(
                lambda: read_moment(fields["start"], field="start", tz=tz, all_day=all_day)
            )
        elif event.start is not None:
            # Keep the wall-clock start when only the zone or all-day changes.
            naive = recurrence.local_naive(event.start, old_tz)
            start = read_moment(naive, field="start", tz=tz, all_day=all_day)
        else:
            start = attempt(lambda: read_moment(None, field="start", tz=tz, all_day=all_day))
        if "end" in fields:
            end = attempt(lambda: read_moment(fields["end"], field="end", tz=tz, all_day=all_day))
        elif event.end is not None and event.start is not None and start is not None:
            length = recurrence.local_naive(event.end, old_tz) - recurrence.local_naive(
                event.start, old_tz
            )
            if all_day and not event.all_day:
                length = dt.timedelta(days=max(1, length.days))
            elif not all_day and event.all_day:
                length = dt.timedelta(hours=1)
            end = recurrence.localize(recurrence.local_naive(start, tz) + length, tz)
        else:
            end = attempt(lambda: read_moment(None, field="end", tz=tz, all_day=all_day))
        if start is not None and end is not None:
            end = attempt(lambda: _check_span(start, end, tz, all_day))
        rrule = fields.get("rrule", event.rrule) or ""
        if rrule and not allow_rrule:
            errors.setdefault("rrule", []).append(
                _("A single occurrence cannot repeat; edit the whole series instead.")
            )
        elif rrule and start is not None and end is not None:
            rrule = attempt(
                lambda: recurrence.validate_rrule(
                    rrule, start=start, timezone=tz_name, all_day=all_day
                )
            )
        if not errors:
            values = {
                "timezone": tz_name,
                "all_day": all_day,
                "start": start,
                "end": end,
                "rrule": rrule if allow_rrule else "",
            }
            for key, value in values.items():
                if getattr(event, key) != value:
                    changed[key] = value
    if errors:
        raise ValidationError(errors)
    for key, value in changed.items():
        if key != "participants":
            setattr(event, key, value)
    if event.rrule:
        _snap_to_first(event)
    event.recurrence_end = recurrence.series_end(event) if not event.series_id else event.end
    return changed


def _snap_to_first(event: Event) -> None:
    """Make the series start its first occurrence (a Tuesday start of a Mondays rule moves to
    the Monday after), as RFC 5545 expects of DTSTART."""
    if recurrence.is_occurrence(event, event.start):
        return
    first = recurrence.expand(
        _copy_without_exdates(event), event.start, event.start + dt.timedelta(days=366 * 30)
    )
    if not first:
        raise ValidationError({"rrule": _("This repeat rule never happens.")})
    shift = first[0].start
    event.end = first[0].end
    event.start = shift


def _copy_without_exdates(event: Event) -> Event:
    copy = Event(
        start=event.start,
        end=event.end,
        timezone=event.timezone,
        rrule=event.rrule,
        all_day=event.all_day,
    )
    copy.exdates = []
    return copy


def json_safe(changed: dict) -> dict:
    return {
        k: (v.isoformat() if isinstance(v, dt.datetime) else v)
        for k, v in changed.items()
        if k != "description"
    }


def changed_event(event: Event, verb: str, actor, data: dict | None = None) -> None:
    record(actor, verb, event, event.calendar.organization_id, data)
    publish(event.calendar_id, verb, actor=actor, event=event.series_id or event.pk)
