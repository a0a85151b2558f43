"""Saved views: a named layout (board or list) and query string, shared with the project.

Members create them; the one who created a view and the project's admins rename or delete it.
Viewers use them (they are links) but do not write them.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from baton.accounts.models import User
from baton.core.validation import required_text
from baton.projects.filters import clean_query
from baton.projects.models import ProjectRole, SavedView
from baton.projects.permissions import project_role, require_project_role
from baton.projects.services.base import record

LAYOUTS = ("board", "list")
NAME_MAX_LENGTH = 60
QUERY_MAX_LENGTH = 2000


def _clean_name(project, name: str, *, exclude_pk: int | None = None) -> str:
    name = required_text(name, field="name", max_length=NAME_MAX_LENGTH)
    taken = SavedView.objects.filter(project=project, name__iexact=name)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError({"name": _("A view with this name already exists.")})
    return name


def _clean_layout(layout: str) -> str:
    if layout not in LAYOUTS:
        raise ValidationError({"layout": _("A view is a board or a list.")})
    return layout


def _clean_query(layout: str, query: str) -> str:
    # The board has no sort or grouping; a saved board keeps only its filters.
    extra = ("sort", "group") if layout == "list" else ()
    cleaned = clean_query(query or "", allowed_extra=extra)
    if len(cleaned) > QUERY_MAX_LENGTH:
        raise ValidationError({"query": _("This view has too many filters to save.")})
    return cleaned


def _require_manager(actor, saved_view: SavedView, *, shaping: bool = False) -> None:
    """The creator (still a member) or a project admin; viewers never (nor guests, to delete)."""
    project = saved_view.project
    role = require_project_role(actor, project, ProjectRole.MEMBER, shaping=shaping)
    if role != ProjectRole.ADMIN and saved_view.created_by_id != actor.pk:
        raise PermissionDenied


def can_manage_saved_view(actor, saved_view: SavedView) -> bool:
    role = project_role(actor, saved_view.project)
    if role == ProjectRole.ADMIN:
        return True
    return role == ProjectRole.MEMBER and saved_view.created_by_id == actor.pk


def create_saved_view(
    *, actor: User, project, name: str, layout: str, query: str = ""
) -> SavedView:
    """Save the current view under a name. `query` is the page's query string; only the
    parameters a view understands are kept."""
    require_project_role(actor, project, ProjectRole.MEMBER)
    layout = _clean_layout(layout)
    query = _clean_query(layout, query)
    name = _clean_name(project, name)
    with transaction.atomic():
        saved_view = SavedView.objects.create(
            project=project, name=name, layout=layout, query=query, created_by=actor
        )
        record(
            actor,
            "saved_view.created",
            saved_view,
            project,
            {"name": name, "layout": layout, "query": query},
        )
    return saved_view


def update_saved_view(
    *,
    actor: User,
    saved_view: SavedView,
    name: str | None = None,
    layout: str | None = None,
    query: str | None = None,
) -> SavedView:
    """Rename a view, or give it the current layout and filters (what is not given is kept)."""
    _require_manager(actor, saved_view)
    project = saved_view.project
    changes = {}
    if name is not None:
        changes["name"] = _clean_name(project, name, exclude_pk=saved_view.pk)
    new_layout = _clean_layout(layout) if layout is not None else saved_view.layout
    if layout is not None:
        changes["layout"] = new_layout
    if query is not None or layout is not None:
        changes["query"] = _clean_query(new_layout, saved_view.query if query is None else query)
    diff = {k: v for k, v in changes.items() if getattr(saved_view, k) != v}
    if not diff:
        return saved_view
    with transaction.atomic():
        old = {k: getattr(saved_view, k) for k in diff}
        for key, value in diff.items():
            setattr(saved_view, key, value)
        saved_view.save(update_fields=list(diff))
        record(
            actor,
            "saved_view.updated",
            saved_view,
            project,
            {"changes": [{"field": k, "old": old[k], "new": v} for k, v in diff.items()]},
        )
    return saved_view


def delete_saved_view(*, actor: User, saved_view: SavedView) -> None:
    _require_manager(actor, saved_view, shaping=True)
    project = saved_view.project
    with transaction.atomic():
        record(actor, "saved_view.deleted", saved_view, project, {"name": saved_view.name})
        saved_view.delete()
