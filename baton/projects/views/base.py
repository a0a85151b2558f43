"""What every project view shares: page context, access helpers, error shapes."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from baton.projects import queries
from baton.projects.forms import NeighboursForm
from baton.projects.permissions import (
    get_list_for_user_or_404,
    get_project_for_user_or_404,
    get_task_for_user_or_404,
)

# ---------------------------------------------------------------- helpers


def page_context(request: HttpRequest, org, **context) -> dict:
    """What every app.html page needs: the organization and the sidebar's projects."""
    context.setdefault("nav", "projects")
    return queries.app_page(request.user, org, **context)


def project_or_404(request: HttpRequest, slug: str, key: str):
    project = get_project_for_user_or_404(request.user, slug, key)
    return project.organization, project


def task_or_404(request: HttpRequest, slug: str, ref: str):
    task = get_task_for_user_or_404(request.user, slug, ref)
    return task.project.organization, task


def list_or_404(request: HttpRequest, slug: str, key: str, list_id: int):
    task_list = get_list_for_user_or_404(request.user, slug, key, list_id)
    return task_list.project.organization, task_list.project, task_list


def cleaned(form: forms.Form) -> dict:
    """The form's cleaned data; when a value does not parse, its messages raised as one
    ValidationError about no field in particular, which the view answers as it answers a
    service's refusal."""
    if not form.is_valid():
        raise ValidationError([e for errors in form.errors.as_data().values() for e in errors])
    return form.cleaned_data


def placed(request: HttpRequest, move, *, sides=("after", "before"), **target) -> HttpResponse:
    """One drag in a sortable list, which the page has reordered already: the service places the
    item next to its new neighbours (the ids posted as `after` / `before`). 204, or 400 and why."""
    form = NeighboursForm(request.POST, sides=sides)
    try:
        neighbours = {f"{side}_id": value for side, value in cleaned(form).items()}
        move(actor=request.user, **target, **neighbours)
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=400)
    return HttpResponse(status=204)


def board_urls(org, project) -> dict:
    """URL prefixes computed once per page, so a thousand cards do not each reverse two URLs."""
    first_task_url = reverse("projects:task", args=[org.slug, f"{project.key}-1"])
    first_list_url = reverse("projects:list_update", args=[org.slug, project.key, 1])
    return {
        "task_prefix": first_task_url[:-1],
        "lists_url": first_list_url.removesuffix("1/update"),
    }
