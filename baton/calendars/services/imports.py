"""Import an .ics file into a calendar, with a summary of what was imported, updated and skipped.

An event whose UID is already in the calendar is updated from the file (importing the same file
again changes nothing twice); ATTENDEEs become participants when their e-mail is a member's who
may see the calendar; VALARMs before the start become reminders; RDATEs extra occurrences.

The file as a whole is refused (nothing written) when it is too large, not iCalendar, or holds
more events than MAX_EVENTS. Otherwise each event is imported on its own or skipped with its
reason: an event is written whole or not at all (one savepoint each), and the import is one
transaction with one Activity row.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from baton.accounts.models import User
from baton.activity.services import record_activity
from baton.calendars import ical
from baton.calendars.models import Attendance, CalendarKind, CalendarRole, Event
from baton.calendars.permissions import calendar_role, require_calendar_role
from baton.calendars.recurrence import series_end, validate_rrule
from baton.calendars.services.calendars import calendar_channel
from baton.calendars.services.event_fields import set_participants
from baton.realtime.bus import publish_on_commit

# Defaults; settings.CALENDAR_IMPORT_MAX_BYTES / CALENDAR_IMPORT_MAX_EVENTS override them.
MAX_BYTES = 5 * 1024 * 1024
MAX_EVENTS = 5000


@dataclass
class ImportedItem:
    title: str
    start: datetime.datetime
    all_day: bool
    recurring: bool
    is_override: bool = False
    notes: list[str] = field(default_factory=list)
    # All-day events: the first and last day where they are planned (the end is exclusive).
    first_day: datetime.date | None = None
    last_day: datetime.date | None = None


@dataclass
class ImportSummary:
    imported: list[ImportedItem] = field(default_factory=list)
    updated: list[ImportedItem] = field(default_factory=list)  # found again by their UID
    skipped: list[ical.Skipped] = field(default_factory=list)
    # Distinct ATTENDEE addresses matching no member who may see the calendar.
    attendees_not_found: int = 0

    @property
    def imported_count(self) -> int:
        return len(self.imported)

    @property
    def updated_count(self) -> int:
        return len(self.updated)

    @property
    def skipped_count(self) -> int:
        return len(self.skipped)


def max_bytes() -> int:
    return getattr(settings, "CALENDAR_IMPORT_MAX_BYTES", MAX_BYTES)


def max_events() -> int:
    return getattr(settings, "CALENDAR_IMPORT_MAX_EVENTS", MAX_EVENTS)


def _file_error(message: str) -> ValidationError:
    return ValidationError({"file": message})


def import_ics(*, actor: User, calendar, data: bytes, filename: str = "") -> ImportSummary:
    """Import the events of `data` (.ics bytes) into `calendar` (editors only)."""
    require_calendar_role(actor, calendar, CalendarRole.EDITOR)  # 404 outsiders, 403 viewers
    if calendar.kind == CalendarKind.HOLIDAYS:  # read-only for everyone
        raise PermissionDenied(_("The holidays calendar is read-only."))
    if calendar.archived_at is not None:
        raise _file_error(_("This calendar is archived: restore it before importing."))
    if not data:
        raise _file_error(_("Choose an .ics file to import."))
    if len(data) > max_bytes():
        raise _file_error(
            _("The file is too large (%(size).1f MB); at most %(max)d MB can be imported.")
            % {"size": len(data) / 1024 / 1024, "max": max_bytes() // (1024 * 1024)}
        )
    try:
        parsed = ical.parse(data)
    except ical.IcsError as error:
        raise _file_error(str(error)) from None
    if len(parsed.events) > max_events():
        raise _file_error(
            _("The file holds %(n)d events; at most %(max)d can be imported at once.")
            % {"n": len(parsed.events), "max": max_events()}
        )

    summary = ImportSummary(skipped=list(parsed.skipped))
    uids = {item.uid for item in parsed.events}
    existing = {
        e.uid: e for e in Event.objects.filter(calendar=calendar, series__isnull=True, uid__in=uids)
    }
    people = _Attendees(calendar)
    with transaction.atomic():
        masters: dict[str, Event] = {}
        # Series first, then the occurrences edited on their own, which need their series.
        ordered = sorted(parsed.events, key=lambda e: e.recurrence_id is not None)
        for item in ordered:
            if item.recurrence_id is None:
                if item.uid in masters:
                    summary.skipped.append(
                        ical.Skipped(item.title, _("Its UID is already in this file."), item.uid)
                    )
                    continue
                master = None
                current = existing.get(item.uid)
            else:
                master = masters.get(item.uid) or existing.get(item.uid)
                if master is None:
                    summary.skipped.append(
                        ical.Skipped(
                            item.title,
                            _("It changes one occurrence of a series that was not imported."),
                            item.uid,
                        )
                    )
                    continue
                current = _override_of(master, item.recurrence_id)
            try:
                with transaction.atomic():
                    event = _write(actor, calendar, item, master, current)
                    _set_attendance(event, people.matching(item.attendees))
            except ValidationError as error:
                summary.skipped.append(ical.Skipped(item.title, " ".join(error.messages), item.uid))
                continue
            except IntegrityError:
                summary.skipped.append(
                    ical.Skipped(
                        item.title, _("It repeats an occurrence already imported."), item.uid
                    )
                )
                continue
            if item.recurrence_id is None:
                masters[item.uid] = event
            done = summary.updated if current is not None else summary.imported
            done.append(_item(event, item))
        summary.attendees_not_found = people.not_found_count
        record_activity(
            actor=actor,
            verb="calendar.imported",
            target=calendar,
            organization_id=calendar.organization_id,
            data={
                "file": filename[:200],
                "imported": summary.imported_count,
                "updated": summary.updated_count,
                "skipped": summary.skipped_count,
            },
        )
        if summary.imported or summary.updated:
            publish_on_commit(
                calendar_channel(calendar.pk),
                {"type": "calendar.imported", "calendar": calendar.pk, "actor": actor.pk},
            )
    return summary


def _item(event: Event, item: ical.ParsedEvent) -> ImportedItem:
    return ImportedItem(
        title=event.title,
        start=event.start,
        all_day=event.all_day,
        recurring=bool(event.rrule),
        is_override=item.recurrence_id is not None,
        notes=item.notes,
        **_days(event),
    )


class _Attendees:
    """ATTENDEE addresses matched to the organization's members who may see the calendar (an
    invitation must not show a calendar to someone who could not read it)."""

    def __init__(self, calendar):
        self.calendar = calendar
        self._members: dict[str, object] | None = None
        self._not_found: set[str] = set()

    def members(self) -> dict[str, Any]:
        if self._members is None:  # one query, on the first event with attendees
            users = get_user_model().objects.filter(
                memberships__organization_id=self.calendar.organization_id
            )
            self._members = {u.email.lower(): u for u in users}
        return self._members

    def matching(self, attendees: list[tuple[str, str]]) -> dict[int, str] | None:
        """{user id: response} for the attendees found; None when the event names none."""
        if not attendees:
            return None
        found: dict[int, str] = {}
        for email, partstat in attendees:
            user = self.members().get(email)
            if user is None or calendar_role(user, self.calendar) is None:
                self._not_found.add(email)
                continue
            found[user.pk] = PARTSTAT.get(partstat, Attendance.PENDING)
        return found

    @property
    def not_found_count(self) -> int:
        return len(self._not_found)


PARTSTAT = {"ACCEPTED": Attendance.ACCEPTED, "DECLINED": Attendance.DECLINED}


def _set_attendance(event: Event, found: dict[int, str] | None) -> None:
    """The participants named by the file (answers kept for those already invited); an event
    of the file without ATTENDEEs keeps the participants it has."""
    if found is None:
        return
    set_participants(event, list(found), found)


def _override_of(master: Event, recurrence_id) -> Event | None:
    if master.pk is None:
        return None
    return Event.objects.filter(series=master, recurrence_id=recurrence_id).first()


def _days(event: Event) -> dict:
    if not event.all_day:
        return {}
    tz = zoneinfo.ZoneInfo(event.timezone)
    first = event.start.astimezone(tz).date()
    last = event.end.astimezone(tz).date() - datetime.timedelta(days=1)
    return {"first_day": first, "last_day": max(first, last)}


def _write(
    actor, calendar, item: ical.ParsedEvent, master: Event | None, current: Event | None
) -> Event:
    """A new event from `item`, or `current` (the same UID found again) updated from it: what
    the file says replaces what the event had, its reminders only when the file has some."""
    event = current or Event(calendar=calendar, uid=item.uid, created_by=actor)
    event.title = item.title
    event.description = item.description
    event.location = item.location
    event.start, event.end = item.start, item.end
    event.all_day = item.all_day
    event.timezone = item.timezone
    if item.reminders or current is None:
        event.reminders = list(item.reminders)
    if master is not None:
        event.series = master
        event.recurrence_id = item.recurrence_id
        event.recurrence_end = event.end
    else:
        event.rrule, event.exdates, event.rdates = "", [], []
        if item.rrule:
            event.rrule = validate_rrule(
                item.rrule, start=item.start, timezone=item.timezone, all_day=item.all_day
            )
            event.exdates = sorted(set(item.exdates))
            event.rdates = sorted(set(item.rdates))
        event.recurrence_end = series_end(event)
    if current is not None:
        event.version += 1
    event.full_clean(exclude=["calendar", "series", "created_by", "uid"])
    event.save()
    return event
