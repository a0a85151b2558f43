"""Writes to events: create, edit (this occurrence / this and following / all), move, delete,
answer an invitation.

Times given to these services may be aware datetimes, naive datetimes (read in the event's time
zone), dates (all-day) or ISO 8601 strings. All-day events run from 00:00 of their first day to
00:00 after their last day in their zone (an end on the start day means a one-day event).
"""

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
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
from baton.calendars.permissions import event_role, require_calendar_role
from baton.calendars.services.calendars import optional_text, publish, record, required_text
from baton.calendars.services.discussion import remove_event_files_on_commit
from baton.core.errors import ConflictError
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


def _writable(actor, calendar: Calendar) -> None:
    require_calendar_role(actor, calendar, CalendarRole.EDITOR)
    if calendar.kind != CalendarKind.EVENTS:
        raise PermissionDenied
    if calendar.archived_at is not None:
        raise ValidationError({"calendar": _("This calendar is archived.")})


def _moment(value, *, field: str, tz, all_day: bool) -> dt.datetime:
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


def _apply(event: Event, fields: dict[str, Any], *, allow_rrule: bool = True) -> dict:
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
            start = attempt(lambda: _moment(fields["start"], field="start", tz=tz, all_day=all_day))
        elif event.start is not None:
            # Keep the wall-clock start when only the zone or all-day changes.
            naive = recurrence.local_naive(event.start, old_tz)
            start = _moment(naive, field="start", tz=tz, all_day=all_day)
        else:
            start = attempt(lambda: _moment(None, field="start", tz=tz, all_day=all_day))
        if "end" in fields:
            end = attempt(lambda: _moment(fields["end"], field="end", tz=tz, all_day=all_day))
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
            end = attempt(lambda: _moment(None, field="end", tz=tz, all_day=all_day))
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


def _json_safe(changed: dict) -> dict:
    return {
        k: (v.isoformat() if isinstance(v, dt.datetime) else v)
        for k, v in changed.items()
        if k != "description"
    }


def _changed_event(event: Event, verb: str, actor, data: dict | None = None) -> None:
    record(actor, verb, event, event.calendar.organization_id, data)
    publish(event.calendar_id, verb, actor=actor, event=event.series_id or event.pk)


# ---------------------------------------------------------------- create


def create_event(
    *,
    actor,
    calendar: Calendar,
    title: str,
    start,
    end,
    all_day: bool = False,
    timezone: str | None = None,
    description: str = "",
    location: str = "",
    rrule: str = "",
    participants=(),
    reminders=(),
) -> Event:
    _writable(actor, calendar)
    event = Event(calendar=calendar, created_by=actor, uid=f"{uuid.uuid4()}@baton")
    event.timezone = timezone or ""
    event.start = event.end = None  # type: ignore[assignment]  # _apply() sets both
    changed = _apply(
        event,
        {
            "title": title,
            "start": start,
            "end": end,
            "all_day": all_day,
            "timezone": timezone or getattr(actor, "timezone", "") or "Asia/Shanghai",
            "description": description,
            "location": location,
            "rrule": rrule,
            "participants": participants,
            "reminders": reminders,
        },
    )
    with transaction.atomic():
        event.save()
        set_participants(event, changed.get("participants", []))
        _changed_event(event, "event.created", actor, {"title": event.title})
    return event


# ---------------------------------------------------------------- edit


def _master_and_occurrence(event: Event, occurrence):
    if event.series_id:
        master = Event.objects.select_related("calendar__organization").get(pk=event.series_id)
        return master, event.recurrence_id
    return event, occurrence


def _checked_occurrence(master: Event, occurrence) -> dt.datetime:
    if occurrence is None:
        raise ValidationError({"occurrence": _("Choose which occurrence.")})
    if isinstance(occurrence, str):
        occurrence = recurrence.parse_utc(occurrence)
    if not isinstance(occurrence, dt.datetime):
        raise ValidationError({"occurrence": _("Not a valid date and time.")})
    if occurrence.tzinfo is None:
        occurrence = occurrence.replace(tzinfo=recurrence.zone(master.timezone))
    occurrence = occurrence.astimezone(UTC)
    if not recurrence.is_occurrence(master, occurrence) or recurrence.utc_key(occurrence) in set(
        recurrence.utc_key(d) for d in recurrence._exdates(master)
    ):
        raise ValidationError({"occurrence": _("The series has no occurrence at that time.")})
    return occurrence


def _override_for(master: Event, occurrence: dt.datetime) -> Event:
    found = Event.objects.filter(series=master, recurrence_id=occurrence).first()
    if found is not None:
        found.calendar = master.calendar
        found.series = master
        return found
    tz = recurrence.zone(master.timezone)
    length = recurrence.local_naive(master.end, tz) - recurrence.local_naive(master.start, tz)
    return Event(
        calendar=master.calendar,
        uid=master.uid,
        series=master,
        recurrence_id=occurrence,
        title=master.title,
        description=master.description,
        location=master.location,
        start=occurrence,
        end=recurrence.localize(recurrence.local_naive(occurrence, tz) + length, tz),
        all_day=master.all_day,
        timezone=master.timezone,
        reminders=list(master.reminders),
        created_by=master.created_by,
    )


def _wall_shift(value: dt.datetime, delta: dt.timedelta, tz) -> dt.datetime:
    return recurrence.localize(recurrence.local_naive(value, tz) + delta, tz)


def _shift_exceptions(master: Event, delta: dt.timedelta, tz, overrides) -> None:
    """Keep EXDATEs and overrides attached to their occurrences when the series moves."""
    if not delta:
        return
    master.exdates = [
        recurrence.utc_key(_wall_shift(d, delta, tz)) for d in recurrence._exdates(master)
    ]
    master.rdates = sorted(
        recurrence.utc_key(_wall_shift(d, delta, tz)) for d in recurrence._rdates(master)
    )
    for override in overrides:
        override.recurrence_id = _wall_shift(override.recurrence_id, delta, tz)
        override.save(update_fields=["recurrence_id"])


def _weekday_rule(rrule: str, old_start: dt.datetime, new_start, tz, all_day: bool) -> str:
    """A weekly series on one weekday, moved to another day, follows it (BYDAY changes)."""
    if not rrule or new_start is None:
        return rrule
    new_start = _moment(new_start, field="start", tz=tz, all_day=all_day)
    parts = recurrence._parts(rrule)
    old_day = old_start.astimezone(tz).weekday()
    new_day = new_start.astimezone(tz).weekday()
    days = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    if parts.get("FREQ") == "WEEKLY" and parts.get("BYDAY") == days[old_day] and old_day != new_day:
        parts["BYDAY"] = days[new_day]
        return recurrence._normalised(parts)
    return rrule


def update_event(
    *,
    actor,
    event: Event,
    scope: str = "all",
    occurrence=None,
    version: int | None = None,
    calendar: Calendar | None = None,
    **fields,
) -> Event:
    """Change an event. For a series: scope "this" edits the occurrence starting at
    `occurrence` alone (an override), "following" ends the series before it and starts a new
    series from it, "all" edits the series (with `occurrence`, a new start/end are that
    occurrence's new times and the whole series shifts by the same amount).

    `calendar` moves the event to another calendar of the organization (the actor edits both);
    a series moves whole, with its edited occurrences, so only scope "all" may move one."""
    _writable(actor, event.calendar)
    if scope not in SCOPES:
        raise ValidationError({"scope": _("Not one of the choices.")})
    if version is not None and parse_int(version, field="version") != event.version:
        raise ConflictError(
            Event.objects.get(pk=event.pk),
            _("Someone else changed this event while you were editing it."),
        )
    target = _target_calendar(actor, event, calendar, scope)
    if not event.rrule and not event.series_id:
        return _update_single(actor, event, fields, target=target)
    if event.series_id and scope == "this":
        return _update_single(actor, event, fields, allow_rrule=False)
    master, occurrence = _master_and_occurrence(event, occurrence)
    if scope == "this":
        occurrence = _checked_occurrence(master, occurrence)
        override = _override_for(master, occurrence)
        return _update_single(actor, override, fields, allow_rrule=False, new=override.pk is None)
    if occurrence is not None:
        occurrence = _checked_occurrence(master, occurrence)
    if scope == "following" and occurrence is not None and occurrence > master.start:
        return _split(actor, master, occurrence, fields)
    return _update_series(actor, master, occurrence, fields, target=target)


def _target_calendar(actor, event: Event, calendar: Calendar | None, scope: str):
    """The calendar `event` moves to, checked; None when it stays where it is.

    Another organization's calendar is refused as not found (its existence is not disclosed),
    a calendar the actor only reads with 403, the holidays calendar with 403."""
    if calendar is None or calendar.pk == event.calendar_id:
        return None
    if calendar.organization_id != event.calendar.organization_id:
        raise Http404
    _writable(actor, calendar)
    recurring = bool(event.rrule or event.series_id)
    if recurring and scope != "all":
        raise ValidationError(
            {
                "calendar": _(
                    "One occurrence cannot move to another calendar: "
                    "choose “All occurrences” to move the whole series."
                )
            }
        )
    master_uid = event.uid
    taken = Event.objects.filter(calendar=calendar, uid=master_uid, series__isnull=True).exclude(
        pk=event.series_id or event.pk
    )
    if taken.exists():
        raise ValidationError(
            {"calendar": _("That calendar already holds this event (the same UID).")}
        )
    return calendar


def _move_to_calendar(event: Event, target: Calendar | None, changed: dict) -> None:
    """Put `event` (unsaved change) in `target`, noting the move for the Activity row; its
    edited occurrences follow once it is saved (_move_overrides)."""
    if target is None:
        return
    changed["calendar"] = target.pk
    changed["calendar_from"] = event.calendar_id
    event.calendar = target


def _move_overrides(event: Event, changed: dict) -> None:
    if "calendar" in changed:
        Event.objects.filter(series=event).update(calendar=event.calendar)


def _update_single(
    actor, event: Event, fields, *, allow_rrule=True, new=False, target=None
) -> Event:
    changed = _apply(event, fields, allow_rrule=allow_rrule)
    _move_to_calendar(event, target, changed)
    if not changed and not new:
        return event
    with transaction.atomic():
        if new:
            event.save()
            responses = dict(
                EventParticipant.objects.filter(event=event.series).values_list(
                    "user_id", "response"
                )
            )
            ids = changed.get("participants", list(responses))
            set_participants(event, ids, responses)
        else:
            event.version += 1
            event.save()
            if "participants" in changed:
                set_participants(event, changed["participants"])
        _changed_event(event, "event.updated", actor, _json_safe(changed))
    return event


def _update_series(actor, master: Event, occurrence, fields, *, target=None) -> Event:
    tz = recurrence.zone(master.timezone)
    old_start, old_rrule = master.start, master.rrule
    fields = dict(fields)
    if occurrence is not None and "start" in fields:
        # New times of one occurrence: shift the series' start by the same wall-clock amount
        # (in the new zone when the zone changes too).
        new_tz = recurrence.zone(fields.get("timezone") or master.timezone)
        all_day = bool(fields.get("all_day", master.all_day))
        new_start = _moment(fields["start"], field="start", tz=new_tz, all_day=all_day)
        delta = recurrence.local_naive(new_start, new_tz) - recurrence.local_naive(occurrence, tz)
        fields["start"] = recurrence.localize(
            recurrence.local_naive(master.start, tz) + delta, new_tz
        )
        if "end" in fields:
            new_end = _moment(fields["end"], field="end", tz=new_tz, all_day=all_day)
            if all_day and new_end == new_start:
                new_end = _wall_shift(new_start, dt.timedelta(days=1), new_tz)
            length = recurrence.local_naive(new_end, new_tz) - recurrence.local_naive(
                new_start, new_tz
            )
            if length < dt.timedelta(0):
                raise ValidationError({"end": _("The end is before the start.")})
            fields["end"] = _wall_shift(fields["start"], length, new_tz)
    if "start" in fields and "rrule" not in fields:
        # Re-checked against the new start; a weekly rule on the old weekday follows the move.
        all_day = bool(fields.get("all_day", master.all_day))
        fields["rrule"] = _weekday_rule(master.rrule, master.start, fields["start"], tz, all_day)
    with transaction.atomic():
        changed = _apply(master, fields)
        _move_to_calendar(master, target, changed)
        if not changed:
            return master
        overrides = list(master.overrides.all()) if master.pk else []
        reshaped = _weekday_rule(old_rrule, old_start, master.start, tz, master.all_day)
        if "rrule" in changed and master.rrule != reshaped:
            # A new rule (or none): the exceptions and extra dates of the old one go.
            master.exdates = []
            master.rdates = []
            master.overrides.all().delete()
        elif "start" in changed:
            delta = recurrence.local_naive(master.start, tz) - recurrence.local_naive(old_start, tz)
            _shift_exceptions(master, delta, tz, overrides)
        master.recurrence_end = recurrence.series_end(master)
        master.version += 1
        master.save()
        _move_overrides(master, changed)
        if "participants" in changed:
            set_participants(master, changed["participants"])
        _changed_event(master, "event.updated", actor, {**_json_safe(changed), "scope": "all"})
    return master


def _until_before(master: Event, occurrence: dt.datetime) -> str:
    """The RRULE of `master` ending just before `occurrence`."""
    parts = recurrence._parts(master.rrule)
    parts.pop("COUNT", None)
    tz = recurrence.zone(master.timezone)
    if master.all_day:
        day = occurrence.astimezone(tz).date() - dt.timedelta(days=1)
        parts["UNTIL"] = day.strftime("%Y%m%d")
    else:
        parts["UNTIL"] = (occurrence - dt.timedelta(seconds=1)).strftime("%Y%m%dT%H%M%SZ")
    return recurrence._normalised(parts)


def _rdates_before(master: Event, occurrence: dt.datetime) -> list[str]:
    return [recurrence.utc_key(d) for d in sorted(recurrence._rdates(master)) if d < occurrence]


def _rdates_from(master: Event, occurrence: dt.datetime) -> list[str]:
    return [recurrence.utc_key(d) for d in sorted(recurrence._rdates(master)) if d >= occurrence]


def _split(actor, master: Event, occurrence: dt.datetime, fields) -> Event:
    """'This and following': the old series ends before `occurrence`, a new one starts there."""
    tz = recurrence.zone(master.timezone)
    parts = recurrence._parts(master.rrule)
    length = recurrence.local_naive(master.end, tz) - recurrence.local_naive(master.start, tz)
    new_parts = dict(parts)
    if "COUNT" in parts:
        remaining = int(parts["COUNT"]) - recurrence.occurrences_before(master, occurrence)
        new_parts["COUNT"] = str(max(1, remaining))
    keys = recurrence._exdates(master)
    successor = Event(
        calendar=master.calendar,
        uid=f"{uuid.uuid4()}@baton",
        title=master.title,
        description=master.description,
        location=master.location,
        start=occurrence,
        end=_wall_shift(occurrence, length, tz),
        all_day=master.all_day,
        timezone=master.timezone,
        rrule=recurrence._normalised(new_parts),
        exdates=[recurrence.utc_key(d) for d in sorted(keys) if d >= occurrence],
        rdates=_rdates_from(master, occurrence),
        reminders=list(master.reminders),
        created_by=actor,
    )
    successor_start = successor.start
    fields = dict(fields)
    if "start" in fields and "rrule" not in fields:
        all_day = bool(fields.get("all_day", master.all_day))
        fields["rrule"] = _weekday_rule(successor.rrule, occurrence, fields["start"], tz, all_day)
    changed = _apply(successor, fields)
    with transaction.atomic():
        responses = dict(
            EventParticipant.objects.filter(event=master).values_list("user_id", "response")
        )
        master.rrule = _until_before(master, occurrence)
        master.exdates = [recurrence.utc_key(d) for d in sorted(keys) if d < occurrence]
        master.rdates = _rdates_before(master, occurrence)
        master.recurrence_end = recurrence.series_end(master)
        master.version += 1
        master.save()
        successor.save()
        later = list(master.overrides.filter(recurrence_id__gte=occurrence))
        kept = _weekday_rule(
            recurrence._normalised(new_parts), occurrence, successor.start, tz, successor.all_day
        )
        if "rrule" in changed and successor.rrule != kept:
            successor.exdates = []
            successor.rdates = []
            successor.save(update_fields=["exdates", "rdates"])
            master.overrides.filter(recurrence_id__gte=occurrence).delete()
        else:
            for override in later:
                override.series = successor
                override.save(update_fields=["series"])
            delta = recurrence.local_naive(successor.start, tz) - recurrence.local_naive(
                successor_start, tz
            )
            _shift_exceptions(successor, delta, tz, later)
            successor.save(update_fields=["exdates", "rdates"])
        set_participants(successor, changed.get("participants", list(responses)), responses)
        _changed_event(
            successor,
            "event.updated",
            actor,
            {**_json_safe(changed), "scope": "following", "split_from": master.pk},
        )
    return successor


def move_event(
    *, actor, event: Event, start, end, all_day=None, scope: str = "this", occurrence=None
) -> Event:
    """A drag or a resize in the calendar: new times for the event, or for one occurrence
    (`occurrence`, scope "this"), or for the series shifted by the same amount (scope "all")."""
    fields: dict[str, Any] = {"start": start, "end": end}
    if all_day is not None:
        fields["all_day"] = bool(all_day)
    if (event.rrule or event.series_id) and scope == "this" and occurrence is None:
        occurrence = event.recurrence_id
    return update_event(actor=actor, event=event, scope=scope, occurrence=occurrence, **fields)


# ---------------------------------------------------------------- delete


def delete_event(*, actor, event: Event, scope: str = "all", occurrence=None) -> None:
    """Delete an event, one occurrence of a series (an EXDATE), the occurrence and the ones after
    it, or the whole series."""
    _writable(actor, event.calendar)
    if scope not in SCOPES:
        raise ValidationError({"scope": _("Not one of the choices.")})
    organization_id = event.calendar.organization_id
    if not event.rrule and not event.series_id:
        with transaction.atomic():
            _changed_event(event, "event.deleted", actor, {"title": event.title})
            remove_event_files_on_commit(event)  # its comments' and its own files
            event.delete()
        return
    master, occurrence = _master_and_occurrence(event, occurrence)
    if not event.series_id and scope != "all":
        occurrence = _checked_occurrence(master, occurrence)
    if scope == "all" or (scope == "following" and occurrence <= master.start):
        with transaction.atomic():
            _changed_event(master, "event.deleted", actor, {"title": master.title})
            remove_event_files_on_commit(master)
            master.delete()
        return
    with transaction.atomic():
        if scope == "this":
            master.exdates = sorted({*(master.exdates or []), recurrence.utc_key(occurrence)})
            master.overrides.filter(recurrence_id=occurrence).delete()
        else:
            keys = recurrence._exdates(master)
            master.rrule = _until_before(master, occurrence)
            master.exdates = [recurrence.utc_key(d) for d in sorted(keys) if d < occurrence]
            master.rdates = _rdates_before(master, occurrence)
            master.overrides.filter(recurrence_id__gte=occurrence).delete()
        master.recurrence_end = recurrence.series_end(master)
        master.version += 1
        master.save()
        record(
            actor,
            "event.occurrence_deleted",
            master,
            organization_id,
            {"occurrence": recurrence.utc_key(occurrence), "scope": scope},
        )
        publish(master.calendar_id, "event.updated", actor=actor, event=master.pk)


# ---------------------------------------------------------------- invitations


def respond_to_event(*, actor, event: Event, response: str) -> EventParticipant:
    """A participant accepts or declines (or goes back to not answered)."""
    if event_role(actor, event) is None:
        raise Http404
    if response not in Attendance.values:
        raise ValidationError({"response": _("Not one of the choices.")})
    row = EventParticipant.objects.filter(event=event, user=actor).first()
    if row is None:
        raise PermissionDenied
    if row.response == response:
        return row
    with transaction.atomic():
        row.response = response
        row.save(update_fields=["response"])
        _changed_event(event, "event.responded", actor, {"response": response})
    return row
