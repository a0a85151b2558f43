"""The public holidays page: the organization's switch, its days off and make-up working days
year by year, and the .ics import.

Members read the days; owners and admins switch them on or off, add, change, remove and import
them (services/holidays.py decides). Guests get 403 and outsiders 404, for reads and writes alike.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from baton.accounts.requests import AuthenticatedRequest
from baton.calendars import holidays, queries, services
from baton.calendars.forms import HolidayDayForm, HolidaySwitchForm, IcsImportForm
from baton.calendars.permissions import (
    can_edit_holidays,
    get_holiday_day_for_user_or_404,
    require_holiday_editor,
    require_holiday_reader,
)
from baton.calendars.services.holidays import FIRST_YEAR, LAST_YEAR
from baton.calendars.services.imports import max_bytes
from baton.core.forms import add_service_errors, errors_by_field
from baton.orgs.permissions import get_org_for_user_or_404
from baton.projects.queries import app_page


def _year(request: HttpRequest, default: int) -> int:
    """The year asked for (?year=2027); anything else shows `default`."""
    try:
        year = int(request.GET.get("year", "")[:6])
    except ValueError:
        return default
    return year if FIRST_YEAR <= year <= LAST_YEAR else default


def _page_url(org, year: int) -> str:
    return reverse("calendars:holidays", args=[org.slug]) + f"?year={year}"


def _org(request: HttpRequest, slug: str, *, edit: bool = False):
    org = get_org_for_user_or_404(request.user, slug)
    (require_holiday_editor if edit else require_holiday_reader)(request.user, org)
    return org


def _context(request: HttpRequest, org, year: int, **extra) -> dict:
    today = timezone.localdate()
    days = list(queries.holiday_days(org, year))
    for day in days:
        day.title = holidays.title_of(day.name, day.kind, day.key)
        day.shown_name = holidays.display_name(day.name, day.key)
    years = queries.holiday_years(org)
    can_edit = can_edit_holidays(request.user, org)
    context = {
        "nav": "calendar",
        "year": year,
        "years": sorted({*years, today.year, today.year + 1, year}),
        "days": days,
        "off_count": sum(1 for day in days if day.kind == holidays.HOLIDAY),
        "work_count": sum(1 for day in days if day.kind == holidays.WORKDAY),
        "holidays_on": queries.public_holidays_on(org),
        "can_edit": can_edit,
        "missing_year": queries.missing_next_year(org, today) if can_edit else None,
        "bundled_first": holidays.covered_years()[0],
        "bundled_last": holidays.covered_years()[1],
        "bundled_missing": [y for y in holidays.bundled_years() if y not in years]
        if can_edit
        else [],
        "form": HolidayDayForm(initial={"date": dt.date(year, 1, 1)}),
        "import_errors": {},
        "summary": None,
        "max_mb": max_bytes() // (1024 * 1024),
        **extra,
    }
    return app_page(request.user, org, **context)


@login_required
@require_http_methods(["GET"])
def holidays_page(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    org = _org(request, slug)
    year = _year(request, timezone.localdate().year)
    return render(request, "calendars/holidays.html", _context(request, org, year))


@login_required
@require_POST
def holidays_switch(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    org = _org(request, slug, edit=True)
    form = HolidaySwitchForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {"enabled": False, "next": ""}
    enabled = data["enabled"]
    services.set_public_holidays(actor=request.user, organization=org, enabled=enabled)
    if enabled:
        messages.success(request, _("China's public holidays are shown on everyone's calendar."))
    else:
        messages.success(request, _("Public holidays are switched off."))
    if data["next"] == "settings":
        return redirect("orgs:settings", org.slug)
    return redirect("calendars:holidays", org.slug)


@login_required
@require_POST
def holiday_add(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    org = _org(request, slug, edit=True)
    form = HolidayDayForm(request.POST)
    if form.is_valid():
        try:
            day = services.add_holiday(actor=request.user, organization=org, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("%(date)s added.") % {"date": day.date.strftime("%Y-%m-%d")}
            )
            return redirect(_page_url(org, day.date.year))
    year = _year(request, timezone.localdate().year)
    if form.is_valid():
        year = form.cleaned_data["date"].year
    context = _context(request, org, year, form=form, add_open=True)
    return render(request, "calendars/holidays.html", context, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def holiday_edit(request: AuthenticatedRequest, slug: str, day_id: int) -> HttpResponse:
    org = _org(request, slug, edit=True)
    day = get_holiday_day_for_user_or_404(request.user, org, day_id)
    initial = {"date": day.date, "name": day.name, "kind": day.kind}
    form = HolidayDayForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_holiday(actor=request.user, day=day, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(_page_url(org, day.date.year))
    context = app_page(request.user, org, nav="calendar", day=day, form=form)
    status = 422 if form.errors else 200
    return render(request, "calendars/holiday_edit.html", context, status=status)


@login_required
@require_POST
def holiday_delete(request: AuthenticatedRequest, slug: str, day_id: int) -> HttpResponse:
    org = _org(request, slug, edit=True)
    day = get_holiday_day_for_user_or_404(request.user, org, day_id)
    year, date = day.date.year, day.date
    services.delete_holiday(actor=request.user, day=day)
    messages.success(request, _("%(date)s removed.") % {"date": date.strftime("%Y-%m-%d")})
    return redirect(_page_url(org, year))


@login_required
@require_POST
def holidays_import(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    org = _org(request, slug, edit=True)
    form = IcsImportForm(request.POST, request.FILES)
    upload = form.cleaned_data["file"] if form.is_valid() else None
    year = _year(request, timezone.localdate().year)
    try:
        if upload is None:
            raise ValidationError({"file": _("Choose an .ics file to import.")})
        if upload.size > max_bytes():  # refused before it is read into memory
            raise ValidationError(
                {
                    "file": _("The file is too large; at most %(max)d MB can be imported.")
                    % {"max": max_bytes() // (1024 * 1024)}
                }
            )
        summary = services.import_holidays(actor=request.user, organization=org, data=upload.read())
    except ValidationError as error:
        context = _context(request, org, year, import_errors=errors_by_field(error))
        return render(request, "calendars/holidays.html", context, status=422)
    if summary.years:
        year = summary.years[0]
    context = _context(request, org, year, summary=summary)
    return render(request, "calendars/holidays.html", context)


@login_required
@require_POST
def holidays_load_bundled(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    org = _org(request, slug, edit=True)
    years = services.load_bundled_holidays(actor=request.user, organization=org)
    messages.success(
        request,
        ngettext(
            "The bundled days of %(n)d year were added.",
            "The bundled days of %(n)d years were added.",
            len(years),
        )
        % {"n": len(years)},
    )
    return redirect("calendars:holidays", org.slug)
