"""Custom fields: the Fields section of a project's settings (project admins change it, members
read it) and a card's values in the task panel (members).

The settings forms post with htmx and get the section back (`_field_settings.html#fields-section`),
with the typed values and the messages when a save is refused (422). Without htmx they redirect
to the settings page, with the messages as a flash.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baton.accounts.requests import AuthenticatedRequest
from baton.core.forms import errors_by_field
from baton.projects import queries, services
from baton.projects.forms import FieldDefinitionForm, FieldUpdateForm, TaskFieldForm
from baton.projects.models import CustomField, FieldKind
from baton.projects.permissions import can_admin
from baton.projects.views.base import cleaned, placed, project_or_404, task_or_404
from baton.projects.views.tasks import render_panel


def _field(request: HttpRequest, slug: str, key: str, field_id: int):
    """A field of a project the user may see (404 otherwise), with its project attached."""
    org, project = project_or_404(request, slug, key)
    field = next((f for f in queries.custom_fields(project) if f.pk == field_id), None)
    if field is None:
        raise Http404
    field.project = project
    return org, project, field


def _section(
    request: HttpRequest, org, project, *, status: int = 200, notice: str = "", **state
) -> HttpResponse:
    """The Fields section (htmx) or, without htmx, the settings page it belongs to."""
    if not request.htmx:
        if status >= 400:
            for message_list in (state.get("field_errors") or {}).values():
                for message in message_list:
                    messages.error(request, message)
        elif notice:
            messages.success(request, notice)
        return redirect("projects:settings", org.slug, project.key)
    context = {
        "org": org,
        "project": project,
        "is_admin": can_admin(request.user, project),
        "notice": notice,
        **state,
    }
    return render(request, "projects/_field_settings.html#fields-section", context, status=status)


@login_required
@require_POST
def field_create(request: AuthenticatedRequest, slug: str, key: str) -> HttpResponse:
    org, project = project_or_404(request, slug, key)
    form = FieldDefinitionForm(request.POST)
    typed = cleaned(form)
    try:
        field = services.create_custom_field(
            actor=request.user,
            project=project,
            name=typed["name"],
            kind=typed["kind"],
            options=form.kept_options(),
            required=typed["required"],
            show_on_card=typed["show_on_card"],
        )
    except ValidationError as error:
        return _section(
            request, org, project, status=422, field_errors=errors_by_field(error), new_typed=typed
        )
    notice = _("Field %(name)s added.") % {"name": field.name}
    return _section(request, org, project, notice=notice)


@login_required
@require_POST
def field_update(request: AuthenticatedRequest, slug: str, key: str, field_id: int) -> HttpResponse:
    org, project, field = _field(request, slug, key, field_id)
    form = FieldUpdateForm(request.POST)
    typed = cleaned(form)
    has_options = field.kind in (FieldKind.SELECT, FieldKind.MULTI)
    try:
        services.update_custom_field(
            actor=request.user,
            field=field,
            name=typed["name"],
            kind=typed["kind"],
            required=typed["required"],
            show_on_card=typed["show_on_card"],
            options=form.kept_options() if has_options else None,
        )
    except ValidationError as error:
        return _section(
            request,
            org,
            project,
            status=422,
            field_errors=errors_by_field(error),
            field_typed=typed,
            edit_field_id=field.pk,
        )
    notice = _("Field %(name)s saved.") % {"name": field.name}
    return _section(request, org, project, notice=notice)


@login_required
@require_POST
def field_move(request: AuthenticatedRequest, slug: str, key: str, field_id: int) -> HttpResponse:
    """One drag in the settings' list of fields: the page has moved the row already."""
    _org, _proj, field = _field(request, slug, key, field_id)
    return placed(request, services.move_custom_field, field=field)


@login_required
@require_POST
def field_delete(request: AuthenticatedRequest, slug: str, key: str, field_id: int) -> HttpResponse:
    org, project, field = _field(request, slug, key, field_id)
    name = field.name
    cards = services.delete_custom_field(actor=request.user, field=field)
    notice = _("Field %(name)s deleted; its value was removed from %(n)d cards.") % {
        "name": name,
        "n": cards,
    }
    return _section(request, org, project, notice=notice)


@login_required
@require_POST
def task_field_update(request: AuthenticatedRequest, slug: str, ref: str) -> HttpResponse:
    """Save one field's value from the task panel (`field` and `value`, several `value`s for a
    multi-select); a refused value comes back next to the field, as typed (422)."""
    org, task = task_or_404(request, slug, ref)
    data = cleaned(TaskFieldForm(request.POST))
    field_id = data["field"]
    field: CustomField | None = next(
        (f for f in queries.custom_fields(task.project) if f.pk == field_id), None
    )
    if field is None:
        errors = {"general": [_("This field no longer exists; the panel shows the current ones.")]}
        return render_panel(request, org, task, status=422, errors=errors)
    raw: str | list[str] = data["values" if field.kind == FieldKind.MULTI else "value"]
    try:
        services.set_custom_values(actor=request.user, task=task, values={field.pk: raw})
    except ValidationError as error:
        typed = {f"cf_{field.pk}": raw}
        return render_panel(
            request, org, task, status=422, errors=errors_by_field(error), typed=typed
        )
    return render_panel(request, org, task, with_card=not task.parent_id)
