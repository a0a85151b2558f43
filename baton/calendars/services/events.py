"""Writes to events: create, edit (this occurrence / this and following / all), move, delete,
answer an invitation.

Times given to these services may be aware datetimes, naive datetimes (read in the event's time
zone), dates (all-day) or ISO 8601 strings. All-day events run from 00:00 of their first day to
00:00 after their last day in their zone (an end on the start day means a one-day event).
"""

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from baton.accounts.models import User
from baton.calendars import recurrence
from baton.calendars.models import (
    Attendance,
    Calendar,
    Event,
    EventParticipant,
)
from baton.calendars.permissions import event_role
from baton.calendars.services.calendars import publish, record
from baton.calendars.services.discussion import remove_event_files_on_commit
from baton.calendars.services.event_fields import (
    SCOPES,
    apply_fields,
    changed_event,
    require_writable,
    set_participants,
)
from baton.calendars.services.series import (
    checked_occurrence,
    master_and_occurrence,
    override_for,
    rdates_before,
    split_series,
    target_calendar,
    until_before,
    update_series,
    update_single,
)
from baton.core.errors import ConflictError
from baton.core.validation import parse_int

# ---------------------------------------------------------------- create


def create_event(
    *,
    actor: User,
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
    require_writable(actor, calendar)
    event = Event(calendar=calendar, created_by=actor, uid=f"{uuid.uuid4()}@baton")
    event.timezone = timezone or ""
    event.start = event.end = None  # type: ignore[assignment]  # apply_fields() sets both
    changed = apply_fields(
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
        changed_event(event, "event.created", actor, {"title": event.title})
    return event


# ---------------------------------------------------------------- edit


def update_event(
    *,
    actor: User,
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
    require_writable(actor, event.calendar)
    if scope not in SCOPES:
        raise ValidationError({"scope": _("Not one of the choices.")})
    if version is not None and parse_int(version, field="version") != event.version:
        raise ConflictError(
            Event.objects.get(pk=event.pk),
            _("Someone else changed this event while you were editing it."),
        )
    target = target_calendar(actor, event, calendar, scope)
    if not event.rrule and not event.series_id:
        return update_single(actor, event, fields, target=target)
    if event.series_id and scope == "this":
        return update_single(actor, event, fields, allow_rrule=False)
    master, occurrence = master_and_occurrence(event, occurrence)
    if scope == "this":
        occurrence = checked_occurrence(master, occurrence)
        override = override_for(master, occurrence)
        return update_single(actor, override, fields, allow_rrule=False, new=override.pk is None)
    if occurrence is not None:
        occurrence = checked_occurrence(master, occurrence)
    if scope == "following" and occurrence is not None and occurrence > master.start:
        return split_series(actor, master, occurrence, fields)
    return update_series(actor, master, occurrence, fields, target=target)


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


def delete_event(*, actor: User, event: Event, scope: str = "all", occurrence=None) -> None:
    """Delete an event, one occurrence of a series (an EXDATE), the occurrence and the ones after
    it, or the whole series."""
    require_writable(actor, event.calendar)
    if scope not in SCOPES:
        raise ValidationError({"scope": _("Not one of the choices.")})
    organization_id = event.calendar.organization_id
    if not event.rrule and not event.series_id:
        with transaction.atomic():
            changed_event(event, "event.deleted", actor, {"title": event.title})
            remove_event_files_on_commit(event)  # its comments' and its own files
            event.delete()
        return
    master, occurrence = master_and_occurrence(event, occurrence)
    if not event.series_id and scope != "all":
        occurrence = checked_occurrence(master, occurrence)
    if scope == "all" or (scope == "following" and occurrence <= master.start):
        with transaction.atomic():
            changed_event(master, "event.deleted", actor, {"title": master.title})
            remove_event_files_on_commit(master)
            master.delete()
        return
    with transaction.atomic():
        if scope == "this":
            master.exdates = sorted({*(master.exdates or []), recurrence.utc_key(occurrence)})
            master.overrides.filter(recurrence_id=occurrence).delete()
        else:
            keys = recurrence._exdates(master)
            master.rrule = until_before(master, occurrence)
            master.exdates = [recurrence.utc_key(d) for d in sorted(keys) if d < occurrence]
            master.rdates = rdates_before(master, occurrence)
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


def respond_to_event(*, actor: User, event: Event, response: str) -> EventParticipant:
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
        changed_event(event, "event.responded", actor, {"response": response})
    return row
