"""Notification settings (/notifications/settings) and the organization's mail status page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from baton.accounts.requests import AuthenticatedRequest
from baton.core.forms import add_service_errors
from baton.notifications.mail import mail_status
from baton.notifications.models import Kind
from baton.notifications.preferences import PreferencesForm, settings_of
from baton.notifications.services import save_preferences
from baton.orgs.permissions import get_org_for_user_or_404, require_org_manager


def _page(request: HttpRequest, org, template: str, context: dict, *, nav: str, status=200):
    return render(request, template, {"org": org, "nav": nav, **context}, status=status)


def _last_org(user):
    org = user.last_org
    if org is None:
        return None
    try:
        return get_org_for_user_or_404(user, org.slug)
    except Exception:
        return None


@login_required
def preferences(request: AuthenticatedRequest) -> HttpResponse:
    """How mail reaches me per kind, digest timing, and card reminders."""
    prefs = settings_of(request.user)
    form = PreferencesForm.for_settings(prefs, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                save_preferences(
                    actor=request.user,
                    mail_modes={kind.value: data[f"mode_{kind.value}"] for kind in Kind},
                    digest_hours=data["digest_hours"],
                    digest_time=data["digest_time"],
                    reminders=data["reminder_minutes"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your notification settings were saved."))
                return redirect("notifications:settings")
        status = 422
    return _page(
        request,
        _last_org(request.user),
        "notifications/settings.html",
        {"form": form},
        nav="notification_settings",
        status=status,
    )


@login_required
def org_mail(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """For owners and admins: mail waiting, mail that could not be sent, and why."""
    org = get_org_for_user_or_404(request.user, slug)
    require_org_manager(request.user, org)
    return _page(
        request, org, "notifications/org_mail.html", {"status": mail_status(org)}, nav="members"
    )
