"""JSON for FullCalendar (the visible range only) and the moves it posts back: events by drag or
resize, and tasks' dates through the same service as the board's card."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from baton.accounts.requests import AuthenticatedRequest
from baton.calendars import entries, holidays, queries, recurrence, services
from baton.calendars import permissions as calendar_permissions
from baton.calendars.forms import (
    EventDeleteForm,
    EventForm,
    EventMoveForm,
    EventResponseForm,
    OccurrenceForm,
    TaskMoveForm,
    parse_moment,
)
from baton.calendars.models import CalendarKind, CalendarLayer
from baton.calendars.recurrence import parse_utc, utc_key, zone
from baton.core.forms import add_service_errors
from baton.orgs.permissions import get_org_for_user_or_404
from baton.projects import services as project_services
from baton.projects.permissions import get_task_for_user_or_404, task_edit_rights

MAX_RANGE_DAYS = 400  # a month view asks for 6 weeks, a year of agenda is the most we serve


class BadRequest(ValueError):
    """A parameter FullCalendar would never send: answered 400 with the message."""


def json_error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _parse_moment(value: str | None, name: str) -> dt.datetime | dt.date:
    """An ISO date ("2026-11-24") or datetime with an offset, as FullCalendar sends them."""
    try:
        return parse_moment(value, name)
    except ValidationError as error:
        raise BadRequest(error.messages[0]) from None


def first_error(form) -> str:
    """The message of the first field (in the form's order) that did not parse."""
    return next(iter(form.errors.values()))[0]


def _as_date(moment: dt.datetime | dt.date) -> dt.date:
    return moment.date() if isinstance(moment, dt.datetime) else moment


def _as_datetime(moment: dt.datetime | dt.date) -> dt.datetime:
    if isinstance(moment, dt.datetime):
        return moment
    return dt.datetime.combine(moment, dt.time(), tzinfo=dt.UTC)


def visible_range(request: HttpRequest) -> tuple[dt.datetime, dt.datetime]:
    """The range FullCalendar shows (start inclusive, end exclusive), at most MAX_RANGE_DAYS."""
    start = _as_datetime(_parse_moment(request.GET.get("start"), "start"))
    end = _as_datetime(_parse_moment(request.GET.get("end"), "end"))
    if end <= start:
        raise BadRequest(_("The end of the range must be after its start."))
    if end - start > dt.timedelta(days=MAX_RANGE_DAYS):
        raise BadRequest(_("Ask for at most %(days)s days at a time.") % {"days": MAX_RANGE_DAYS})
    return start, end


def move_task(request: HttpRequest, slug: str, form: TaskMoveForm, *, span: bool) -> JsonResponse:
    """A task dragged to another day (its due date; with `span`, its start and due dates)."""
    if form.has_error("id"):
        return json_error(form.errors["id"][0])
    task = get_task_for_user_or_404(request.user, slug, form.cleaned_data["id"])
    if not form.is_valid():
        return json_error(first_error(form))
    start, end = _as_date(form.cleaned_data["start"]), form.cleaned_data["end"]
    end = start if end is None else _as_date(end) - dt.timedelta(days=1)
    if end < start:
        end = start
    fields = {"due_date": end}
    if span and (task.start_date or end > start):
        fields["start_date"] = start
    elif task.start_date and task.start_date > end:
        # Dragged before its start date: the whole task moves with it.
        fields["start_date"] = end - (task.due_date - task.start_date) if task.due_date else end
    try:
        task = project_services.update_task(actor=request.user, task=task, **fields)
    except PermissionDenied:
        return json_error(_("You do not have permission to do that."), 403)
    except ValidationError as error:
        return json_error(" ".join(error.messages))
    return JsonResponse(
        {"ok": True, "start": str(task.start_date or ""), "due": str(task.due_date or "")}
    )


# ---------------------------------------------------------------- the organization's calendar


@login_required
@require_GET
def events_json(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Everything the person shows in the visible range: events (recurrences expanded),
    public holidays, and the due dates of the projects' tasks they turned on, in the compact
    shape of baton/calendars/entries.py."""

    org = get_org_for_user_or_404(request.user, slug)
    try:
        start, end = visible_range(request)
    except BadRequest as error:
        return json_error(str(error))
    user = request.user
    calendars = list(calendar_permissions.visible_calendars(user, org))
    editable = {
        c.pk
        for c in calendars
        if c.kind == CalendarKind.EVENTS and calendar_permissions.can_edit_calendar(user, c)
    }
    hidden = set(
        CalendarLayer.objects.filter(user=user, calendar__isnull=False, visible=False).values_list(
            "calendar_id", flat=True
        )
    )
    shown_holidays = []
    holiday_calendars = [
        c for c in calendars if c.kind == CalendarKind.HOLIDAYS and c.pk not in hidden
    ]
    found = holidays.between(org.pk, start, end) if holiday_calendars else []
    for calendar in holiday_calendars:
        shown_holidays += entries.holiday_entries(found, calendar)
    tasks = queries.dated_tasks(user, org, start, end)
    return entries.json_response(
        {
            "calendars": entries.calendar_table(calendars, editable),
            "projects": _task_projects(user, org, tasks),
            "panel": reverse("calendars:event", args=[org.slug, 1])[:-1],
            "span": False,
            "events": entries.event_entries(queries.occurrences(user, org, start, end)),
            "tasks": entries.task_entries(tasks),
            "holidays": shown_holidays,
        }
    )


def _task_projects(user, org, tasks) -> dict[str, dict]:
    """The projects of `tasks` (dated_tasks rows): key, name, colour, URL prefix of their tasks,
    and whether the person may move them (one query when there are tasks and the person does
    not manage the organization)."""
    projects: dict[int, dict] = {}
    rights = task_edit_rights(user, org) if tasks else {}
    for task in tasks:
        if task.project_id in projects:
            continue
        projects[task.project_id] = entries.project_entry(
            key=task.project_key,
            name=task.project_name,
            color=task.project_color,
            url=reverse("projects:task", args=[org.slug, f"{task.project_key}-1"])[:-1],
            # dated_tasks leaves archived projects out: no archived check here.
            editable=rights.get(task.project_id, rights.get(None, False)),
        )
    return {str(pk): project for pk, project in projects.items()}


@login_required
@require_POST
def calendar_move(request: AuthenticatedRequest, slug: str) -> JsonResponse:
    """A drag or resize: an event (or one occurrence of a series) gets new times; a task gets a
    new due date (update_task checks the person may edit it)."""

    get_org_for_user_or_404(request.user, slug)
    form = EventMoveForm(request.POST)
    kind = None if form.has_error("kind") else form.cleaned_data["kind"]
    if kind == "task":
        return move_task(request, slug, TaskMoveForm(request.POST), span=False)
    if kind != "event":
        return json_error(_("Missing or invalid %(name)s.") % {"name": "kind"})
    event = calendar_permissions.get_event_for_user_or_404(
        request.user, slug, form.cleaned_data["id"]
    )
    if not form.is_valid():
        return json_error(first_error(form))
    data = form.cleaned_data
    occurrence = data["occurrence"]
    try:
        services.move_event(
            actor=request.user,
            event=event,
            start=data["start"],
            end=data["end"],
            all_day=data["all_day"],
            # A repeating event's drag says which occurrences move; the service checks the scope.
            scope=data["scope"],
            occurrence=_as_datetime(occurrence) if occurrence and event.rrule else None,
        )
    except PermissionDenied:
        return json_error(_("You do not have permission to do that."), 403)
    except ValidationError as error:
        return json_error(" ".join(error.messages))
    return JsonResponse({"ok": True})


# ---------------------------------------------------------------- the event panel


def _people(org) -> list:
    return list(
        get_user_model()
        .objects.filter(memberships__organization=org)
        .order_by("name", "email")
        .only("name", "email")
    )


def _editable_calendars(user, org) -> list:

    return [
        c
        for c in calendar_permissions.visible_calendars(user, org)
        if c.kind == CalendarKind.EVENTS and calendar_permissions.can_edit_calendar(user, c)
    ]


def _move_targets(user, org, event) -> list:
    """The calendars an event may be put in: those the person edits, its own first."""
    others = [c for c in _editable_calendars(user, org) if c.pk != event.calendar_id]
    return [event.calendar, *others]


def _browser_zone(request: HttpRequest) -> str:
    """The browser's time zone when it is a known one, else Asia/Shanghai."""
    name = request.GET.get("timezone", "")[:64]
    try:
        zone(name)
    except ValidationError:
        return "Asia/Shanghai"
    return name


def _initial_times(request: HttpRequest, timezone: str) -> dict:
    """The form's start and end from the selection FullCalendar made (or the next hour), as
    wall-clock times in `timezone`."""
    all_day = request.GET.get("all_day") == "1"
    try:
        start = _parse_moment(request.GET.get("start"), "start")
        end = _parse_moment(request.GET.get("end"), "end")
    except BadRequest:
        now = dt.datetime.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
        start, end, all_day = now, now + dt.timedelta(hours=1), False
    if all_day:
        first, last = _as_date(start), _as_date(end) - dt.timedelta(days=1)
        return {"all_day": True, "start": first.isoformat(), "end": max(first, last).isoformat()}
    tz = zone(timezone)
    start, end = _as_datetime(start).astimezone(tz), _as_datetime(end).astimezone(tz)
    fmt = "%Y-%m-%dT%H:%M"
    return {"all_day": False, "start": start.strftime(fmt), "end": end.strftime(fmt)}


def _render_new(request, org, form, calendars, status=200) -> HttpResponse:
    context = {"org": org, "form": form, "calendars": calendars, "all_day": form_all_day(form)}
    return render(request, "calendars/_event_form.html", context, status=status)


def form_all_day(form) -> bool:
    if form.is_bound:
        return form.data.get("all_day") in ("1", "on", "true")
    return bool(form.initial.get("all_day"))


@login_required
@require_http_methods(["GET", "POST"])
def event_new(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The new-event form in the panel (GET, from a selection); POST creates the event."""

    org = get_org_for_user_or_404(request.user, slug)
    calendars = _editable_calendars(request.user, org)
    if not calendars:
        raise PermissionDenied
    if request.method == "GET":
        timezone = _browser_zone(request)
        initial = {**_initial_times(request, timezone), "timezone": timezone}
        form = EventForm(initial=initial, calendars=calendars, people=_people(org))
        return _render_new(request, org, form, calendars)
    form = EventForm(data=request.POST, calendars=calendars, people=_people(org))
    if not form.is_valid():
        return _render_new(request, org, form, calendars, status=422)
    data = form.cleaned_data
    calendar = next(c for c in calendars if str(c.pk) == data["calendar"])
    start, end = data["start"], data["end"]
    try:
        first = _as_date(_parse_moment(start, "start"))
        if data["all_day"]:
            end = (_as_date(_parse_moment(end, "end")) + dt.timedelta(days=1)).isoformat()
    except BadRequest as error:
        form.add_error("start" if "start" in str(error) else "end", str(error))
        return _render_new(request, org, form, calendars, status=422)
    try:
        services.create_event(
            actor=request.user,
            calendar=calendar,
            title=data["title"],
            start=start,
            end=end,
            all_day=data["all_day"],
            timezone=data["timezone"],
            description=data["description"],
            location=data["location"],
            rrule=recurrence.rrule_for(
                data["repeat"], first, data["repeat_until"], data["repeat_count"]
            ),
            participants=[int(pk) for pk in data["participants"]],
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _render_new(request, org, form, calendars, status=422)
    return trigger_client_event(HttpResponse(status=204), "calendar:changed")


DAY_NAMES = {
    "MO": _lazy("Monday"),
    "TU": _lazy("Tuesday"),
    "WE": _lazy("Wednesday"),
    "TH": _lazy("Thursday"),
    "FR": _lazy("Friday"),
    "SA": _lazy("Saturday"),
    "SU": _lazy("Sunday"),
}


def describe_rrule(rule: str) -> str:
    """A person's words for the common rules ("Every week on Monday, 4 times"); else the rule."""
    parts = dict(p.split("=", 1) for p in rule.split(";") if "=" in p)
    interval = parts.get("INTERVAL", "1")
    freq = parts.get("FREQ")
    days = [d for d in parts.get("BYDAY", "").split(",") if d]
    if interval != "1" or freq not in ("DAILY", "WEEKLY", "MONTHLY", "YEARLY"):
        return rule
    if freq == "DAILY":
        text = _("Every day")
    elif freq == "WEEKLY" and days and all(d in DAY_NAMES for d in days):
        names = ", ".join(str(DAY_NAMES[d]) for d in days)
        text = _("Every week on %(days)s") % {"days": names}
    elif freq == "WEEKLY":
        text = _("Every week")
    elif freq == "MONTHLY" and parts.get("BYMONTHDAY", "").isdigit():
        text = _("Every month on day %(day)s") % {"day": parts["BYMONTHDAY"]}
    elif freq == "MONTHLY" and len(days) == 1 and days[0][-2:] in DAY_NAMES:
        position, day = days[0][:-2], DAY_NAMES[days[0][-2:]]
        if position == "-1":
            text = _("Every month on the last %(day)s") % {"day": day}
        elif position in ("1", "2", "3", "4", "+1", "+2", "+3", "+4"):
            text = _("Every month on %(day)s number %(n)s") % {"day": day, "n": position[-1]}
        else:
            return rule
    elif freq == "MONTHLY":
        text = _("Every month")
    else:
        text = _("Every year")
    if parts.get("COUNT"):
        text += ", " + _("%(count)s times") % {"count": parts["COUNT"]}
    elif parts.get("UNTIL"):
        until = parts["UNTIL"][:8]
        text += ", " + _("until %(date)s") % {"date": f"{until[:4]}-{until[4:6]}-{until[6:]}"}
    return text


@login_required
@require_GET
def event_panel(request: AuthenticatedRequest, slug: str, event_id: int) -> HttpResponse:
    """An event's details in the panel: when, where, its calendar, and delete for editors."""
    event = calendar_permissions.get_event_for_user_or_404(request.user, slug, event_id)
    return _panel(request, event, _occurrence(request.GET))


def _occurrence(query) -> str:
    """The occurrence a panel's request names (OccurrenceForm), or "" for the event itself."""
    form = OccurrenceForm(query)
    return form.cleaned_data["occurrence"] if form.is_valid() else ""


def _panel(request: HttpRequest, event, occurrence: str) -> HttpResponse:
    start, end = event.start, event.end
    moment = parse_utc(occurrence) if occurrence else None
    if moment is not None and event.rrule:
        start, end = moment, moment + (event.end - event.start)
    else:
        occurrence = ""
    tz = zone(event.timezone)
    attendance = list(event.attendance.select_related("user").order_by("user__name"))
    context = {
        "org": event.calendar.organization,
        "event": event,
        "occurrence": occurrence,
        "repeats": describe_rrule(event.rrule) if event.rrule else "",
        "start": start.astimezone(tz),
        "end": end.astimezone(tz),
        "last_day": (end.astimezone(tz) - dt.timedelta(days=1)).date(),
        "can_edit": calendar_permissions.can_edit_calendar(request.user, event.calendar)
        and event.calendar.kind == "events",
        "attendance": attendance,
        "my_response": next((a.response for a in attendance if a.user_id == request.user.pk), None),
    }
    return render(request, "calendars/_event_panel.html", context)


@login_required
@require_POST
def event_respond(request: AuthenticatedRequest, slug: str, event_id: int) -> HttpResponse:
    """A participant accepts or declines; answers with the panel again."""
    event = calendar_permissions.get_event_for_user_or_404(request.user, slug, event_id)
    form = EventResponseForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {"response": "", "occurrence": ""}
    try:
        services.respond_to_event(actor=request.user, event=event, response=data["response"])
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=400)
    return _panel(request, event, data["occurrence"])


@login_required
@require_POST
def event_delete(request: AuthenticatedRequest, slug: str, event_id: int) -> HttpResponse:

    event = calendar_permissions.get_event_for_user_or_404(request.user, slug, event_id)
    form = EventDeleteForm(request.POST)
    if not form.is_valid():
        return HttpResponse(first_error(form), status=400)
    scope, occurrence = form.cleaned_data["scope"], form.cleaned_data["occurrence"]
    try:
        services.delete_event(actor=request.user, event=event, scope=scope, occurrence=occurrence)
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=400)
    return trigger_client_event(HttpResponse(status=204), "calendar:changed")


def _occurrence_of(event, raw: str):
    """(the start in the series the panel was opened on or None, its start, its end)."""
    moment = parse_utc(raw) if raw else None
    if moment is not None and event.rrule:
        return moment, moment, moment + (event.end - event.start)
    return None, event.start, event.end


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: AuthenticatedRequest, slug: str, event_id: int) -> HttpResponse:
    """Edit an event in the panel; for a series, this occurrence, the following ones, or all."""
    event = calendar_permissions.get_event_for_user_or_404(request.user, slug, event_id)
    org = event.calendar.organization
    if not calendar_permissions.can_edit_calendar(request.user, event.calendar):
        raise PermissionDenied
    raw = _occurrence(request.GET if request.method == "GET" else request.POST)
    occurrence, start, end = _occurrence_of(event, raw)
    recurring = bool(event.rrule)
    calendars = _move_targets(request.user, org, event)
    context = {
        "org": org,
        "event": event,
        "occurrence": utc_key(occurrence) if occurrence else "",
        "calendars": calendars,
        "version": event.version,
    }
    if request.method == "GET":
        tz = zone(event.timezone)
        if event.all_day:
            first = start.astimezone(tz).date()
            last = max(first, (end.astimezone(tz) - dt.timedelta(days=1)).date())
            times = {"start": first.isoformat(), "end": last.isoformat()}
        else:
            fmt = "%Y-%m-%dT%H:%M"
            times = {
                "start": start.astimezone(tz).strftime(fmt),
                "end": end.astimezone(tz).strftime(fmt),
            }
        initial = {
            "title": event.title,
            "calendar": str(event.calendar_id),
            "all_day": event.all_day,
            "timezone": event.timezone,
            "repeat": "keep" if recurring else "",
            "location": event.location,
            "description": event.description,
            "scope": "this",
            "participants": [str(pk) for pk in event.attendance.values_list("user_id", flat=True)],
            **times,
        }
        form = EventForm(
            initial=initial, calendars=calendars, recurring=recurring, people=_people(org)
        )
        return render(
            request,
            "calendars/_event_form.html",
            {**context, "form": form, "all_day": event.all_day},
        )
    form = EventForm(
        data=request.POST, calendars=calendars, recurring=recurring, people=_people(org)
    )
    status = 422
    if form.is_valid():
        data = form.cleaned_data
        fields = {
            "title": data["title"],
            "start": data["start"],
            "end": data["end"],
            "all_day": data["all_day"],
            "timezone": data["timezone"],
            "location": data["location"],
            "description": data["description"],
            "participants": [int(pk) for pk in data["participants"]],
        }
        scope = (data["scope"] or "this") if occurrence else "all"
        try:
            first = _as_date(_parse_moment(data["start"], "start"))
            if data["all_day"]:
                last = _as_date(_parse_moment(data["end"], "end"))
                fields["end"] = (last + dt.timedelta(days=1)).isoformat()
            if data["repeat"] != "keep" and scope != "this":
                fields["rrule"] = recurrence.rrule_for(
                    data["repeat"], first, data["repeat_until"], data["repeat_count"]
                )
            services.update_event(
                actor=request.user,
                event=event,
                scope=scope,
                occurrence=occurrence,
                version=data["version"],
                calendar=next(c for c in calendars if str(c.pk) == data["calendar"]),
                **fields,
            )
        except BadRequest as error:
            form.add_error("start" if "start" in str(error) else "end", str(error))
        except services.ConflictError as conflict:
            # What the person typed stays in the form; saving again overwrites the newer
            # version, now that they have seen it.
            status = 409
            context.update(conflict=conflict.current, version=conflict.current.version)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return trigger_client_event(HttpResponse(status=204), "calendar:changed")
    context.update(form=form, all_day=form_all_day(form))
    return render(request, "calendars/_event_form.html", context, status=status)
