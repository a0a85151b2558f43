"""The inbox (通知): /notifications/, marking read, opening a notification's target."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from baton.accounts.requests import AuthenticatedRequest
from baton.notifications import queries, services
from baton.notifications.forms import BackForm
from baton.notifications.text import describe, target_parts

PAGE_SIZE = 50


def _org_context(user) -> dict:
    """The sidebar of the organization the person used last (the inbox spans them all)."""
    from baton.orgs.models import Membership

    memberships = Membership.objects.select_related("organization").filter(user=user)
    membership = None
    if user.last_org_id:
        membership = memberships.filter(organization_id=user.last_org_id).first()
    membership = membership or memberships.order_by("organization__name").first()
    if membership is None:
        return {"org": None}
    org = membership.organization
    org.membership = membership
    return {"org": org}


def _day_label(day: dt.date, today: dt.date) -> str:
    if day == today:
        return _("Today")
    if day == today - dt.timedelta(days=1):
        return _("Yesterday")
    from django.utils import formats

    if day.year == today.year:
        return formats.date_format(day, _("F j, l"))
    return formats.date_format(day, _("F j, Y"))


def _rows(notifications) -> list[dict]:
    today = timezone.localdate()
    groups: list[dict] = []
    for n in notifications:
        n.text = describe(n)
        n.reference, n.title = target_parts(n)
        day = timezone.localdate(n.created_at)
        if not groups or groups[-1]["day"] != day:
            groups.append({"day": day, "label": _day_label(day, today), "rows": []})
        groups[-1]["rows"].append(n)
    return groups


@login_required
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    filter_name = request.GET.get("filter", "all")
    if filter_name not in queries.FILTERS:
        filter_name = "all"
    paginator = Paginator(queries.inbox(request.user, filter_name), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    filters = [
        ("all", _("All")),
        ("unread", _("Unread")),
        ("mentions", _("Mentions")),
        ("assigned", _("Assigned to me")),
    ]
    context = {
        "nav": "notifications",
        "filter": filter_name,
        "filters": filters,
        "page": page,
        "groups": _rows(page.object_list),
        **_org_context(request.user),
    }
    return render(request, "notifications/inbox.html", context)


def _back(request: HttpRequest) -> str:
    form = BackForm(request.POST)
    url = form.cleaned_data["next"] if form.is_valid() else ""
    if url.startswith("/notifications/") and url_has_allowed_host_and_scheme(url, None):
        return url
    return "/notifications/"


@login_required
@require_POST
def mark_read(request: AuthenticatedRequest, notification_id: str) -> HttpResponse:
    notification = queries.get_notification_for_user_or_404(request.user, notification_id)
    services.mark_read(actor=request.user, notification=notification)
    if request.htmx:
        notification = (
            queries.inbox(request.user).filter(pk=notification.pk).select_related("actor").get()
        )
        notification.text = describe(notification)
        notification.reference, notification.title = target_parts(notification)
        return render(request, "notifications/inbox.html#row", {"n": notification, "filter": "all"})
    return redirect(_back(request))


@login_required
@require_POST
def mark_all_read(request: AuthenticatedRequest) -> HttpResponse:
    services.mark_all_read(actor=request.user)
    response = redirect(_back(request))
    if request.htmx:
        response = HttpResponseClientRefresh()
    return response


def safe_target(url: str) -> str:
    """A notification's address, if it is a path on this site; else the inbox."""
    if (
        url.startswith("/")
        and not url.startswith("//")
        and "\\" not in url
        and url_has_allowed_host_and_scheme(url, allowed_hosts=None)
    ):
        return url
    return "/notifications/"


@login_required
def open_target(request: AuthenticatedRequest, notification_id: str) -> HttpResponse:
    """Mark read, then go to what the notification is about."""
    notification = queries.get_notification_for_user_or_404(request.user, notification_id)
    services.mark_read(actor=request.user, notification=notification)
    return redirect(safe_target(notification.target_url))
