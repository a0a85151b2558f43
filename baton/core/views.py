import logging

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from baton.accounts.requests import AuthenticatedRequest
from baton.core.forms import MarkdownPreviewForm
from baton.lib.markdown import render_markdown

logger = logging.getLogger(__name__)


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness with the database checked: 200 {"status": "ok"} or 503.

    Anyone may call it, so a failure answers a generic body: a database error's text names hosts,
    users and paths. The error goes to the log instead."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: the database does not answer")
        return JsonResponse({"status": "error", "detail": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def home(request: HttpRequest) -> HttpResponse:
    """Where `/` leads: the last organization used, the first one, or creating one."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    user = request.user
    membership = None
    if user.last_org_id:
        membership = (
            user.memberships.select_related("organization")
            .filter(organization_id=user.last_org_id)
            .first()
        )
    membership = membership or user.memberships.select_related("organization").first()
    if membership is None:
        return redirect("orgs:create")
    return redirect("orgs:home", membership.organization.slug)


@login_required
@require_POST
def markdown_preview(request: AuthenticatedRequest) -> HttpResponse:
    """The editor's preview tab: the same Markdown pipeline as saved text."""
    form = MarkdownPreviewForm(request.POST)
    html = render_markdown(form.cleaned_data["text"] if form.is_valid() else "")
    return HttpResponse(html or '<p class="muted">—</p>')


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def forbidden(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)
