"""Project, board and task pages. Thin adapters: parse the request, call a service, render.

Each htmx endpoint answers with a named partial of the page that renders it in full.
"""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from baton.accounts.models import initials_of
from baton.core.colors import PALETTE
from baton.core.forms import add_service_errors
from baton.orgs.models import Membership
from baton.orgs.permissions import get_org_for_user_or_404
from baton.projects import queries, services
from baton.projects.forms import ProjectForm
from baton.projects.models import Priority, ProjectMember, ProjectRole, Task, TaskList
from baton.projects.permissions import (
    can_admin,
    can_edit,
    get_comment_for_user_or_404,
    get_list_for_user_or_404,
    get_project_for_user_or_404,
    get_task_for_user_or_404,
    require_project_role,
    visible_projects,
)

# ---------------------------------------------------------------- helpers


def _page_context(request: HttpRequest, org, **context) -> dict:
    """What every app.html page needs: the organization and the sidebar's projects."""
    context.setdefault("nav", "projects")
    return {
        "org": org,
        "nav_projects": visible_projects(request.user, org).filter(archived_at__isnull=True),
        **context,
    }


def _project(request: HttpRequest, slug: str, key: str):
    project = get_project_for_user_or_404(request.user, slug, key)
    return project.organization, project


def _task(request: HttpRequest, slug: str, ref: str):
    task = get_task_for_user_or_404(request.user, slug, ref)
    return task.project.organization, task


def _list(request: HttpRequest, slug: str, key: str, list_id: int):
    task_list = get_list_for_user_or_404(request.user, slug, key, list_id)
    return task_list.project.organization, task_list.project, task_list


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        raise ValidationError(_("Invalid number: %(value)s") % {"value": value}) from None


def _errors(error: ValidationError) -> dict[str, list[str]]:
    """Messages by field; those about no field in particular under "general"."""
    if not hasattr(error, "error_dict"):
        return {"general": error.messages}
    errors = dict(error.message_dict)
    if "__all__" in errors:
        errors["general"] = errors.pop("__all__")
    return errors


def _board_urls(org, project) -> dict:
    """URL prefixes computed once per page, so a thousand cards do not each reverse two URLs."""
    first_task_url = reverse("projects:task", args=[org.slug, f"{project.key}-1"])
    first_list_url = reverse("projects:list_update", args=[org.slug, project.key, 1])
    return {
        "task_prefix": first_task_url[:-1],
        "lists_url": first_list_url.removesuffix("1/update"),
    }


# ---------------------------------------------------------------- projects


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest, slug: str) -> HttpResponse:
    org = get_org_for_user_or_404(request.user, slug)
    form = ProjectForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.create_project(
                actor=request.user, organization=org, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("projects:board", org.slug, project.key)
    status = 422 if form.errors else 200
    return render(
        request, "projects/project_form.html", _page_context(request, org, form=form), status=status
    )


@login_required
@require_GET
def board(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    org, project = _project(request, slug, key)
    context = _page_context(
        request,
        org,
        project=project,
        lists=queries.board(project),
        can_edit=can_edit(request.user, project),
        **_board_urls(org, project),
    )
    return render(request, "projects/board.html", context)


@login_required
@require_GET
def list_cards(request: HttpRequest, slug: str, key: str, list_id: int) -> HttpResponse:
    """The next page of a long list (loaded as the user scrolls)."""
    org, project, task_list = _list(request, slug, key, list_id)
    try:
        after_position = float(request.GET.get("after_position", ""))
        after_id = int(request.GET.get("after_id", ""))
    except ValueError:
        return HttpResponse(_("Invalid page."), status=400)
    cards = queries.more_cards(task_list, after_position=after_position, after_id=after_id)
    # more_cards() returns one card beyond the page when another page follows.
    has_more = len(cards) > settings.BATON_BOARD_PAGE_SIZE
    cards = cards[: settings.BATON_BOARD_PAGE_SIZE]
    context = {
        "org": org,
        "project": project,
        "task_list": task_list,
        "cards": cards,
        "has_more": has_more,
        "can_edit": can_edit(request.user, project),
        **_board_urls(org, project),
    }
    return render(request, "projects/board.html#card-page", context)


@login_required
@require_http_methods(["GET", "POST"])
def project_settings(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    org, project = _project(request, slug, key)
    require_project_role(request.user, project, ProjectRole.MEMBER)
    form = ProjectForm.for_project(project, data=request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_project(actor=request.user, project=project, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Project settings saved."))
                return redirect("projects:settings", org.slug, project.key)
        else:
            require_project_role(request.user, project, ProjectRole.ADMIN)
    return _render_settings(request, org, project, form, status=422 if form.errors else 200)


def _render_settings(request, org, project, form, *, status=200, member_error=None) -> HttpResponse:
    members = list(
        ProjectMember.objects.filter(project=project).select_related("user").order_by("user__name")
    )
    member_ids = {m.user_id for m in members}
    candidates = (
        Membership.objects.filter(organization=org)
        .exclude(user_id__in=member_ids)
        .select_related("user")
        .order_by("user__name")
    )
    lists = TaskList.objects.filter(project=project).order_by("position")
    context = _page_context(
        request,
        org,
        project=project,
        form=form,
        members=members,
        candidates=candidates,
        archived_lists=[tl for tl in lists if tl.archived_at],
        roles=ProjectRole.choices,
        is_admin=can_admin(request.user, project),
        member_error=member_error,
    )
    return render(request, "projects/settings.html", context, status=status)


@login_required
@require_POST
def project_members(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """Add a member, change a member's role or remove a member (admins; anyone may leave)."""
    org, project = _project(request, slug, key)
    action = request.POST.get("action")
    try:
        if action == "add":
            user = (
                get_user_model().objects.filter(pk=_int_or_none(request.POST.get("user"))).first()
            )
            if user is None:
                raise ValidationError(_("Choose someone to add."))
            services.add_project_member(
                actor=request.user,
                project=project,
                user=user,
                role=request.POST.get("role", ProjectRole.MEMBER),
            )
        elif action in ("role", "remove"):
            member = (
                ProjectMember.objects.filter(
                    project=project, pk=_int_or_none(request.POST.get("member"))
                )
                .select_related("user", "project")
                .first()
            )
            if member is None:
                raise Http404
            member.project = project
            if action == "role":
                services.change_project_member_role(
                    actor=request.user, member=member, role=request.POST.get("role", "")
                )
            else:
                services.remove_project_member(actor=request.user, member=member)
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as error:
        form = ProjectForm.for_project(project)
        return _render_settings(
            request, org, project, form, status=422, member_error=" ".join(error.messages)
        )
    messages.success(request, _("Members updated."))
    return redirect("projects:settings", org.slug, project.key)


@login_required
@require_POST
def project_archive(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    org, project = _project(request, slug, key)
    archived = request.POST.get("archived") == "1"
    services.set_project_archived(actor=request.user, project=project, archived=archived)
    messages.success(request, _("Project archived.") if archived else _("Project restored."))
    if archived:
        return redirect("orgs:home", org.slug)
    return redirect("projects:board", org.slug, project.key)


# ---------------------------------------------------------------- lists


@login_required
@require_POST
def list_create(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    org, project = _project(request, slug, key)
    try:
        task_list = services.create_list(
            actor=request.user, project=project, name=request.POST.get("name", "")
        )
    except ValidationError as error:
        if not request.htmx:
            messages.error(request, " ".join(error.messages))
            return redirect("projects:board", org.slug, project.key)
        context = {
            "org": org,
            "project": project,
            "errors": _errors(error),
            "name": request.POST.get("name", ""),
            "can_edit": True,
        }
        response = render(request, "projects/board.html#add-list", context, status=422)
        response["HX-Retarget"] = "#add-list"  # the form, not the end of the lists
        response["HX-Reswap"] = "outerHTML"
        return response
    if not request.htmx:
        return redirect("projects:board", org.slug, project.key)
    task_list.cards, task_list.card_count, task_list.has_more = [], 0, False
    context = {
        "org": org,
        "project": project,
        "task_list": task_list,
        "can_edit": True,
        **_board_urls(org, project),
    }
    return render(request, "projects/board.html#list-column", context)


@login_required
@require_POST
def list_update(request: HttpRequest, slug: str, key: str, list_id: int) -> HttpResponse:
    org, project, task_list = _list(request, slug, key, list_id)
    changes = {}
    if "name" in request.POST:
        changes["name"] = request.POST["name"]
    if "is_done" in request.POST:
        changes["is_done"] = request.POST["is_done"] == "1"
    status, errors = 200, {}
    try:
        if "wip_limit" in request.POST:
            changes["wip_limit"] = _int_or_none(request.POST["wip_limit"])
        services.update_list(actor=request.user, task_list=task_list, **changes)
    except ValidationError as error:
        task_list.refresh_from_db()
        status, errors = 422, _errors(error)
    if not request.htmx:
        return redirect("projects:board", org.slug, project.key)
    task_list.card_count = task_list.tasks.filter(
        archived_at__isnull=True, parent__isnull=True
    ).count()
    context = {
        "org": org,
        "project": project,
        "task_list": task_list,
        "can_edit": True,
        "errors": errors,
        **_board_urls(org, project),
    }
    return render(request, "projects/board.html#list-header", context, status=status)


@login_required
@require_POST
def list_move(request: HttpRequest, slug: str, key: str, list_id: int) -> HttpResponse:
    *_, task_list = _list(request, slug, key, list_id)
    try:
        services.move_list(
            actor=request.user,
            task_list=task_list,
            after_id=_int_or_none(request.POST.get("after")),
        )
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=400)
    return HttpResponse(status=204)


@login_required
@require_POST
def list_archive(request: HttpRequest, slug: str, key: str, list_id: int) -> HttpResponse:
    org, project, task_list = _list(request, slug, key, list_id)
    archived = request.POST.get("archived", "1") == "1"
    services.set_list_archived(actor=request.user, task_list=task_list, archived=archived)
    if request.htmx and archived:
        return HttpResponse("")  # the list's column is replaced by nothing
    return redirect("projects:board", org.slug, project.key)


# ---------------------------------------------------------------- tags


@login_required
@require_POST
def tag_create(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """Create a tag; from a task panel (`task` given) the new tag is also put on that task."""
    org, project = _project(request, slug, key)
    ref = request.POST.get("task", "")
    task = get_task_for_user_or_404(request.user, slug, ref) if ref else None
    if task is not None and task.project_id != project.pk:
        raise Http404
    try:
        tag = services.create_tag(
            actor=request.user,
            project=project,
            name=request.POST.get("name", ""),
            color=request.POST.get("color"),
        )
        if task is not None:
            tag_ids = [*task.tags.values_list("pk", flat=True), tag.pk]
            services.update_task(actor=request.user, task=task, tags=tag_ids)
    except ValidationError as error:
        if task is None:
            return HttpResponse(" ".join(error.messages), status=422)
        return _render_panel(request, org, task, errors=_errors(error), status=422)
    if task is None:
        return redirect("projects:settings", org.slug, project.key)
    return _render_panel(request, org, task, with_card=True)


# ---------------------------------------------------------------- tasks


@login_required
@require_POST
def task_create(request: HttpRequest, slug: str, key: str, list_id: int) -> HttpResponse:
    """Quick-add at the bottom of a list; answers with the new card (htmx) or the board."""
    org, project, task_list = _list(request, slug, key, list_id)
    try:
        task = services.create_task(
            actor=request.user,
            project=project,
            task_list=task_list,
            title=request.POST.get("title", ""),
        )
    except ValidationError as error:
        if not request.htmx:
            messages.error(request, " ".join(error.messages))
            return redirect("projects:board", org.slug, project.key)
        response = HttpResponse(" ".join(error.messages), status=422)
        response["HX-Retarget"] = f"#quick-add-error-{task_list.pk}"
        response["HX-Reswap"] = "innerHTML"
        return response
    if not request.htmx:
        return redirect("projects:board", org.slug, project.key)
    context = {
        "org": org,
        "project": project,
        "task": queries.card_for(task, project, tags=[]),
        **_board_urls(org, project),
    }
    # The list's count is raised by the page itself (board.js), sparing a count per quick-add.
    return render(request, "projects/board.html#task-card", context)


def _counts(project, list_ids: list[int]) -> dict:
    """Open-card counts of some lists, for the headers a deletion updates out of band."""
    rows = TaskList.objects.filter(project=project, pk__in=list_ids).annotate(
        card_count=Count(
            "tasks", filter=Q(tasks__archived_at__isnull=True, tasks__parent__isnull=True)
        )
    )
    return {"count_lists": list(rows)}


@login_required
@require_GET
def task_detail(request: HttpRequest, slug: str, ref: str) -> HttpResponse:
    """The task as a side panel over the board (htmx) or as a page of its own."""
    org, task = _task(request, slug, ref)
    return _render_panel(request, org, task)


def _render_panel(
    request,
    org,
    task: Task,
    *,
    errors=None,
    status=200,
    conflict=None,
    typed=None,
    with_card=False,
    adding_subtask=False,
    extra=None,
) -> HttpResponse:
    project = task.project
    task = (
        Task.objects.select_related("project", "list", "assignee")
        .prefetch_related("participants", "tags")
        .get(pk=task.pk)
    )
    task.project = project
    editable = can_edit(request.user, project)
    people = list(queries.project_people(project)) if editable else []
    context = {
        "org": org,
        "project": project,
        "task": task,
        "can_edit": editable,
        "lists": TaskList.objects.filter(project=project, archived_at__isnull=True).order_by(
            "position"
        ),
        "people": people,
        "project_tags": project.tags.all(),
        "timeline": queries.timeline(task),
        "mention_people": _mention_people(people),
        "subtasks": queries.subtasks_of(task),
        "parent": queries.parent_of(task),
        "adding_subtask": adding_subtask,
        "following": any(p.pk == request.user.pk for p in task.participants.all()),
        "priorities": Priority.choices,
        "palette": PALETTE,
        "errors": errors or {},
        "conflict": conflict,
        "typed": typed or {},
        # The board's card, refreshed out of band beside the panel (removed when archived).
        "with_card": with_card,
        "card": queries.card_for(task, project) if with_card and not task.archived_at else None,
        **_board_urls(org, project),
        **(extra or {}),
    }
    if request.htmx:
        return render(request, "projects/task_detail.html#task-panel", context, status=status)
    context.update(_page_context(request, org))
    return render(request, "projects/task_detail.html", context, status=status)


EDITABLE_FIELDS = {
    "title",
    "description",
    "assignee",
    "participants",
    "start_date",
    "due_date",
    "priority",
    "tags",
}
MULTI_FIELDS = {"participants", "tags"}


@login_required
@require_POST
def task_update(request: HttpRequest, slug: str, ref: str) -> HttpResponse:
    """Save the fields one panel form edits (named in `_fields`); a stale text edit gets 409."""
    org, task = _task(request, slug, ref)
    names = [n for n in request.POST.get("_fields", "").split(",") if n]
    unknown = set(names) - EDITABLE_FIELDS
    if unknown or not names:
        return _render_panel(
            request, org, task, status=422, errors={"general": [_("Nothing to save.")]}
        )
    changes = {
        n: request.POST.getlist(n) if n in MULTI_FIELDS else request.POST.get(n, "") for n in names
    }
    try:
        version = _int_or_none(request.POST.get("version"))
        services.update_task(actor=request.user, task=task, version=version, **changes)
    except services.ConflictError as conflict:
        return _render_panel(
            request, org, task, status=409, conflict=conflict.current, typed=changes
        )
    except ValidationError as error:
        if _from_checklist(request, task):
            return _render_panel(request, org, _parent(task), status=422, errors=_errors(error))
        return _render_panel(request, org, task, status=422, errors=_errors(error), typed=changes)
    return _render_after_write(request, org, task)


@login_required
@require_POST
def task_move(request: HttpRequest, slug: str, ref: str) -> HttpResponse:
    """One drag: the card's new list and neighbours. Answers with the card; the page moves the
    count from one list header to the other itself (board.js)."""
    org, task = _task(request, slug, ref)
    project = task.project
    try:
        services.move_task(
            actor=request.user,
            task=task,
            to_list=request.POST.get("list") or task.list_id,
            after_id=_int_or_none(request.POST.get("after")),
            before_id=_int_or_none(request.POST.get("before")),
        )
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=400)
    if request.POST.get("from") == "panel":
        return _render_panel(request, org, task, with_card=True)
    context = {
        "org": org,
        "project": project,
        "task": queries.card_for(task, project),
        **_board_urls(org, project),
    }
    return render(request, "projects/board.html#task-card", context)


@login_required
@require_POST
def task_done(request: HttpRequest, slug: str, ref: str) -> HttpResponse:
    org, task = _task(request, slug, ref)
    services.set_task_done(actor=request.user, task=task, done=request.POST.get("done") == "1")
    return _render_after_write(request, org, task)


@login_required
@require_POST
def task_archive(request: HttpRequest, slug: str, ref: str) -> HttpResponse:
    org, task = _task(request, slug, ref)
    archived = request.POST.get("archived", "1") == "1"
    services.set_task_archived(actor=request.user, task=task, archived=archived)
    return _render_panel(request, org, task, with_card=not archived)


@login_required
@require_POST
def task_delete(request: HttpRequest, slug: str, ref: str) -> HttpResponse:
    org, task = _task(request, slug, ref)
    project = task.project
    task_id, list_id = task.pk, task.list_id
    in_checklist = _from_checklist(request, task) and _parent(task)
    services.delete_task(actor=request.user, task=task)
    if in_checklist:
        return _render_panel(request, org, in_checklist, with_card=True)
    board_url = reverse("projects:board", args=[org.slug, project.key])
    if not request.htmx:
        messages.success(request, _("Task deleted."))
        return redirect(board_url)
    context = {"deleted_task_id": task_id, **_counts(project, [list_id])}
    response = render(request, "projects/task_detail.html#task-deleted", context)
    response["HX-Push-Url"] = board_url
    return response


@login_required
@require_POST
def task_follow(request: HttpRequest, slug: str, ref: str) -> HttpResponse:
    org, task = _task(request, slug, ref)
    following = request.POST.get("following", "1") == "1"
    services.set_following(actor=request.user, task=task, following=following)
    return _render_panel(request, org, task)


# ---------------------------------------------------------------- subtasks


def _from_checklist(request: HttpRequest, task: Task) -> bool:
    """Whether the form was a subtask's row in its parent's checklist (answered with that panel)."""
    return bool(task.parent_id) and request.POST.get("panel") == "parent"


def _parent(task: Task) -> Task:
    parent = Task.objects.get(pk=task.parent_id)
    parent.project = task.project
    return parent


def _render_after_write(request: HttpRequest, org, task: Task) -> HttpResponse:
    if _from_checklist(request, task):
        return _render_panel(request, org, _parent(task), with_card=True)
    return _render_panel(request, org, task, with_card=True)


@login_required
@require_POST
def subtask_create(request: HttpRequest, slug: str, ref: str) -> HttpResponse:
    """Add a subtask from the checklist's box; the panel comes back with the box ready again."""
    org, parent = _task(request, slug, ref)
    title = request.POST.get("title", "")
    try:
        services.create_subtask(actor=request.user, parent=parent, title=title)
    except ValidationError as error:
        errors = {"subtask": error.messages}
        return _render_panel(
            request, org, parent, status=422, errors=errors, typed={"subtask": title}
        )
    return _render_panel(request, org, parent, with_card=True, adding_subtask=True)


@login_required
@require_POST
def subtask_move(request: HttpRequest, slug: str, ref: str) -> HttpResponse:
    """One drag in a checklist: the subtask's new neighbours. The page has moved it already."""
    _org, subtask = _task(request, slug, ref)
    try:
        services.move_subtask(
            actor=request.user,
            subtask=subtask,
            after_id=_int_or_none(request.POST.get("after")),
            before_id=_int_or_none(request.POST.get("before")),
        )
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=400)
    return HttpResponse(status=204)


@login_required
@require_POST
def subtask_promote(request: HttpRequest, slug: str, ref: str) -> HttpResponse:
    """Make a subtask a card: the parent's panel comes back, and the new card joins its list."""
    org, subtask = _task(request, slug, ref)
    try:
        parent = _parent(subtask) if subtask.parent_id else None
        services.promote_subtask(actor=request.user, subtask=subtask)
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=400)
    promoted = queries.card_for(subtask, subtask.project)
    extra = {"promoted": promoted, **_counts(subtask.project, [subtask.list_id])}
    return _render_panel(request, org, parent, with_card=True, extra=extra)


# ---------------------------------------------------------------- comments


def _mention_people(people) -> str:
    """The people the @ autocomplete offers, as JSON for the comment box."""
    return json.dumps(
        [
            {"name": p.name, "initials": initials_of(p.name, p.email), "color": p.avatar_color}
            for p in people
            if p.name
        ],
        ensure_ascii=False,
    )


@login_required
@require_POST
def comment_create(request: HttpRequest, slug: str, ref: str) -> HttpResponse:
    org, task = _task(request, slug, ref)
    body = request.POST.get("body", "")
    try:
        services.add_comment(actor=request.user, task=task, body=body)
    except ValidationError as error:
        errors, typed = {"comment": error.messages}, {"comment": body}
        return _render_panel(request, org, task, status=422, errors=errors, typed=typed)
    return _render_panel(request, org, task)


@login_required
@require_POST
def comment_update(request: HttpRequest, slug: str, ref: str, comment_id: int) -> HttpResponse:
    comment = get_comment_for_user_or_404(request.user, slug, ref, comment_id)
    org, task, body = comment.task.project.organization, comment.task, request.POST.get("body", "")
    try:
        services.edit_comment(actor=request.user, comment=comment, body=body)
    except ValidationError as error:
        errors = {"comment_edit": error.messages}
        typed = {"comment_edit_id": comment.pk, "comment_edit": body}
        return _render_panel(request, org, task, status=422, errors=errors, typed=typed)
    return _render_panel(request, org, task)


@login_required
@require_POST
def comment_delete(request: HttpRequest, slug: str, ref: str, comment_id: int) -> HttpResponse:
    comment = get_comment_for_user_or_404(request.user, slug, ref, comment_id)
    services.delete_comment(actor=request.user, comment=comment)
    return _render_panel(request, comment.task.project.organization, comment.task)
