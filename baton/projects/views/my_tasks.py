"""My tasks: everything of mine that is still open, across the organization's projects."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from baton.accounts.requests import AuthenticatedRequest
from baton.orgs.permissions import get_org_for_user_or_404
from baton.projects import queries, services
from baton.projects.forms import MyTaskDoneForm, MyTasksForm
from baton.projects.views.base import cleaned, page_context, task_or_404


def _row_urls(org) -> dict:
    """URL prefixes computed once per page: a row's task is `task_base` + its reference."""
    task_url = reverse("projects:task", args=[org.slug, "XX-1"])
    done_url = reverse("projects:my_task_done", args=[org.slug, "XX-1"])
    return {"task_base": task_url.removesuffix("XX-1"), "done_base": done_url.split("XX-1")[0]}


@login_required
@require_GET
def my_tasks(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The page: open tasks grouped by due date as seen in the user's time zone."""
    org = get_org_for_user_or_404(request.user, slug)
    tab = cleaned(MyTasksForm(request.GET))["tab"]
    context = {
        "tab": tab,
        "tabs": [
            ("assigned", _("Assigned to me")),
            ("following", _("Following")),
            ("created", _("Created by me")),
        ],
        "result": queries.my_tasks(request.user, org, timezone.localdate(), tab=tab),
        "limit": queries.MY_TASKS_LIMIT,
        **_row_urls(org),
    }
    context.update(page_context(request, org, nav="my_tasks"))
    return render(request, "projects/my_tasks.html", context)


@login_required
@require_POST
def my_task_done(request: AuthenticatedRequest, slug: str, ref: str) -> HttpResponse:
    """Quick complete from a row (`done=1`) and its Undo (`done=0`): answers with the row, which
    stays where it is, struck through, until the page is loaded again."""
    org, task = task_or_404(request, slug, ref)
    form = MyTaskDoneForm(request.POST)
    if not form.is_valid():
        return HttpResponse(form.errors["done"][0], status=400)
    services.set_task_done(actor=request.user, task=task, done=form.cleaned_data["done"])
    if not request.htmx:
        return redirect("projects:my_tasks", org.slug)
    context = {"org": org, "task": queries.my_task_row_of(task), **_row_urls(org)}
    return render(request, "projects/my_tasks.html#my-task-row", context)
