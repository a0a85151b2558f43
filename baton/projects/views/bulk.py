"""Acting on several selected cards at once (board and list view)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRefresh

from baton.accounts.requests import AuthenticatedRequest
from baton.core.forms import errors_by_field
from baton.projects import queries, services
from baton.projects.forms import BulkForm
from baton.projects.permissions import can_shape, require_project_role
from baton.projects.views.base import cleaned, project_or_404

DONE = {
    "move": lambda n: ngettext("%(n)d card moved.", "%(n)d cards moved.", n),
    "assign": lambda n: ngettext("%(n)d card assigned.", "%(n)d cards assigned.", n),
    "tag": lambda n: ngettext("%(n)d card tagged.", "%(n)d cards tagged.", n),
    "due": lambda n: ngettext("Due date set on %(n)d card.", "Due date set on %(n)d cards.", n),
    "archive": lambda n: ngettext("%(n)d card archived.", "%(n)d cards archived.", n),
    "done": lambda n: ngettext("%(n)d card completed.", "%(n)d cards completed.", n),
}


@login_required
@require_http_methods(["GET", "POST"])
def bulk(request: AuthenticatedRequest, slug: str, key: str) -> HttpResponse:
    """GET: the selection bar's menus (loaded when the first card is selected). POST: apply an
    action to the selected cards, then reload the page that asked."""
    org, project = project_or_404(request, slug, key)
    require_project_role(request.user, project)
    if request.method == "GET":
        return _render_bar(request, org, project)
    data = cleaned(BulkForm(request.POST))
    action = data["action"]
    try:
        count = services.bulk_update_tasks(
            actor=request.user,
            project=project,
            task_ids=data["tasks"],
            action=action,
            value=data["value"],
        )
    except ValidationError as error:
        errors = [message for messages_ in errors_by_field(error).values() for message in messages_]
        return render(
            request, "projects/_bulk_bar.html#bulk-errors", {"errors": errors}, status=422
        )
    messages.success(request, DONE[action](count) % {"n": count})
    if request.htmx:
        return HttpResponseClientRefresh()
    return redirect("projects:board", org.slug, project.key)


def _render_bar(request, org, project):
    context = {
        "org": org,
        "project": project,
        "lists": project.lists.filter(archived_at=None),
        "people": queries.project_people(project),
        "tags": project.tags.all(),
        "can_shape": can_shape(request.user, project),
    }
    return render(request, "projects/_bulk_bar.html#bulk-menus", context)
