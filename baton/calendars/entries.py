"""The calendar's JSON for FullCalendar, built for a busy month (thousands of entries).

What is the same for many entries is said once: each calendar's and project's name, colour, task
URL prefix and whether the person may drag its entries sit in a table at the top, and each entry
carries short keys and only what is its own. frontend/src/calendar-entries.js turns this into
FullCalendar's event objects (classes, URLs, ids, extendedProps):

    {
      "calendars": {"<id>": {"name": …, "color": …, "editable": bool}},
      "projects": {"<id>": {"key": "SH", "name": …, "color": …, "url": "/o/<slug>/SH-",
                            "editable": bool}},
      "panel": "/o/<slug>/calendar/events/",    an event's panel is at panel + its id
      "span": bool,                              tasks are resized over start…due (project tab)
      "events": [{"r": event id, "c": calendar id, "t": title, "s": start, "e": end,
                  "o": its start in the series (UTC, repeating events only),
                  "i": the series id (moved occurrences only)}],
      "tasks": [{"p": project id, "n": number, "t": title, "s": first day,
                 "e": the day after the last (only when more than one day), "d": 1 when done}],
      "holidays": [{"c": calendar id, "k": holiday key, "t": title, "s": first day,
                    "e": the day after the last, "w": 1 for a make-up working day}]
    }

Timed events' `s` and `e` are ISO 8601 in UTC, all-day ones dates in the event's own zone (the
end exclusive, as FullCalendar reads it). Every part is optional for the client.
"""

from __future__ import annotations

import datetime as dt

import orjson
from django.http import HttpResponse

from baton.calendars import holidays
from baton.calendars.recurrence import zone

ONE_DAY = dt.timedelta(days=1)


def calendar_table(calendars, editable: set[int]) -> dict[str, dict]:
    return {
        str(c.pk): {"name": c.name, "color": c.color, "editable": c.pk in editable}
        for c in calendars
    }


def project_entry(*, key: str, name: str, color: str, url: str, editable: bool) -> dict:
    return {"key": key, "name": name, "color": color, "url": url, "editable": editable}


def event_entries(found) -> list[dict]:
    """Occurrences (queries.occurrences) as entries; datetimes are left to orjson, which writes
    them in C."""
    zones: dict[str, dt.tzinfo] = {}
    entries = []
    append = entries.append
    for occurrence in found:
        event = occurrence.event
        start, end = occurrence.start, occurrence.end
        if occurrence.all_day:
            tz = zones.get(event.timezone)
            if tz is None:
                tz = zones[event.timezone] = zone(event.timezone)
            start, end = start.astimezone(tz).date(), end.astimezone(tz).date()
        entry = {"r": event.id, "c": event.calendar_id, "t": event.title, "s": start, "e": end}
        if occurrence.recurrence_id is not None:
            entry["o"] = occurrence.recurrence_id
            if occurrence.is_override:
                entry["i"] = event.series_id
        append(entry)
    return entries


def task_entries(tasks, *, span: bool = False) -> list[dict]:
    """Tasks as all-day entries: on their due date, or over start…due with `span`."""
    entries = []
    append = entries.append
    for task in tasks:
        last = task.due_date or task.start_date
        first = task.start_date if span and task.start_date else last
        if last < first:
            first = last
        entry = {"p": task.project_id, "n": task.number, "t": task.title, "s": first}
        if last != first:
            entry["e"] = last + ONE_DAY
        if task.done:
            entry["d"] = 1
        append(entry)
    return entries


def holiday_entries(found, calendar) -> list[dict]:
    entries = []
    for holiday in found:
        entry = {
            "c": calendar.pk,
            "k": holiday.key,
            "t": holiday.title,
            "s": holiday.start,
            "e": holiday.end,
        }
        if holiday.kind == holidays.WORKDAY:
            entry["w"] = 1
        entries.append(entry)
    return entries


def json_response(payload: dict) -> HttpResponse:
    """orjson writes UTF-8 (no \\u escapes for Chinese titles), dates and UTC datetimes as
    ISO 8601, several times faster than the standard library for a month's entries."""
    return HttpResponse(orjson.dumps(payload), content_type="application/json")
