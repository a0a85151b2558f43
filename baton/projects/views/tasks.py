"""The task panel and every write to a task or subtask."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import push_url, reswap, retarget

from baton.accounts.requests import AuthenticatedRequest
from baton.core.colors import PALETTE
from baton.core.forms import errors_by_field
from baton.discussion.queries import mention_people_json
from baton.projects import queries, services
from baton.projects.forms import (
    CardMoveForm,
    QuickAddForm,
    SubtaskCreateForm,
    TagCreateForm,
    TaskArchiveForm,
    TaskDoneForm,
    TaskFollowForm,
    TaskUpdateForm,
    TaskWriteForm,
)
from baton.projects.models import Priority, Task, TaskList
from baton.projects.permissions import (
    can_admin,
    can_edit,
    can_shape,
    get_task_for_user_or_404,
)
from baton.projects.views import listing, tags
from baton.projects.views.base import (
    board_urls,
    cleaned,
    list_or_404,
    page_context,
    placed,
    project_or_404,
    task_or_404,
)

# ---------------------------------------------------------------- tags


@login_required
@require_POST
def tag_create(request: AuthenticatedRequest, slug: str, key: str) -> HttpResponse:
    """Create a tag; from a task panel (`task` given) the new tag is also put on that task."""
    org, project = project_or_404(request, slug, key)
    form = TagCreateForm(request.POST)
    typed = {name: value for name, value in cleaned(form).items() if name != "task"}
    ref = form.cleaned_data["task"]
    task = get_task_for_user_or_404(request.user, slug, ref) if ref else None
    if task is not None and task.project_id != project.pk:
        raise Http404
    try:
        tag = services.create_tag(actor=request.user, project=project, **typed)
        if task is not None:
            tag_ids = [*task.tags.values_list("pk", flat=True), tag.pk]
            services.update_task(actor=request.user, task=task, tags=tag_ids)
    except ValidationError as error:
        if task is None:  # from the Tags section of the settings
            return tags.section(
                request,
                org,
                project,
                status=422,
                tag_errors=errors_by_field(error),
                new_typed=typed,
            )
        return render_panel(request, org, task, errors=errors_by_field(error), status=422)
    if task is None:
        notice = _("Tag %(name)s added.") % {"name": tag.name}
        return tags.section(request, org, project, notice=notice)
    return render_panel(request, org, task, with_card=True)


# ---------------------------------------------------------------- tasks


@login_required
@require_POST
def task_create(request: AuthenticatedRequest, slug: str, key: str, list_id: int) -> HttpResponse:
    """Quick-add at the bottom of a list; answers with the new card (htmx) or the board."""
    org, project, task_list = list_or_404(request, slug, key, list_id)
    form = QuickAddForm(request.POST)
    try:
        data = cleaned(form)
        task = services.create_task(
            actor=request.user,
            project=project,
            task_list=task_list,
            title=data["title"],
            custom_values=data["custom_values"],  # the inputs under the title (cf_<field id>)
        )
    except ValidationError as error:
        if not request.htmx:
            messages.error(request, " ".join(error.messages))
            return redirect("projects:board", org.slug, project.key)
        response = HttpResponse(" ".join(error.messages), status=422)
        return reswap(retarget(response, f"#quick-add-error-{task_list.pk}"), "innerHTML")
    if not request.htmx:
        return redirect("projects:board", org.slug, project.key)
    context = {
        "org": org,
        "project": project,
        "task": queries.card_for(task, project, tags=[]),
        **board_urls(org, project),
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
def task_detail(request: AuthenticatedRequest, slug: str, ref: str) -> HttpResponse:
    """The task as a side panel over the board (htmx) or as a page of its own."""
    org, task = task_or_404(request, slug, ref)
    return render_panel(request, org, task)


def render_panel(
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
    # Opened on the list view, the panel refreshes the card's row rather than a board card.
    row = listing.is_list_panel(request) and with_card
    if listing.is_list_panel(request):
        with_card = False
        extra = {k: v for k, v in (extra or {}).items() if k not in ("promoted", "count_lists")}
    context = {
        "org": org,
        "project": project,
        "task": task,
        "can_edit": editable,
        "can_shape": editable and can_shape(request.user, project),
        "lists": TaskList.objects.filter(project=project, archived_at__isnull=True).order_by(
            "position"
        ),
        "people": people,
        "project_tags": project.tags.all(),
        "timeline": queries.timeline(
            task,
            user_id=request.user.pk if editable else None,
            moderator=editable and can_admin(request.user, project),
        ),
        "mention_people": mention_people_json(people),
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
        **board_urls(org, project),
        "comments_url": f"{board_urls(org, project)['task_prefix']}{task.number}/comments/",
        **(extra or {}),
    }
    if request.htmx:
        response = render(request, "projects/task_detail.html#task-panel", context, status=status)
        if row:
            response.content += listing.row_oob(request, org, task).encode()
        return response
    context.update(page_context(request, org))
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


@login_required
@require_POST
def task_update(request: AuthenticatedRequest, slug: str, ref: str) -> HttpResponse:
    """Save the fields one panel form edits (named in `_fields`); a stale text edit gets 409."""
    org, task = task_or_404(request, slug, ref)
    form = TaskUpdateForm(request.POST)
    form.is_valid()  # a version that does not parse is answered below, with the typed values
    as_row = form.from_row  # an inline edit in the list view
    names = form.cleaned_data["_fields"]
    unknown = set(names) - EDITABLE_FIELDS
    if unknown or not names:
        errors = {"general": [_("Nothing to save.")]}
        if as_row:
            return listing.render_row_response(request, org, task, status=422, errors=errors)
        return render_panel(request, org, task, status=422, errors=errors)
    changes = form.changes()
    try:
        version = cleaned(form)["version"]
        services.update_task(actor=request.user, task=task, version=version, **changes)
    except services.ConflictError as conflict:
        if as_row:
            return listing.render_row_response(
                request, org, task, status=409, conflict=conflict.current.title, typed=changes
            )
        return render_panel(
            request, org, task, status=409, conflict=conflict.current, typed=changes
        )
    except ValidationError as error:
        if as_row:
            return listing.render_row_response(
                request, org, task, status=422, errors=errors_by_field(error), typed=changes
            )
        if _from_checklist(form, task):
            return render_panel(
                request, org, _parent(task), status=422, errors=errors_by_field(error)
            )
        return render_panel(
            request, org, task, status=422, errors=errors_by_field(error), typed=changes
        )
    if as_row:
        return listing.render_row_response(request, org, task)
    return _render_after_write(request, org, task, form)


@login_required
@require_POST
def task_move(request: AuthenticatedRequest, slug: str, ref: str) -> HttpResponse:
    """One drag: the card's new list and neighbours. Answers with the card; the page moves the
    count from one list header to the other itself (board.js)."""
    org, task = task_or_404(request, slug, ref)
    project = task.project
    form = CardMoveForm(request.POST)
    try:
        data = cleaned(form)
        services.move_task(
            actor=request.user,
            task=task,
            to_list=data["list"] or task.list_id,
            after_id=data["after"],
            before_id=data["before"],
        )
    except ValidationError as error:
        if form.from_row:
            return listing.render_row_response(
                request, org, task, status=422, errors=errors_by_field(error)
            )
        return HttpResponse(" ".join(error.messages), status=400)
    if form.from_row:
        return listing.render_row_response(request, org, task)
    if form.cleaned_data["from"] == "panel":
        return render_panel(request, org, task, with_card=True)
    context = {
        "org": org,
        "project": project,
        "task": queries.card_for(task, project),
        **board_urls(org, project),
    }
    return render(request, "projects/board.html#task-card", context)


@login_required
@require_POST
def task_done(request: AuthenticatedRequest, slug: str, ref: str) -> HttpResponse:
    org, task = task_or_404(request, slug, ref)
    form = TaskDoneForm(request.POST)
    services.set_task_done(actor=request.user, task=task, done=cleaned(form)["done"])
    if form.from_row:
        return listing.render_row_response(request, org, task)
    return _render_after_write(request, org, task, form)


@login_required
@require_POST
def task_archive(request: AuthenticatedRequest, slug: str, ref: str) -> HttpResponse:
    org, task = task_or_404(request, slug, ref)
    archived = cleaned(TaskArchiveForm(request.POST))["archived"]
    services.set_task_archived(actor=request.user, task=task, archived=archived)
    return render_panel(request, org, task, with_card=not archived)


@login_required
@require_POST
def task_delete(request: AuthenticatedRequest, slug: str, ref: str) -> HttpResponse:
    org, task = task_or_404(request, slug, ref)
    project = task.project
    task_id, list_id = task.pk, task.list_id
    form = TaskWriteForm(request.POST)
    form.is_valid()
    in_checklist = _from_checklist(form, task) and _parent(task)
    services.delete_task(actor=request.user, task=task)
    if in_checklist:
        return render_panel(request, org, in_checklist, with_card=True)
    board_url = reverse("projects:board", args=[org.slug, project.key])
    if not request.htmx:
        messages.success(request, _("Task deleted."))
        return redirect(board_url)
    if listing.is_list_panel(request):  # the panel over the list view: drop the card's row
        response = HttpResponse('<div id="task-panel"></div>' + listing.row_deleted_oob(task_id))
        return push_url(response, listing.list_return_url(request, org, project))
    context = {"deleted_task_id": task_id, **_counts(project, [list_id])}
    response = render(request, "projects/task_detail.html#task-deleted", context)
    return push_url(response, board_url)


@login_required
@require_POST
def task_follow(request: AuthenticatedRequest, slug: str, ref: str) -> HttpResponse:
    org, task = task_or_404(request, slug, ref)
    following = cleaned(TaskFollowForm(request.POST))["following"]
    services.set_following(actor=request.user, task=task, following=following)
    return render_panel(request, org, task)


# ---------------------------------------------------------------- subtasks


def _from_checklist(form: TaskWriteForm, task: Task) -> bool:
    """Whether the form was a subtask's row in its parent's checklist (answered with that panel)."""
    return bool(task.parent_id) and form.from_checklist


def _parent(task: Task) -> Task:
    parent = Task.objects.get(pk=task.parent_id)
    parent.project = task.project
    return parent


def _render_after_write(request: HttpRequest, org, task: Task, form: TaskWriteForm) -> HttpResponse:
    if _from_checklist(form, task):
        return render_panel(request, org, _parent(task), with_card=True)
    return render_panel(request, org, task, with_card=True)


@login_required
@require_POST
def subtask_create(request: AuthenticatedRequest, slug: str, ref: str) -> HttpResponse:
    """Add a subtask from the checklist's box; the panel comes back with the box ready again."""
    org, parent = task_or_404(request, slug, ref)
    title = cleaned(SubtaskCreateForm(request.POST))["title"]
    try:
        services.create_subtask(actor=request.user, parent=parent, title=title)
    except ValidationError as error:
        errors = {"subtask": error.messages}
        return render_panel(
            request, org, parent, status=422, errors=errors, typed={"subtask": title}
        )
    return render_panel(request, org, parent, with_card=True, adding_subtask=True)


@login_required
@require_POST
def subtask_move(request: AuthenticatedRequest, slug: str, ref: str) -> HttpResponse:
    """One drag in a checklist: the subtask's new neighbours. The page has moved it already."""
    _org, subtask = task_or_404(request, slug, ref)
    return placed(request, services.move_subtask, subtask=subtask)


@login_required
@require_POST
def subtask_promote(request: AuthenticatedRequest, slug: str, ref: str) -> HttpResponse:
    """Make a subtask a card: the parent's panel comes back, and the new card joins its list."""
    org, subtask = task_or_404(request, slug, ref)
    try:
        parent = _parent(subtask) if subtask.parent_id else None
        services.promote_subtask(actor=request.user, subtask=subtask)
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=400)
    promoted = queries.card_for(subtask, subtask.project)
    extra = {"promoted": promoted, **_counts(subtask.project, [subtask.list_id])}
    return render_panel(request, org, parent, with_card=True, extra=extra)
