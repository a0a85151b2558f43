"""iCalendar (RFC 5545) out of and into calendars.

Export: `feed()` writes one VCALENDAR from events (masters with their RRULE and EXDATEs, and the
occurrences edited on their own as VEVENTs with the master's UID and a RECURRENCE-ID), tasks with
due dates and public holidays. Timed events carry their planning zone (DTSTART;TZID=…) with the
VTIMEZONE it needs; all-day events are DATE values with an exclusive DTEND.

Import: `parse()` reads .ics bytes into `ParsedEvent`s (plain data, nothing written) and the
components it skipped with the reason; services.imports.import_ics writes them.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache

import icalendar
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

PRODID = "-//Baton//Calendars 1.0//EN"
UTC = datetime.UTC
DEFAULT_TIMEZONE = "Asia/Shanghai"


# ---------------------------------------------------------------- shared helpers


@cache
def _zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


@cache
def known_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones()) | {"UTC"}


def exdate_string(value: datetime.datetime) -> str:
    """How Event.exdates stores a deleted occurrence's start: UTC, ISO 8601."""
    return value.astimezone(UTC).isoformat()


def parse_exdate(value: str) -> datetime.datetime:
    parsed = datetime.datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


# ---------------------------------------------------------------- export


def _local(event_tz: str, value: datetime.datetime, *, all_day: bool):
    """A stored UTC instant as the value to write: a DATE for all-day events, else the wall-clock
    time in the event's zone (UTC itself is written with a Z)."""
    local = value.astimezone(_zone(event_tz))
    return local.date() if all_day else local


def _rrule_value(rrule: str, *, timezone: str, all_day: bool) -> icalendar.vRecur:
    """The stored RRULE with its UNTIL made legal for the DTSTART it goes with (RFC 5545 3.3.10:
    a DATE for all-day events, a UTC time for zoned ones)."""
    recur = icalendar.vRecur.from_ical(rrule)
    until = recur.get("UNTIL")
    if until:
        value = until[0]
        if isinstance(value, datetime.datetime):
            if value.tzinfo is None:
                value = value.replace(tzinfo=_zone(timezone))
            value = value.astimezone(_zone(timezone)).date() if all_day else value.astimezone(UTC)
        elif not all_day:  # a date with a timed start: the end of that day where it is planned
            value = datetime.datetime.combine(
                value, datetime.time(23, 59, 59), tzinfo=_zone(timezone)
            ).astimezone(UTC)
        recur["UNTIL"] = [value]
    return recur


def _event_component(event, *, master=None, url: str = "") -> icalendar.Event:
    """One VEVENT: a master (with RRULE/EXDATE) or, with `master`, an occurrence edited alone."""
    component = icalendar.Event()
    series = master or event
    component.add("uid", series.uid)
    component.add("dtstamp", (event.updated_at or event.created_at or _now()).astimezone(UTC))
    if event.created_at:
        component.add("created", event.created_at.astimezone(UTC))
    if event.updated_at:
        component.add("last-modified", event.updated_at.astimezone(UTC))
    component.add("sequence", max(0, (event.version or 1) - 1))
    component.add("summary", event.title)
    if event.description:
        component.add("description", event.description)
    if event.location:
        component.add("location", event.location)
    if url:
        component.add("url", url)
    component.add("dtstart", _local(event.timezone, event.start, all_day=event.all_day))
    component.add("dtend", _local(event.timezone, event.end, all_day=event.all_day))
    if event.all_day:
        component.add("transp", "TRANSPARENT")
    if master is not None:
        component.add(
            "recurrence-id",
            _local(master.timezone, event.recurrence_id, all_day=master.all_day),
        )
    elif event.rrule:
        component.add(
            "rrule", _rrule_value(event.rrule, timezone=event.timezone, all_day=event.all_day)
        )
        if event.exdates:
            component.add(
                "exdate",
                [
                    _local(event.timezone, parse_exdate(value), all_day=event.all_day)
                    for value in sorted(event.exdates)
                ],
            )
        if getattr(event, "rdates", None):
            component.add(
                "rdate",
                [
                    _local(event.timezone, parse_exdate(value), all_day=event.all_day)
                    for value in sorted(event.rdates)
                ],
            )
    for minutes in getattr(event, "reminders", None) or ():
        component.add_component(_alarm(minutes, event.title))
    return component


def _alarm(minutes: int, title: str) -> icalendar.Alarm:
    """A reminder as a VALARM `minutes` before the start."""
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", title)
    alarm.add("trigger", -datetime.timedelta(minutes=int(minutes)))
    return alarm


def _now() -> datetime.datetime:
    return datetime.datetime.now(UTC)


def task_component(task, *, url: str = "") -> icalendar.Event:
    """A task with a due date as an all-day event on that day."""
    component = icalendar.Event()
    component.add("uid", f"task-{task.pk}@baton")
    component.add("dtstamp", (task.updated_at or _now()).astimezone(UTC))
    title = f"{task.reference} {task.title}"
    component.add("summary", ("✓ " + title) if task.completed_at else title)
    component.add("description", task.project.name)
    if url:
        component.add("url", url)
    component.add("dtstart", task.due_date)
    component.add("dtend", task.due_date + datetime.timedelta(days=1))
    component.add("transp", "TRANSPARENT")
    component.add("categories", [_("Task")])
    return component


def holiday_component(day) -> icalendar.Event:
    """A run of public holidays or a make-up working day (holidays.HolidayEntry)."""
    component = icalendar.Event()
    component.add("uid", f"{day.kind}-{day.start.isoformat()}@holidays.baton")
    component.add("dtstamp", datetime.datetime(day.start.year, 1, 1, tzinfo=UTC))
    component.add("summary", day.title)
    component.add("dtstart", day.start)
    component.add("dtend", day.end)
    component.add("transp", "TRANSPARENT")
    return component


def _event_key(event, master) -> tuple:
    """Everything an event's VEVENT is made of: its text is cached under this key, so a changed
    row can never be served stale."""
    return (
        event.uid if master is None else master.uid,
        event.title,
        event.description,
        event.location,
        event.start,
        event.end,
        event.all_day,
        event.timezone,
        event.rrule,
        tuple(event.exdates or ()),
        tuple(getattr(event, "rdates", None) or ()),
        tuple(getattr(event, "reminders", None) or ()),
        event.version,
        event.created_at,
        event.updated_at,
        event.recurrence_id,
        None if master is None else (master.timezone, master.all_day),
    )


class _Row:
    """An event rebuilt from its cache key (what _event_component reads)."""

    def __init__(self, key: tuple):
        (
            self.uid,
            self.title,
            self.description,
            self.location,
            self.start,
            self.end,
            self.all_day,
            self.timezone,
            self.rrule,
            self.exdates,
            self.rdates,
            self.reminders,
            self.version,
            self.created_at,
            self.updated_at,
            self.recurrence_id,
            _master,
        ) = key


@lru_cache(maxsize=20_000)
def _event_text(key: tuple, url: str) -> bytes:
    row = _Row(key)
    master = None
    if key[-1] is not None:
        master = _Row(key)
        master.timezone, master.all_day = key[-1]
    return _event_component(row, master=master, url=url).to_ical()


@lru_cache(maxsize=256)
def _timezone_text(tzid: str, first_year: int) -> bytes:
    """The VTIMEZONE of a zone from `first_year` on (its rules through 2037)."""
    return icalendar.Timezone.from_tzid(tzid, first_date=datetime.date(first_year, 1, 1)).to_ical()


def feed(
    *,
    name: str,
    description: str = "",
    events: Iterable = (),
    tasks: Iterable = (),
    holidays: Iterable = (),
    event_url: Callable | None = None,
    task_url: Callable | None = None,
    timezone: str = DEFAULT_TIMEZONE,
) -> bytes:
    """One VCALENDAR. `events` holds masters and overrides (Event rows with `series_id`); an
    override whose master is not among them is left out (its series is not in this feed).

    Each VEVENT's text is cached under everything it is made of (icalendar is slow to write),
    so a feed polled again and again is mostly a join of cached pieces."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    if description:
        calendar.add("x-wr-caldesc", description)
    calendar.add("x-wr-timezone", timezone)
    calendar.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    head = calendar.to_ical()
    footer = b"END:VCALENDAR\r\n"
    assert head.endswith(footer)
    parts: list[bytes] = []
    events = list(events)
    masters = {event.pk: event for event in events if not event.series_id}
    zones: dict[str, datetime.datetime] = {}
    for event in events:
        master = masters.get(event.series_id) if event.series_id else None
        if event.series_id and master is None:
            continue
        url = event_url(event) if event_url else ""
        parts.append(_event_text(_event_key(event, master), url))
        if not event.all_day and event.timezone != "UTC":
            first = zones.get(event.timezone)
            if first is None or event.start < first:
                zones[event.timezone] = event.start
    for task in tasks:
        parts.append(task_component(task, url=task_url(task) if task_url else "").to_ical())
    for day in holidays:
        parts.append(holiday_component(day).to_ical())
    # VTIMEZONEs for every TZID used, from a year before its first timed event on.
    timezones = [
        _timezone_text(tzid, max(1970, first.year - 1)) for tzid, first in sorted(zones.items())
    ]
    return b"".join([head[: -len(footer)], *timezones, *parts, footer])


# ---------------------------------------------------------------- import

MAX_TITLE = 200
MAX_DESCRIPTION = 20_000
MAX_LOCATION = 200


@dataclass
class ParsedEvent:
    uid: str
    title: str
    start: datetime.datetime  # aware, UTC
    end: datetime.datetime
    all_day: bool
    timezone: str
    description: str = ""
    location: str = ""
    rrule: str = ""
    exdates: list[str] = field(default_factory=list)
    rdates: list[str] = field(default_factory=list)  # extra starts (RDATE), UTC ISO strings
    recurrence_id: datetime.datetime | None = None  # set: an occurrence of `uid` edited alone
    notes: list[str] = field(default_factory=list)  # what was dropped or shortened
    # ATTENDEEs as (lower-case e-mail, PARTSTAT); the import matches them to members.
    attendees: list[tuple[str, str]] = field(default_factory=list)
    reminders: list[int] = field(default_factory=list)  # minutes before the start (VALARM)


@dataclass
class Skipped:
    title: str
    reason: str
    uid: str = ""


@dataclass
class ParsedFile:
    events: list[ParsedEvent]
    skipped: list[Skipped]
    timezone: str


class IcsError(ValueError):
    """The file as a whole cannot be read: nothing of it is imported."""


class _Skip(Exception):
    pass


def _text(component, name: str) -> str:
    value = component.get(name)
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0]
    return str(value).strip()


def _zone_name(prop, value, *, default: str) -> str:
    """The IANA name of a DTSTART's zone; raises _Skip for a zone we cannot place."""
    if isinstance(value, datetime.datetime) and value.tzinfo is None:
        tzid = prop.params.get("TZID") if prop is not None else None
        if tzid:
            raise _Skip(_("Unknown time zone “%(tz)s”.") % {"tz": tzid})
        return default  # floating time: the calendar's zone
    tzinfo = value.tzinfo
    key = getattr(tzinfo, "key", None)
    if key in known_timezones():
        return key
    if value.utcoffset() == datetime.timedelta(0) and str(tzinfo) in ("UTC", "Z", "UTC+00:00"):
        return "UTC"
    tzid = icalendar.timezone.tzid_from_dt(value) if hasattr(icalendar, "timezone") else None
    if tzid in known_timezones():
        return tzid
    raise _Skip(
        _("Unknown time zone “%(tz)s”.") % {"tz": prop.params.get("TZID") or tzid or tzinfo}
    )


def _aware(value, zone_name: str) -> datetime.datetime:
    """A DATE or DATE-TIME value as an aware UTC datetime (a DATE: its midnight in the zone)."""
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time())
    if value.tzinfo is None:
        value = value.replace(tzinfo=_zone(zone_name))
    return value.astimezone(UTC)


def _cut(value: str, limit: int, label: str, notes: list[str]) -> str:
    if len(value) > limit:
        notes.append(_("%(field)s shortened to %(n)d characters.") % {"field": label, "n": limit})
        return value[:limit]
    return value


def _parse_event(component, *, default_tz: str) -> ParsedEvent:
    notes: list[str] = []
    for name, message in component.errors:
        raise _Skip(
            _("Its %(property)s cannot be read (%(error)s).")
            % {"property": name, "error": str(message)[:100]}
        )
    uid = _text(component, "uid")
    if not uid:
        raise _Skip(_("It has no UID."))
    if len(uid) > 255:
        raise _Skip(_("Its UID is longer than 255 characters."))
    if _text(component, "status").upper() == "CANCELLED":
        raise _Skip(_("It is cancelled."))
    prop = component.get("dtstart")
    if prop is None:
        raise _Skip(_("It has no start (DTSTART)."))
    try:
        start_value = component.decoded("dtstart")
    except Exception:  # any unreadable value skips this event alone
        raise _Skip(_("Its start (DTSTART) cannot be read.")) from None
    all_day = not isinstance(start_value, datetime.datetime)
    zone = default_tz if all_day else _zone_name(prop, start_value, default=default_tz)
    start = _aware(start_value, zone)
    try:
        if component.get("dtend") is not None:
            end_value = component.decoded("dtend")
            if all_day != (not isinstance(end_value, datetime.datetime)):
                raise _Skip(_("Its start and end are not both dates or both times."))
            end = _aware(
                end_value,
                zone if all_day else _zone_name(component.get("dtend"), end_value, default=zone),
            )
        elif component.get("duration") is not None:
            end = start + component.decoded("duration")
        else:  # RFC 5545: a day for a date, no length for a time
            end = start + (datetime.timedelta(days=1) if all_day else datetime.timedelta())
    except _Skip:
        raise
    except Exception:
        raise _Skip(_("Its end (DTEND or DURATION) cannot be read.")) from None
    if end < start:
        raise _Skip(_("It ends before it starts."))
    if all_day and end == start:
        end = start + datetime.timedelta(days=1)

    title = _text(component, "summary") or _("(No title)")
    parsed = ParsedEvent(
        uid=uid,
        title=_cut(title, MAX_TITLE, _("Title"), notes),
        start=start,
        end=end,
        all_day=all_day,
        timezone=zone,
        description=_cut(_text(component, "description"), MAX_DESCRIPTION, _("Description"), notes),
        location=_cut(_text(component, "location"), MAX_LOCATION, _("Location"), notes),
        notes=notes,
        attendees=_attendees(component, notes),
        reminders=_reminders(component, notes),
    )

    rid = component.get("recurrence-id")
    if rid is not None:
        if str(rid.params.get("RANGE", "")).upper() == "THISANDFUTURE":
            raise _Skip(_("Changes to “this and following” occurrences (RANGE) are not supported."))
        rid_value = component.decoded("recurrence-id")
        rid_zone = default_tz
        if isinstance(rid_value, datetime.datetime):
            rid_zone = _zone_name(rid, rid_value, default=zone)
        parsed.recurrence_id = _aware(rid_value, rid_zone)
        return parsed

    rrules = component.get("rrule")
    if rrules is not None:
        if isinstance(rrules, list):
            if len(rrules) > 1:
                notes.append(_("Only the first of its %(n)d RRULEs was kept.") % {"n": len(rrules)})
            rrules = rrules[0]
        parsed.rrule = _rrule_text(rrules, zone=zone, all_day=all_day)
        exdates = component.get("exdate")
        if exdates is not None:
            for group in exdates if isinstance(exdates, list) else [exdates]:
                for item in group.dts:
                    value = item.dt
                    if isinstance(value, datetime.datetime):
                        if value.tzinfo is None and item.params.get("TZID"):
                            raise _Skip(
                                _("Unknown time zone “%(tz)s”.") % {"tz": item.params["TZID"]}
                            )
                        moment = _aware(value, zone)
                    elif all_day:
                        moment = _aware(value, zone)
                    else:  # a date for a timed series: that day's occurrence
                        local = start.astimezone(_zone(zone))
                        moment = _aware(
                            datetime.datetime.combine(value, local.time().replace(tzinfo=None)),
                            zone,
                        )
                    parsed.exdates.append(exdate_string(moment))
        parsed.rdates = _rdates(component, start=start, zone=zone, all_day=all_day, notes=notes)
    elif component.get("rdate") is not None:
        notes.append(_("Its extra dates (RDATE) were left out: it has no repeat rule (RRULE)."))
    return parsed


def _values(component, name: str) -> list:
    found = component.get(name)
    if found is None:
        return []
    return found if isinstance(found, list) else [found]


def _attendees(component, notes: list[str]) -> list[tuple[str, str]]:
    """The e-mail addresses (mailto:) of the ATTENDEEs, with their answer (PARTSTAT)."""
    found: dict[str, str] = {}
    unreadable = 0
    for attendee in _values(component, "attendee"):
        address = str(attendee).strip()
        email = address[7:].strip().lower() if address.lower().startswith("mailto:") else ""
        local, at, domain = email.partition("@")
        if not (local and at and "." in domain) or len(email) > 254 or " " in email:
            unreadable += 1
            continue
        found[email] = str(getattr(attendee, "params", {}).get("PARTSTAT", "")).upper()
    if unreadable:
        notes.append(
            ngettext(
                "%(n)d attendee was left out: not an e-mail address (mailto:).",
                "%(n)d attendees were left out: not e-mail addresses (mailto:).",
                unreadable,
            )
            % {"n": unreadable}
        )
    return list(found.items())


MAX_REMINDERS = 5
MAX_REMINDER_MINUTES = 4 * 7 * 24 * 60  # as the event services allow


def _reminders(component, notes: list[str]) -> list[int]:
    """Minutes before the start of the VALARMs whose TRIGGER is a duration before the start;
    the others are left out with the reason."""
    minutes: set[int] = set()
    for alarm in component.walk("VALARM"):
        trigger = alarm.get("trigger")
        try:
            value = alarm.decoded("trigger") if trigger is not None else None
        except Exception:  # an unreadable trigger: that alarm alone is left out
            value = None
        if not isinstance(value, datetime.timedelta):
            if isinstance(value, datetime.datetime | datetime.date):
                notes.append(
                    _(
                        "A reminder at a fixed date and time was left out: reminders are set "
                        "before the start."
                    )
                )
            else:
                notes.append(_("A reminder without a readable time (TRIGGER) was left out."))
            continue
        if str(trigger.params.get("RELATED", "START")).upper() == "END":
            notes.append(_("A reminder relative to the end was left out."))
            continue
        before = -value
        if before < datetime.timedelta(0):
            notes.append(_("A reminder after the start was left out."))
            continue
        if before > datetime.timedelta(minutes=MAX_REMINDER_MINUTES):
            notes.append(_("A reminder more than four weeks before was left out."))
            continue
        minutes.add(int(before.total_seconds() // 60))
    kept = sorted(minutes, reverse=True)
    if len(kept) > MAX_REMINDERS:
        notes.append(
            _("Only the first %(n)d of its %(total)d reminders were kept.")
            % {"n": MAX_REMINDERS, "total": len(kept)}
        )
        kept = sorted(minutes)[:MAX_REMINDERS][::-1]  # the closest to the start matter most
    return kept


def _rdates(component, *, start, zone: str, all_day: bool, notes: list[str]) -> list[str]:
    """The RDATEs of a series as stored (UTC ISO strings): a DATE on a timed series is that
    day at the series' time; a PERIOD keeps its start (the series' length is used)."""
    found: set[str] = set()
    early = 0
    local_time = start.astimezone(_zone(zone)).time().replace(tzinfo=None)
    for group in _values(component, "rdate"):
        for item in group.dts:
            value = item.dt
            if isinstance(value, tuple):  # PERIOD: (start, end or duration)
                value = value[0]
            if isinstance(value, datetime.datetime):
                if value.tzinfo is None and item.params.get("TZID"):
                    raise _Skip(_("Unknown time zone “%(tz)s”.") % {"tz": item.params["TZID"]})
                if all_day:
                    value = (
                        value.date()
                        if value.tzinfo is None
                        else value.astimezone(_zone(zone)).date()
                    )
            elif not all_day:
                value = datetime.datetime.combine(value, local_time)
            moment = _aware(value, zone)
            if moment < start:  # DTSTART is the first occurrence (RFC 5545 3.8.5.2)
                early += 1
                continue
            found.add(exdate_string(moment))
    if early:
        notes.append(
            ngettext(
                "%(n)d extra date (RDATE) before the start was left out.",
                "%(n)d extra dates (RDATE) before the start were left out.",
                early,
            )
            % {"n": early}
        )
    return sorted(found)


def _rrule_text(recur: icalendar.vRecur, *, zone: str, all_day: bool) -> str:
    """The RRULE as stored: UNTIL as a UTC time for timed events (a date for all-day ones)."""
    recur = icalendar.vRecur(recur)
    until = recur.get("UNTIL")
    if until:
        value = until[0]
        if isinstance(value, datetime.datetime):
            if value.tzinfo is None:
                value = value.replace(tzinfo=_zone(zone))
            value = value.astimezone(UTC)
            if all_day:
                value = value.astimezone(_zone(zone)).date()
        elif not all_day:
            value = datetime.datetime.combine(
                value, datetime.time(23, 59, 59), tzinfo=_zone(zone)
            ).astimezone(UTC)
        recur["UNTIL"] = [value]
    return recur.to_ical().decode()


def parse(data: bytes, *, default_timezone: str = DEFAULT_TIMEZONE) -> ParsedFile:
    """Read an .ics file. Raises IcsError when it is not iCalendar at all; an event that cannot
    be read is skipped with its reason, the others are returned."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise IcsError(_("The file is not UTF-8 text, so it is not an iCalendar file.")) from None
    if "BEGIN:VCALENDAR" not in text[:2000].upper():
        raise IcsError(_("This is not an iCalendar (.ics) file: it has no BEGIN:VCALENDAR."))
    try:
        calendars = icalendar.Calendar.from_ical(text, multiple=True)
    except Exception as error:  # the parser raises many kinds
        raise IcsError(
            _("The file could not be read as iCalendar: %(error)s") % {"error": str(error)[:200]}
        ) from None
    if not calendars:
        raise IcsError(
            _("The file is incomplete or malformed: no whole VCALENDAR (BEGIN to END) in it.")
        )
    events: list[ParsedEvent] = []
    skipped: list[Skipped] = []
    timezone = default_timezone
    for calendar in calendars:
        wr_tz = _text(calendar, "x-wr-timezone")
        if wr_tz in known_timezones():
            timezone = wr_tz
        for component in calendar.walk():
            if component.name in ("VTODO", "VJOURNAL", "VFREEBUSY"):
                skipped.append(
                    Skipped(
                        title=_text(component, "summary") or component.name,
                        reason=_("Only events are imported (this is a %(kind)s).")
                        % {"kind": component.name},
                        uid=_text(component, "uid"),
                    )
                )
                continue
            if component.name != "VEVENT":
                continue
            try:
                events.append(_parse_event(component, default_tz=timezone))
            except _Skip as skip:
                skipped.append(
                    Skipped(
                        title=_text(component, "summary") or _("(No title)"),
                        reason=str(skip),
                        uid=_text(component, "uid"),
                    )
                )
            except Exception:  # one unreadable event never stops the others
                skipped.append(
                    Skipped(
                        title=_text(component, "summary") or _("(No title)"),
                        reason=_("It could not be read."),
                        uid=_text(component, "uid"),
                    )
                )
    return ParsedFile(events=events, skipped=skipped, timezone=timezone)
