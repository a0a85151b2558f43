"""Copy a card, or move it to another project: a small form in the task panel."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from baton.accounts.requests import AuthenticatedRequest
from baton.core.forms import errors_by_field
from baton.projects import queries, services
from baton.projects.forms import TransferForm
from baton.projects.models import TaskList
from baton.projects.permissions import require_project_role
from baton.projects.views.base import cleaned, task_or_404

MODES = {"copy", "transfer"}


@login_required
@require_http_methods(["GET", "POST"])
def task_copy(request: AuthenticatedRequest, slug: str, ref: str) -> HttpResponse:
    return _copy_or_move(request, slug, ref, "copy")


@login_required
@require_http_methods(["GET", "POST"])
def task_transfer(request: AuthenticatedRequest, slug: str, ref: str) -> HttpResponse:
    return _copy_or_move(request, slug, ref, "transfer")


def _copy_or_move(request: HttpRequest, slug: str, ref: str, mode: str) -> HttpResponse:
    org, task = task_or_404(request, slug, ref)
    require_project_role(request.user, task.project)
    destinations = queries.destination_lists(request.user, org)
    if mode == "transfer":
        destinations = [group for group in destinations if group["project"].pk != task.project_id]
    if request.method == "GET":
        return _render_form(request, org, task, mode, destinations)
    form = TransferForm(request.POST)
    data = cleaned(form)
    try:
        to_list = _chosen_list(data["list"], destinations)
        if mode == "copy":
            result = services.copy_task(
                actor=request.user,
                task=task,
                to_list=to_list,
                title=data["title"],  # None (not sent): the card's own
                with_subtasks=data["subtasks"],
            )
        else:
            result = services.move_task_to_project(actor=request.user, task=task, to_list=to_list)
    except ValidationError as error:
        errors = errors_by_field(error)
        return _render_form(
            request, org, task, mode, destinations, typed=form.data, errors=errors, status=422
        )
    url = reverse("projects:task", args=[org.slug, result.reference])
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _chosen_list(list_id: int | None, destinations) -> TaskList:
    for group in destinations:
        for task_list in group["lists"]:
            if task_list.pk == list_id:
                return task_list
    raise ValidationError({"list": _("Choose a list you may add cards to.")})


def _render_form(request, org, task, mode, destinations, *, typed=None, errors=None, status=200):
    context = {
        "org": org,
        "task": task,
        "mode": mode,
        "destinations": destinations,
        "errors": errors or {},
        "typed": typed or {},  # as sent, to show again
    }
    return render(request, "projects/_transfer_form.html", context, status=status)
