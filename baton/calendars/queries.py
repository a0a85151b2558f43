"""Reads for the calendar views and feeds: what a person sees in a visible range.

A range is always bounded (the views pass FullCalendar's visible start and end): single events
and series are found by one indexed query on (start, recurrence_end), their edited occurrences by
one more, and series are expanded in Python; never a query per event.
"""

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from baton.calendars.models import CalendarKind, CalendarLayer, Event
from baton.calendars.permissions import visible_calendars
from baton.calendars.recurrence import Occurrence, expand
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


def events_in_range(calendars, start: dt.datetime, end: dt.datetime):
    """Single events and series (not their overrides) that may have an occurrence in range."""
    single = Q(rrule="", end__gte=start)
    series = ~Q(rrule="") & (Q(recurrence_end__isnull=True) | Q(recurrence_end__gte=start))
    return (
        Event.objects.filter(calendar__in=calendars, series=None, start__lt=end)
        .filter(single | series)
        .select_related("calendar")
    )


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
            found.extend(expand(event, start, end, overrides=by_series.get(event.pk, ())))
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
    calendars they see and have not hidden (three queries whatever the number of events)."""
    start, end = _aware(start), _aware(end)
    calendars = shown_calendars(user, organization)
    masters = list(events_in_range(calendars, start, end))
    recurring = [e.pk for e in masters if e.rrule]
    overrides = list(
        Event.objects.filter(calendar__in=calendars, series__isnull=False)
        .filter(Q(series_id__in=recurring) | Q(start__lt=end, end__gte=start))
        .select_related("calendar")
    )
    return expand_all(masters, overrides, start, end)


DATED_TASK_FIELDS = (
    "number",
    "title",
    "start_date",
    "due_date",
    "completed_at",
    "updated_at",
    "project__key",
    "project__name",
    "project__color",
    "project__archived_at",
    "project__organization_id",
)


def dated_tasks(user, organization, start, end) -> list[Task]:
    """Tasks due in the range, from the projects the user may see and has turned on in their
    calendar (CalendarLayer with visible=True). One query (two without the membership cached)."""
    first, last = _day(start), _day(end, end=True)
    projects = visible_projects(user, organization).filter(archived_at=None)
    turned_on = CalendarLayer.objects.filter(
        user_id=user.pk, project__isnull=False, visible=True
    ).values("project_id")
    return list(
        Task.objects.filter(
            project__in=projects.values("pk"),
            project_id__in=turned_on,
            due_date__gte=first,
            due_date__lt=last,
            archived_at=None,
        )
        # What an entry shows, and no more: a month may hold a thousand tasks.
        .select_related("project")
        .only(*DATED_TASK_FIELDS)
        .order_by("due_date", "project_id", "number")
    )


def project_tasks_by_date(project, start, end) -> list[Task]:
    """The project's tasks whose start..due span meets [start, end) (a task with only one of the
    two dates is a one-day span), for the project's calendar tab. One query."""
    first, last = _day(start), _day(end, end=True)
    begins = Coalesce(F("start_date"), F("due_date"))
    ends = Coalesce(F("due_date"), F("start_date"))
    return list(
        Task.objects.filter(project=project, archived_at=None)
        .filter(Q(start_date__isnull=False) | Q(due_date__isnull=False))
        .annotate(_begins=begins, _ends=ends)
        .filter(_begins__lt=last, _ends__gte=first)
        .select_related("list", "assignee")
        .order_by("_begins", "number")
    )
