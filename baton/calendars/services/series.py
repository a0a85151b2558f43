"""Editing a recurring series: this occurrence (an override row), this and the following ones (the
series is split in two at the occurrence), or all of them (exceptions shift with the series), and
moving a series to another calendar."""

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from baton.calendars import recurrence
from baton.calendars.models import (
    Calendar,
    Event,
    EventParticipant,
)
from baton.calendars.services.event_fields import (
    UTC,
    apply_fields,
    changed_event,
    json_safe,
    read_moment,
    require_writable,
    set_participants,
)


def master_and_occurrence(event: Event, occurrence):
    if event.series_id:
        master = Event.objects.select_related("calendar__organization").get(pk=event.series_id)
        return master, event.recurrence_id
    return event, occurrence


def checked_occurrence(master: Event, occurrence) -> dt.datetime:
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


def override_for(master: Event, occurrence: dt.datetime) -> Event:
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
    new_start = read_moment(new_start, field="start", tz=tz, all_day=all_day)
    parts = recurrence._parts(rrule)
    old_day = old_start.astimezone(tz).weekday()
    new_day = new_start.astimezone(tz).weekday()
    days = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    if parts.get("FREQ") == "WEEKLY" and parts.get("BYDAY") == days[old_day] and old_day != new_day:
        parts["BYDAY"] = days[new_day]
        return recurrence._normalised(parts)
    return rrule


def target_calendar(actor, event: Event, calendar: Calendar | None, scope: str):
    """The calendar `event` moves to, checked; None when it stays where it is.

    Another organization's calendar is refused as not found (its existence is not disclosed),
    a calendar the actor only reads with 403, the holidays calendar with 403."""
    if calendar is None or calendar.pk == event.calendar_id:
        return None
    if calendar.organization_id != event.calendar.organization_id:
        raise Http404
    require_writable(actor, calendar)
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


def update_single(
    actor, event: Event, fields, *, allow_rrule=True, new=False, target=None
) -> Event:
    changed = apply_fields(event, fields, allow_rrule=allow_rrule)
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
        changed_event(event, "event.updated", actor, json_safe(changed))
    return event


def update_series(actor, master: Event, occurrence, fields, *, target=None) -> Event:
    tz = recurrence.zone(master.timezone)
    old_start, old_rrule = master.start, master.rrule
    fields = dict(fields)
    if occurrence is not None and "start" in fields:
        # New times of one occurrence: shift the series' start by the same wall-clock amount
        # (in the new zone when the zone changes too).
        new_tz = recurrence.zone(fields.get("timezone") or master.timezone)
        all_day = bool(fields.get("all_day", master.all_day))
        new_start = read_moment(fields["start"], field="start", tz=new_tz, all_day=all_day)
        delta = recurrence.local_naive(new_start, new_tz) - recurrence.local_naive(occurrence, tz)
        fields["start"] = recurrence.localize(
            recurrence.local_naive(master.start, tz) + delta, new_tz
        )
        if "end" in fields:
            new_end = read_moment(fields["end"], field="end", tz=new_tz, all_day=all_day)
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
        changed = apply_fields(master, fields)
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
        changed_event(master, "event.updated", actor, {**json_safe(changed), "scope": "all"})
    return master


def until_before(master: Event, occurrence: dt.datetime) -> str:
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


def rdates_before(master: Event, occurrence: dt.datetime) -> list[str]:
    return [recurrence.utc_key(d) for d in sorted(recurrence._rdates(master)) if d < occurrence]


def _rdates_from(master: Event, occurrence: dt.datetime) -> list[str]:
    return [recurrence.utc_key(d) for d in sorted(recurrence._rdates(master)) if d >= occurrence]


def split_series(actor, master: Event, occurrence: dt.datetime, fields) -> Event:
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
    changed = apply_fields(successor, fields)
    with transaction.atomic():
        responses = dict(
            EventParticipant.objects.filter(event=master).values_list("user_id", "response")
        )
        master.rrule = until_before(master, occurrence)
        master.exdates = [recurrence.utc_key(d) for d in sorted(keys) if d < occurrence]
        master.rdates = rdates_before(master, occurrence)
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
        changed_event(
            successor,
            "event.updated",
            actor,
            {**json_safe(changed), "scope": "following", "split_from": master.pk},
        )
    return successor
