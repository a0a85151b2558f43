"""Import an .ics file into a calendar, with a summary of what was imported and what was skipped.

The file as a whole is refused (nothing written) when it is too large, not iCalendar, or holds
more events than MAX_EVENTS. Otherwise each event is imported on its own or skipped with its
reason: an event is written whole or not at all (one savepoint each), and the import is one
transaction with one Activity row.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from baton.activity.services import record_activity
from baton.calendars import ical
from baton.calendars.models import CalendarKind, CalendarRole, Event
from baton.calendars.permissions import require_calendar_role
from baton.calendars.recurrence import series_end, validate_rrule
from baton.calendars.services.calendars import organization_channel
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
    skipped: list[ical.Skipped] = field(default_factory=list)

    @property
    def imported_count(self) -> int:
        return len(self.imported)

    @property
    def skipped_count(self) -> int:
        return len(self.skipped)


def max_bytes() -> int:
    return getattr(settings, "CALENDAR_IMPORT_MAX_BYTES", MAX_BYTES)


def max_events() -> int:
    return getattr(settings, "CALENDAR_IMPORT_MAX_EVENTS", MAX_EVENTS)


def _file_error(message: str) -> ValidationError:
    return ValidationError({"file": message})


def import_ics(*, actor, calendar, data: bytes, filename: str = "") -> ImportSummary:
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
    existing = set(
        Event.objects.filter(calendar=calendar, series__isnull=True).values_list("uid", flat=True)
    )
    with transaction.atomic():
        masters: dict[str, Event] = {}
        # Series first, then the occurrences edited on their own, which need their series.
        ordered = sorted(parsed.events, key=lambda e: e.recurrence_id is not None)
        for item in ordered:
            if item.recurrence_id is None:
                if item.uid in existing or item.uid in masters:
                    summary.skipped.append(
                        ical.Skipped(
                            item.title,
                            _("An event with the same UID is already in this calendar."),
                            item.uid,
                        )
                    )
                    continue
            else:
                master = masters.get(item.uid)
                if master is None:
                    summary.skipped.append(
                        ical.Skipped(
                            item.title,
                            _("It changes one occurrence of a series that was not imported."),
                            item.uid,
                        )
                    )
                    continue
            try:
                with transaction.atomic():
                    event = _write(actor, calendar, item, masters.get(item.uid))
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
            summary.imported.append(
                ImportedItem(
                    title=event.title,
                    start=event.start,
                    all_day=event.all_day,
                    recurring=bool(event.rrule),
                    is_override=item.recurrence_id is not None,
                    notes=item.notes,
                    **_days(event),
                )
            )
        record_activity(
            actor=actor,
            verb="calendar.imported",
            target=calendar,
            organization_id=calendar.organization_id,
            data={
                "file": filename[:200],
                "imported": summary.imported_count,
                "skipped": summary.skipped_count,
            },
        )
        if summary.imported:
            publish_on_commit(
                organization_channel(calendar.organization_id),
                {"type": "calendar.imported", "calendar": calendar.pk},
            )
    return summary


def _days(event: Event) -> dict:
    if not event.all_day:
        return {}
    tz = zoneinfo.ZoneInfo(event.timezone)
    first = event.start.astimezone(tz).date()
    last = event.end.astimezone(tz).date() - datetime.timedelta(days=1)
    return {"first_day": first, "last_day": max(first, last)}


def _write(actor, calendar, item: ical.ParsedEvent, master: Event | None) -> Event:
    event = Event(
        calendar=calendar,
        uid=item.uid,
        title=item.title,
        description=item.description,
        location=item.location,
        start=item.start,
        end=item.end,
        all_day=item.all_day,
        timezone=item.timezone,
        created_by=actor,
    )
    if master is not None:
        event.series = master
        event.recurrence_id = item.recurrence_id
        event.timezone = item.timezone
        event.recurrence_end = event.end
    else:
        if item.rrule:
            event.rrule = validate_rrule(
                item.rrule, start=item.start, timezone=item.timezone, all_day=item.all_day
            )
            event.exdates = sorted(set(item.exdates))
        event.recurrence_end = series_end(event)
    event.full_clean(exclude=["calendar", "series", "created_by", "uid"])
    event.save()
    return event
