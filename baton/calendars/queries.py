"""Reads for the calendar views and feeds: what a person sees in a visible range.

A range is always bounded (the views pass FullCalendar's visible start and end): single events
and series are found by one indexed query on (start, recurrence_end), their edited occurrences by
one more, and series are expanded in Python; never a query per event.
"""

import datetime as dt
import functools
import json
import logging
from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from baton.calendars.models import (
    Calendar,
    CalendarKind,
    CalendarLayer,
    Event,
    HolidayDay,
)
from baton.calendars.permissions import (
    calendar_people,
    can_discuss,
    discussion_event,
    may_moderate,
    visible_calendars,
)
from baton.calendars.recurrence import Occurrence, expand
from baton.discussion.queries import latest_comments, mention_people_json
from baton.files.queries import FileGroup, files_of
from baton.files.storage import max_upload_bytes, max_upload_label
from baton.projects.models import Task
from baton.projects.permissions import visible_projects

logger = logging.getLogger(__name__)


def _aware(value) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    return timezone.make_aware(dt.datetime.combine(value, dt.time()))


def _day(value, *, end: bool = False) -> dt.date:
    """The date of a range bound (an end with a time of day counts its day in)."""
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        if end and local.time() != dt.time():
            return local.date() + dt.timedelta(days=1)
        return local.date()
    return value


def shown_calendars(user, organization):
    """The event calendars the user sees and has not hidden (a queryset, for subqueries)."""
    hidden = CalendarLayer.objects.filter(
        user_id=user.pk, calendar__isnull=False, visible=False
    ).values("calendar_id")
    return (
        visible_calendars(user, organization)
        .filter(kind=CalendarKind.EVENTS)
        .exclude(pk__in=hidden)
    )


class EventRow(NamedTuple):
    """What expanding and showing an event needs, read as a value row: a month holds hundreds
    of events and series, and model instances cost several times more to build."""

    id: int
    calendar_id: int
    title: str
    start: dt.datetime
    end: dt.datetime
    all_day: bool
    timezone: str
    rrule: str
    exdates: list
    rdates: list
    series_id: int | None
    recurrence_id: dt.datetime | None

    @property
    def pk(self) -> int:
        return self.id


# exdates and rdates come as their JSON text, decoded only for series: most rows are single
# events, and decoding two JSON fields per row costs more than the rest of the row.
EVENT_ROW_FIELDS = tuple(
    Cast(name, TextField()) if name in ("exdates", "rdates") else name for name in EventRow._fields
)
_RRULE, _EXDATES, _RDATES = map(EventRow._fields.index, ("rrule", "exdates", "rdates"))


def _dates(text: str | None) -> list:
    if not text or text == "[]":
        return []
    try:
        value = json.loads(text)
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def event_rows(queryset) -> list[EventRow]:
    """The events of `queryset` as EventRows (no ordering: expand_all sorts what it finds)."""
    rows = []
    for row in queryset.order_by().values_list(*EVENT_ROW_FIELDS):
        row = list(row)
        row[_EXDATES] = _dates(row[_EXDATES]) if row[_RRULE] else []
        row[_RDATES] = _dates(row[_RDATES]) if row[_RRULE] else []
        rows.append(EventRow._make(row))
    return rows


def events_in_range(calendars, start: dt.datetime, end: dt.datetime):
    """Single events and series (not their overrides) that may have an occurrence in range."""
    single = Q(rrule="", end__gte=start)
    series = ~Q(rrule="") & (Q(recurrence_end__isnull=True) | Q(recurrence_end__gte=start))
    return Event.objects.filter(calendar__in=calendars, series=None, start__lt=end).filter(
        single | series
    )


@functools.lru_cache(maxsize=4096)
def _series_times(
    rrule: str,
    first_start: dt.datetime,
    first_end: dt.datetime,
    timezone: str,
    all_day: bool,
    exdates: tuple[str, ...],
    rdates: tuple[str, ...],
    start: dt.datetime,
    end: dt.datetime,
) -> tuple[tuple[dt.datetime, dt.datetime, dt.datetime | None], ...]:
    """(start, end, recurrence id) of a series' occurrences in [start, end), kept per process:
    expanding is most of a month's cost, and the same month is asked for by everyone in the
    organization and again after every change. The key is everything the times depend on (not
    the title or the calendar), so an edited series is a new key, never a stale entry."""
    shape = EventRow(
        0, 0, "", first_start, first_end, all_day, timezone, rrule, list(exdates),
        list(rdates), None, None,
    )  # fmt: skip
    return tuple((o.start, o.end, o.recurrence_id) for o in expand(shape, start, end))


def _expand(event: EventRow, overrides, start: dt.datetime, end: dt.datetime):
    """expand(), through the per-process cache for series without edited occurrences."""
    if not event.rrule or overrides:
        return expand(event, start, end, overrides=overrides)
    times = _series_times(
        event.rrule,
        event.start,
        event.end,
        event.timezone,
        event.all_day,
        tuple(map(str, event.exdates or ())),
        tuple(map(str, event.rdates or ())),
        start,
        end,
    )
    all_day = event.all_day
    return [Occurrence(event, first, last, all_day, rid) for first, last, rid in times]


def expand_all(masters, overrides, start: dt.datetime, end: dt.datetime) -> list[Occurrence]:
    """Occurrences of the given events in [start, end), overrides applied, in order."""
    by_series: dict[int, list[Event]] = {}
    for override in overrides:
        by_series.setdefault(override.series_id, []).append(override)
    found: list[Occurrence] = []
    seen = set()
    for event in masters:
        seen.add(event.pk)
        try:
            found.extend(_expand(event, by_series.get(event.pk, ()), start, end))
        except ValidationError:
            # A rule or zone that no longer reads (written by hand or an old import): show the
            # first occurrence rather than fail the whole view.
            logger.warning("calendar event %s has an unreadable recurrence", event.pk)
            if event.start < end and event.end >= start:
                found.append(Occurrence(event, event.start, event.end, event.all_day, None))
    for series_id, moved in by_series.items():
        if series_id in seen:
            continue
        # An occurrence moved into the range from a series that is not otherwise in it.
        for override in moved:
            if override.start < end and (override.end > start or override.start >= start):
                found.append(
                    Occurrence(
                        override,
                        override.start,
                        override.end,
                        override.all_day,
                        override.recurrence_id,
                        True,
                    )
                )
    found.sort(key=lambda o: (o.start, o.end, o.event.title, o.event.pk))
    return found


def occurrences(user, organization, start, end) -> list[Occurrence]:
    """What the user's calendar shows in [start, end): the occurrences of the events of the
    calendars they see and have not hidden (three queries whatever the number of events).
    Each occurrence's `event` is an EventRow, not a model instance."""
    start, end = _aware(start), _aware(end)
    calendars = shown_calendars(user, organization)
    masters = event_rows(events_in_range(calendars, start, end))
    recurring = [e.id for e in masters if e.rrule]
    overrides = event_rows(
        Event.objects.filter(calendar__in=calendars, series__isnull=False).filter(
            Q(series_id__in=recurring) | Q(start__lt=end, end__gte=start)
        )
    )
    return expand_all(masters, overrides, start, end)


class DatedTask(NamedTuple):
    """A task on the calendar, read as a value row (a month may hold a thousand of them)."""

    number: int
    title: str
    start_date: dt.date | None
    due_date: dt.date
    done: bool
    project_id: int
    project_key: str
    project_name: str
    project_color: str


def dated_tasks(user, organization, start, end) -> list[DatedTask]:
    """Tasks due in the range, from the projects the user may see and has turned on in their
    calendar (CalendarLayer with visible=True), with their project's key, name and colour.
    One query (two without the membership cached)."""
    first, last = _day(start), _day(end, end=True)
    projects = visible_projects(user, organization).filter(archived_at=None)
    turned_on = CalendarLayer.objects.filter(
        user_id=user.pk, project__isnull=False, visible=True
    ).values("project_id")
    rows = (
        Task.objects.filter(
            project__in=projects.values("pk"),
            project_id__in=turned_on,
            due_date__gte=first,
            due_date__lt=last,
            archived_at=None,
        )
        .order_by("due_date", "project_id", "number")
        .values_list(
            "number",
            "title",
            "start_date",
            "due_date",
            # Whether it is done, not when: no datetime to parse per row.
            Q(completed_at__isnull=False),  # type: ignore[arg-type]  # Django takes a Q here
            "project_id",
            "project__key",
            "project__name",
            "project__color",
        )
    )
    return list(map(DatedTask._make, rows))


# ---------------------------------------------------------------- an event's discussion


@dataclass
class Discussion:
    """An event's comments (oldest first, the newest beside the box) and files, read once."""

    comments: list = field(default_factory=list)
    files: FileGroup = field(default_factory=FileGroup)
    by_comment: dict = field(default_factory=dict)

    def for_comment(self, comment_id: int) -> FileGroup:
        return self.by_comment.get(comment_id, FileGroup())

    @property
    def max_bytes(self) -> int:
        return max_upload_bytes()

    @property
    def max_label(self) -> str:
        return max_upload_label()


def read_discussion(
    series: Event, *, user_id: int | None, can_write: bool, moderator: bool, limit: int = 200
) -> Discussion:
    """Comments with their authors, mentions and files, in three queries. `can_write`: the reader
    edits the calendar, so may comment, edit their own comments and delete any file;
    `moderator`: may also delete anyone's comment (see services.discussion)."""
    comments = latest_comments(series, limit=limit)
    for comment in comments:
        mine = user_id is not None and comment.author_id == user_id
        comment.editable = can_write and mine
        comment.deletable = can_write and (mine or moderator)
    files = files_of(series, user_id=user_id if can_write else None, is_admin=can_write)
    discussion = Discussion(comments=comments, files=files.card, by_comment=files.by_comment)
    for comment in comments:
        comment.files = discussion.for_comment(comment.pk)
    return discussion


def section_context(user, event: Event) -> dict:
    """What calendars/_event_discussion.html needs to show the discussion of `event` (the event
    the panel shows, maybe an edited occurrence): a fixed number of queries."""
    series = discussion_event(event)
    writer = can_discuss(user, event)
    org = event.calendar.organization
    event_url = reverse("calendars:event", args=[org.slug, event.pk])
    people = calendar_people(event.calendar, series) if writer else []
    return {
        "org": org,
        "event": event,
        "event_url": event_url,
        "files_url": f"{event_url}/files/",
        "can_write": writer,
        "discussion": read_discussion(
            series,
            user_id=user.pk,
            can_write=writer,
            moderator=writer and may_moderate(user, event.calendar),
        ),
        "mention_people": mention_people_json(people),
    }


# ---------------------------------------------------------------- public holidays


def holiday_calendars(organization, *, archived: bool | None = False):
    """The organization's holidays calendars (not archived, archived, or with None both)."""
    calendars = Calendar.objects.filter(organization=organization, kind=CalendarKind.HOLIDAYS)
    if archived is not None:
        calendars = calendars.filter(archived_at__isnull=not archived)
    return calendars


def public_holidays_on(organization) -> bool:
    """The switch: a holidays calendar that is not archived shows the days to every member."""
    return holiday_calendars(organization).exists()


def holiday_days(organization, year: int):
    return HolidayDay.objects.filter(organization=organization, date__year=year).order_by("date")


def holiday_years(organization) -> list[int]:
    """The years the organization has days for, newest first."""
    return sorted(
        set(
            HolidayDay.objects.filter(organization=organization)
            .values_list("date__year", flat=True)
            .distinct()
        ),
        reverse=True,
    )


def missing_next_year(organization, today: dt.date | None = None) -> int | None:
    """Next year, when the holidays are on and none of its days is known yet (admins are told,
    so nobody meets an empty January); else None."""
    year = (today or timezone.localdate()).year + 1
    if not public_holidays_on(organization):
        return None
    if HolidayDay.objects.filter(organization=organization, date__year=year).exists():
        return None
    return year
