"""Calendar pages: the organization's calendar with its layers, creating and managing calendars,
and a project's tasks by date (a month of the board's cards)."""

import datetime as dt
from typing import NamedTuple

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from baton.accounts.requests import AuthenticatedRequest
from baton.calendars import entries, queries, services
from baton.calendars import permissions as calendar_permissions
from baton.calendars.forms import (
    CalendarArchiveForm,
    CalendarForm,
    CalendarMemberForm,
    FeedTokenForm,
    LayerForm,
    TaskMoveForm,
)
from baton.calendars.models import CalendarLayer
from baton.calendars.views.events import BadRequest, json_error, move_task, visible_range
from baton.core.forms import add_service_errors
from baton.orgs.permissions import can_create, get_org_for_user_or_404, require_creator
from baton.projects.models import Task
from baton.projects.permissions import can_edit, get_project_for_user_or_404, visible_projects
from baton.projects.queries import app_page


def _page_context(request: HttpRequest, org, **context) -> dict:
    """What every app.html page needs: the organization and the sidebar's projects."""
    context.setdefault("nav", "projects")
    return app_page(request.user, org, **context)


def _project(request: HttpRequest, slug: str, key: str):
    project = get_project_for_user_or_404(request.user, slug, key)
    return project.organization, project


def _locale_context() -> dict:
    language = get_language() or "en"
    zh = language.lower().startswith("zh")
    return {"calendar_locale": "zh-cn" if zh else "en", "first_day": 1 if zh else 0}


def _task_prefix(org, project) -> str:
    return reverse("projects:task", args=[org.slug, f"{project.key}-1"])[:-1]


# ---------------------------------------------------------------- a project's calendar tab


@login_required
@require_GET
def project_calendar(request: AuthenticatedRequest, slug: str, key: str) -> HttpResponse:
    org, project = _project(request, slug, key)
    context = _page_context(
        request,
        org,
        project=project,
        tab="calendar",
        can_edit=can_edit(request.user, project) and not project.archived_at,
        **_locale_context(),
    )
    return render(request, "calendars/project_calendar.html", context)


@login_required
@require_GET
def project_calendar_events(request: AuthenticatedRequest, slug: str, key: str) -> HttpResponse:
    """The project's open and done tasks whose start…due span meets the visible range, in the
    shape of baton/calendars/entries.py."""
    org, project = _project(request, slug, key)
    try:
        start, end = visible_range(request)
    except BadRequest as error:
        return json_error(str(error))
    first, last = start.date(), end.date()
    rows = (
        Task.objects.filter(project=project, archived_at__isnull=True)
        .exclude(due_date__isnull=True, start_date__isnull=True)
        .filter(
            # due in the range, starting in it, or spanning all of it
            Q(due_date__gte=first, due_date__lt=last)
            | Q(start_date__gte=first, start_date__lt=last)
            | Q(start_date__lt=first, due_date__gte=last)
        )
        .order_by("due_date", "number")
        .values_list(*TASK_ROW_FIELDS)[:2000]
    )
    tasks = [ProjectTask(*row, project.pk) for row in rows]
    editable = can_edit(request.user, project) and not project.archived_at
    table = entries.project_entry(
        key=project.key,
        name=project.name,
        color=project.color,
        url=_task_prefix(org, project),
        editable=editable,
    )
    return entries.json_response(
        {
            "projects": {str(project.pk): table},
            "span": True,
            "tasks": entries.task_entries(tasks, span=True),
        }
    )


TASK_ROW_FIELDS = ("number", "title", "start_date", "due_date", Q(completed_at__isnull=False))


class ProjectTask(NamedTuple):
    """A task of the project's calendar, read as a value row."""

    number: int
    title: str
    start_date: dt.date | None
    due_date: dt.date | None
    done: bool
    project_id: int


@login_required
@require_POST
def project_calendar_move(request: AuthenticatedRequest, slug: str, key: str) -> JsonResponse:
    _project(request, slug, key)  # 404 for outsiders before reading anything
    form = TaskMoveForm(request.POST)
    if form.has_error("kind") or form.cleaned_data["kind"] != "task":
        return json_error("Only tasks are on a project's calendar.")
    return move_task(request, slug, form, span=True)


# ---------------------------------------------------------------- the organization's calendar


def _layers(user, org) -> dict:
    """The sidebar of the calendar page: calendars and projects, each shown or hidden."""

    calendars = list(calendar_permissions.visible_calendars(user, org))
    projects = list(visible_projects(user, org).filter(archived_at__isnull=True))
    rows = CalendarLayer.objects.filter(user=user).values_list(
        "calendar_id", "project_id", "visible"
    )
    hidden_calendars = {c for c, p, visible in rows if c and not visible}
    shown_projects = {p for c, p, visible in rows if p and visible}
    for calendar in calendars:
        calendar.shown = calendar.pk not in hidden_calendars
    for project in projects:
        project.shown = project.pk in shown_projects
    archived = [
        c
        for c in calendar_permissions.visible_calendars(user, org, include_archived=True).filter(
            archived_at__isnull=False
        )
        if calendar_permissions.can_manage_calendar(user, c)
    ]
    return {
        "layer_calendars": calendars,
        "layer_projects": projects,
        "archived_calendars": archived,
    }


@login_required
@require_GET
def calendar_home(request: AuthenticatedRequest, slug: str) -> HttpResponse:

    org = get_org_for_user_or_404(request.user, slug)
    layers = _layers(request.user, org)
    editable = [
        c
        for c in layers["layer_calendars"]
        if calendar_permissions.can_edit_calendar(request.user, c) and c.kind == "events"
    ]
    context = _page_context(
        request,
        org,
        nav="calendar",
        can_create=can_create(org),
        can_add_events=bool(editable),
        # Owners and admins hear that next year's holidays are missing before January does.
        missing_year=queries.missing_next_year(org) if org.membership.is_manager else None,
        **layers,
        **_locale_context(),
    )
    return render(request, "calendars/home.html", context)


@login_required
@require_POST
def calendar_layer(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Show or hide one calendar or one project's tasks; answers with the refreshed sidebar."""

    org = get_org_for_user_or_404(request.user, slug)
    form = LayerForm(request.POST)
    data = (
        form.cleaned_data if form.is_valid() else {"visible": False, "calendar": "", "project": ""}
    )
    visible = data["visible"]
    if data["calendar"]:
        calendar = calendar_permissions.get_calendar_for_user_or_404(
            request.user, slug, data["calendar"]
        )
        services.set_layer(actor=request.user, calendar=calendar, visible=visible)
    elif data["project"]:
        project = get_project_for_user_or_404(request.user, slug, data["project"])
        services.set_layer(actor=request.user, project=project, visible=visible)
    else:
        return HttpResponse(_("Choose a calendar or a project."), status=400)
    response = render(
        request,
        "calendars/home.html#layers",
        _page_context(request, org, **_layers(request.user, org)),
    )
    return trigger_client_event(response, "calendar:refetch")


# ---------------------------------------------------------------- creating and managing calendars


@login_required
@require_http_methods(["GET", "POST"])
def calendar_create(request: AuthenticatedRequest, slug: str) -> HttpResponse:

    org = get_org_for_user_or_404(request.user, slug)
    require_creator(org)
    form = CalendarForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            calendar = services.create_calendar(
                actor=request.user, organization=org, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Calendar “%(name)s” created.") % {"name": calendar.name})
            return redirect("calendars:home", org.slug)
    context = _page_context(request, org, nav="calendar", form=form)
    return render(
        request, "calendars/calendar_form.html", context, status=422 if form.errors else 200
    )


def _settings_context(request, org, calendar, form, member_form) -> dict:

    members = list(
        calendar.memberships.select_related("user", "team").order_by("team__name", "user__name")
    )
    return _page_context(
        request,
        org,
        nav="calendar",
        calendar=calendar,
        form=form,
        member_form=member_form,
        members=members,
        can_manage=calendar_permissions.can_manage_calendar(request.user, calendar),
        feed_url=request.build_absolute_uri(
            reverse("calendars:calendar_feed", args=[calendar.feed_token])
        )
        if calendar.feed_token
        else "",
    )


def _member_form(org, data=None) -> CalendarMemberForm:
    people = (
        get_user_model()
        .objects.filter(memberships__organization=org)
        .order_by("name", "email")
        .only("name", "email")
    )
    return CalendarMemberForm(data=data, people=people, teams=org.teams.order_by("name"))


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request: AuthenticatedRequest, slug: str, calendar_id: int) -> HttpResponse:

    calendar = calendar_permissions.get_calendar_for_user_or_404(request.user, slug, calendar_id)
    org = get_org_for_user_or_404(request.user, slug)
    if not calendar_permissions.can_manage_calendar(request.user, calendar):
        raise PermissionDenied
    form = CalendarForm.for_calendar(calendar, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_calendar(actor=request.user, calendar=calendar, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Calendar saved."))
            return redirect("calendars:settings", org.slug, calendar.pk)
    context = _settings_context(request, org, calendar, form, _member_form(org))
    return render(
        request, "calendars/calendar_settings.html", context, status=422 if form.errors else 200
    )


@login_required
@require_POST
def calendar_archive(request: AuthenticatedRequest, slug: str, calendar_id: int) -> HttpResponse:

    calendar = calendar_permissions.get_calendar_for_user_or_404(request.user, slug, calendar_id)
    form = CalendarArchiveForm(request.POST)
    archived = form.is_valid() and form.cleaned_data["archived"]
    services.set_calendar_archived(actor=request.user, calendar=calendar, archived=archived)
    messages.success(request, _("Calendar archived.") if archived else _("Calendar restored."))
    return redirect("calendars:settings", slug, calendar.pk)


@login_required
@require_POST
def calendar_member_add(request: AuthenticatedRequest, slug: str, calendar_id: int) -> HttpResponse:

    calendar = calendar_permissions.get_calendar_for_user_or_404(request.user, slug, calendar_id)
    org = get_org_for_user_or_404(request.user, slug)
    if not calendar_permissions.can_manage_calendar(request.user, calendar):
        raise PermissionDenied
    member_form = _member_form(org, data=request.POST)
    if member_form.is_valid():
        kind, _sep, pk = member_form.cleaned_data["who"].partition(":")
        target = {"user": None, "team": None}
        if kind == "user":
            target["user"] = get_user_model().objects.get(pk=pk)
        else:
            target["team"] = org.teams.get(pk=pk)
        try:
            services.set_calendar_member(
                actor=request.user,
                calendar=calendar,
                role=member_form.cleaned_data["role"],
                **target,
            )
        except ValidationError as error:
            add_service_errors(member_form, error)
        else:
            return redirect("calendars:settings", org.slug, calendar.pk)
    context = _settings_context(
        request, org, calendar, CalendarForm.for_calendar(calendar), member_form
    )
    return render(request, "calendars/calendar_settings.html", context, status=422)


@login_required
@require_POST
def calendar_member_remove(
    request: AuthenticatedRequest, slug: str, calendar_id: int, member_id: int
) -> HttpResponse:

    calendar = calendar_permissions.get_calendar_for_user_or_404(request.user, slug, calendar_id)
    member = get_object_or_404(calendar.memberships, pk=member_id)
    services.remove_calendar_member(actor=request.user, member=member)
    return redirect("calendars:settings", slug, calendar.pk)


@login_required
@require_POST
def calendar_feed_token(request: AuthenticatedRequest, slug: str, calendar_id: int) -> HttpResponse:
    """Regenerate the subscription URL (the old one stops working) or revoke it."""
    calendar = calendar_permissions.get_calendar_for_user_or_404(request.user, slug, calendar_id)
    form = FeedTokenForm(request.POST)
    if form.is_valid() and form.cleaned_data["action"] == "revoke":
        services.revoke_feed_token(actor=request.user, calendar=calendar)
        messages.success(request, _("The subscription URL was revoked."))
    else:
        services.regenerate_feed_token(actor=request.user, calendar=calendar)
        messages.success(
            request, _("A new subscription URL was made; the old one stopped working.")
        )
    return redirect("calendars:settings", slug, calendar.pk)
