"""iCalendar subscription feeds (secret URLs, no login) and the .ics import page.

A feed URL is its own credential: an unknown, revoked or regenerated token, an archived calendar,
or a person who left the organization gets 404, and a feed holds nothing but its own calendar
(or, for a personal feed, that person's tasks and the events they take part in and may see).
"""

import datetime

from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from baton.accounts.requests import AuthenticatedRequest
from baton.calendars import holidays, ical, services
from baton.calendars.forms import IcsImportForm
from baton.calendars.models import (
    Calendar,
    CalendarKind,
    CalendarMember,
    CalendarRole,
    Event,
    PersonalFeed,
)
from baton.calendars.permissions import (
    can_edit_calendar,
    can_manage_calendar,
    get_calendar_for_user_or_404,
    require_calendar_role,
    visible_calendars,
)
from baton.calendars.services.imports import import_ics, max_bytes
from baton.core.forms import errors_by_field
from baton.lib.filenames import download_name
from baton.orgs.models import Membership
from baton.orgs.permissions import get_org_for_user_or_404, is_org_manager
from baton.projects.models import Task
from baton.projects.permissions import visible_projects
from baton.projects.queries import app_page


def _page_context(request: HttpRequest, org, **context) -> dict:
    """What every app.html page needs: the organization and the sidebar's projects."""
    return app_page(request.user, org, **context)


def _errors(error: ValidationError) -> dict[str, list[str]]:
    return errors_by_field(error)


# How far back a feed reaches: older single events and finished series are left out.
HISTORY = datetime.timedelta(days=366)


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


def _site(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _task_url(request: HttpRequest, slug: str):
    site = _site(request)
    return lambda task: site + reverse("projects:task", args=[slug, task.reference])


def _event_url(request: HttpRequest, slug: str):
    """The event's page in Baton (its series for an edited occurrence), or no URL."""
    site = _site(request)

    def url(event) -> str:
        try:
            return site + reverse("calendars:event", args=[slug, event.series_id or event.pk])
        except NoReverseMatch:
            return ""

    return url


def _events_of(calendar_ids, *, since: datetime.datetime, participant=None) -> list[Event]:
    """Masters still running after `since` and their edited occurrences (two queries)."""
    masters = Event.objects.filter(calendar_id__in=calendar_ids, series__isnull=True).exclude(
        recurrence_end__lt=since
    )
    if participant is not None:
        masters = masters.filter(participants=participant)
    masters = list(masters.order_by("start", "id"))
    overrides = list(
        Event.objects.filter(series_id__in=[m.pk for m in masters]).order_by("start", "id")
    )
    return masters + overrides


@login_not_required
@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    calendar = (
        Calendar.objects.select_related("organization")
        .filter(feed_token=token, archived_at__isnull=True)
        .first()
    )
    if calendar is None or not token:
        raise Http404
    now = timezone.now()
    if calendar.kind == CalendarKind.HOLIDAYS:
        today = now.date()
        entries = holidays.between(
            calendar.organization_id,
            today.replace(month=1, day=1, year=today.year - 1),
            today.replace(month=1, day=1, year=today.year + 2),
        )
        content = ical.feed(name=calendar.name, description=calendar.description, holidays=entries)
    else:
        events = _events_of([calendar.pk], since=now - HISTORY)
        content = ical.feed(
            name=calendar.name,
            description=calendar.description,
            events=events,
            event_url=_event_url(request, calendar.organization.slug),
        )
    return _ics_response(
        content, download_name(calendar.name, ".ics", fallback=f"calendar-{calendar.pk}")
    )


@login_not_required
@require_safe
def personal_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = PersonalFeed.objects.select_related("user", "organization").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    user, org = feed.user, feed.organization
    membership = Membership.objects.filter(organization=org, user=user).first()
    if membership is None:
        raise Http404
    org.membership = membership
    now = timezone.now()
    # Invited people read the events they take part in even on calendars they do not see
    # (permissions.event_role); archived calendars are left out.
    calendar_ids = list(
        Calendar.objects.filter(organization=org, archived_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    events = _events_of(calendar_ids, since=now - HISTORY, participant=user)
    tasks = (
        Task.objects.select_related("project")
        .filter(
            project__in=visible_projects(user, org).filter(archived_at__isnull=True),
            assignee=user,
            due_date__gte=(now - HISTORY).date(),
            archived_at__isnull=True,
        )
        .order_by("due_date", "id")
    )
    content = ical.feed(
        name=f"{user.name} · {org.name}",
        events=events,
        tasks=tasks,
        event_url=_event_url(request, org.slug),
        task_url=_task_url(request, org.slug),
    )
    return _ics_response(content, "my-calendar.ics")


def _calendar_page_url(org) -> str:
    try:
        return reverse("calendars:home", args=[org.slug])
    except NoReverseMatch:  # the calendar page is not routed yet
        return ""


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: AuthenticatedRequest, slug: str, calendar_id: int) -> HttpResponse:
    calendar = get_calendar_for_user_or_404(request.user, slug, calendar_id)
    org = calendar.organization
    require_calendar_role(request.user, calendar, CalendarRole.EDITOR)  # holidays: read-only
    context = _page_context(
        request,
        org,
        nav="calendar",
        calendar=calendar,
        max_mb=max_bytes() // (1024 * 1024),
        errors={},
        summary=None,
        back_url=_calendar_page_url(org),
    )
    status = 200
    if request.method == "POST":
        form = IcsImportForm(request.POST, request.FILES)
        upload = form.cleaned_data["file"] if form.is_valid() else None
        try:
            if upload is None:
                raise ValidationError({"file": _("Choose an .ics file to import.")})
            if upload.size > max_bytes():
                # Refused before it is read into memory.
                raise ValidationError(
                    {
                        "file": _(
                            "The file is too large (%(size).1f MB); at most %(max)d MB can "
                            "be imported."
                        )
                        % {"size": upload.size / 1024 / 1024, "max": context["max_mb"]}
                    }
                )
            data = upload.read()
            context["summary"] = import_ics(
                actor=request.user, calendar=calendar, data=data, filename=upload.name
            )
        except ValidationError as error:
            context["errors"] = _errors(error)
            status = 422
    template = "calendars/import.html"
    if request.htmx:
        template += "#import-body"
    return render(request, template, context, status=status)


# ---------------------------------------------------------------- the subscribe page


def _feed_urls(request: HttpRequest, path: str) -> dict:
    """The https URL and the webcal:// one calendar apps open directly."""
    url = request.build_absolute_uri(path)
    return {"url": url, "webcal": "webcal://" + url.split("://", 1)[1]}


@login_required
@require_safe
def subscribe_page(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """My own feed, and the subscription links of the calendars I manage (with import links
    for those I edit)."""
    org = get_org_for_user_or_404(request.user, slug)
    mine = PersonalFeed.objects.filter(user=request.user, organization=org).first()
    rows = []
    calendars = visible_calendars(request.user, org).order_by("name", "id")
    if not is_org_manager(request.user, org):
        # Only those they created or edit can be theirs to manage: no role check for the rest.
        editor = CalendarMember.objects.filter(role=CalendarRole.EDITOR).filter(
            Q(user=request.user) | Q(team__members=request.user)
        )
        calendars = calendars.filter(
            Q(created_by=request.user) | Q(pk__in=editor.values("calendar_id"))
        )
    for calendar in calendars:
        calendar.organization = org  # its membership is cached there: no query per calendar
        if not can_manage_calendar(request.user, calendar):
            continue
        feed = None
        if calendar.feed_token:
            feed = _feed_urls(
                request, reverse("calendars:calendar_feed", args=[calendar.feed_token])
            )
        rows.append(
            {
                "calendar": calendar,
                "feed": feed,
                "field_id": f"feed-url-{calendar.pk}",
                "can_import": calendar.kind == CalendarKind.EVENTS
                and can_edit_calendar(request.user, calendar),
            }
        )
    context = _page_context(
        request,
        org,
        nav="calendar",
        personal=(
            _feed_urls(request, reverse("calendars:personal_feed", args=[mine.token]))
            if mine
            else None
        ),
        rows=rows,
        back_url=_calendar_page_url(org),
    )
    return render(request, "calendars/subscribe.html", context)


def _back_to_subscribe(slug: str) -> HttpResponse:
    return redirect(reverse("calendars:subscribe", args=[slug]))


@login_required
@require_POST
def personal_feed_regenerate(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Make my feed link, or replace it (the old one stops working)."""
    org = get_org_for_user_or_404(request.user, slug)
    exists = PersonalFeed.objects.filter(user=request.user, organization=org).exists()
    services.personal_feed_token(actor=request.user, organization=org, regenerate=exists)
    return _back_to_subscribe(slug)


@login_required
@require_POST
def calendar_feed_regenerate(
    request: AuthenticatedRequest, slug: str, calendar_id: int
) -> HttpResponse:
    calendar = get_calendar_for_user_or_404(request.user, slug, calendar_id)
    services.regenerate_feed_token(actor=request.user, calendar=calendar)
    return _back_to_subscribe(slug)


@login_required
@require_POST
def calendar_feed_revoke(
    request: AuthenticatedRequest, slug: str, calendar_id: int
) -> HttpResponse:
    calendar = get_calendar_for_user_or_404(request.user, slug, calendar_id)
    services.revoke_feed_token(actor=request.user, calendar=calendar)
    return _back_to_subscribe(slug)
