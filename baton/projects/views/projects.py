"""Project pages: create, board, settings, members; lists and tags."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from baton.accounts.requests import AuthenticatedRequest
from baton.core.forms import add_service_errors, errors_by_field
from baton.orgs.models import Membership
from baton.orgs.permissions import get_org_for_user_or_404
from baton.projects import queries, services
from baton.projects.forms import (
    ArchiveForm,
    CardPageForm,
    ListArchiveForm,
    ListCreateForm,
    ListUpdateForm,
    NewProjectForm,
    ProjectForm,
    ProjectMembersForm,
)
from baton.projects.models import ProjectMember, ProjectRole, TaskList
from baton.projects.permissions import (
    can_admin,
    can_edit,
    can_shape,
    require_project_role,
)
from baton.projects.views import listing, tags
from baton.projects.views.base import (
    board_urls,
    cleaned,
    list_or_404,
    page_context,
    placed,
    project_or_404,
)

# ---------------------------------------------------------------- projects


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    org = get_org_for_user_or_404(request.user, slug)
    form = NewProjectForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        tag_set = "after_sales" if fields.pop("after_sales_tags", False) else None
        try:
            project = services.create_project(
                actor=request.user, organization=org, tag_set=tag_set, **fields
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("projects:board", org.slug, project.key)
    status = 422 if form.errors else 200
    context = page_context(request, org, form=form, after_sales_tags=services.AFTER_SALES_TAGS)
    return render(request, "projects/project_form.html", context, status=status)


@login_required
@require_GET
def board(request: AuthenticatedRequest, slug: str, key: str) -> HttpResponse:
    """The board, filtered by the query string's filters (see filters.py)."""
    org, project = project_or_404(request, slug, key)
    bar = listing.filter_bar(request, org, project, layout="board")
    context = page_context(
        request,
        org,
        project=project,
        lists=queries.board(project, card_filter=bar["filter"]),
        can_edit=can_edit(request.user, project),
        can_shape=can_shape(request.user, project),
        **bar,
        **board_urls(org, project),
    )
    return listing.render_view(request, "projects/board.html", context)


@login_required
@require_GET
def list_cards(request: AuthenticatedRequest, slug: str, key: str, list_id: int) -> HttpResponse:
    """The next page of a long list (loaded as the user scrolls); `shown`, the cards already on
    screen, sets its size (queries.next_page_size)."""
    org, project, task_list = list_or_404(request, slug, key, list_id)
    form = CardPageForm(request.GET)
    if not form.is_valid():
        return HttpResponse(_("Invalid page."), status=400)
    after_position, after_id, shown = (
        form.cleaned_data[name] for name in ("after_position", "after_id", "shown")
    )
    card_filter = listing.filter_bar(request, org, project, layout="board")["filter"]
    page_size = queries.next_page_size(shown)
    cards = queries.more_cards(
        task_list,
        after_position=after_position,
        after_id=after_id,
        page_size=page_size,
        card_filter=card_filter,
    )
    # more_cards() returns one card beyond the page when another page follows.
    has_more = len(cards) > page_size
    cards = cards[:page_size]
    context = {
        "org": org,
        "project": project,
        "task_list": task_list,
        "cards": cards,
        "has_more": has_more,
        "shown": shown + len(cards),
        "can_edit": can_edit(request.user, project),
        "filter_query": card_filter.query(),
        **board_urls(org, project),
    }
    return render(request, "projects/board.html#card-page", context)


@login_required
@require_http_methods(["GET", "POST"])
def project_settings(request: AuthenticatedRequest, slug: str, key: str) -> HttpResponse:
    org, project = project_or_404(request, slug, key)
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
    context = page_context(
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
    context.update(tags.section_context(request, project))
    return render(request, "projects/settings.html", context, status=status)


@login_required
@require_POST
def project_members(request: AuthenticatedRequest, slug: str, key: str) -> HttpResponse:
    """Add a member, change a member's role or remove a member (admins; anyone may leave)."""
    org, project = project_or_404(request, slug, key)
    form = ProjectMembersForm(request.POST)
    try:
        data = cleaned(form)
        action = data["action"]
        if action == "add":
            user = get_user_model().objects.filter(pk=data["user"]).first()
            if user is None:
                raise ValidationError(_("Choose someone to add."))
            services.add_project_member(
                actor=request.user, project=project, user=user, role=data["role"]
            )
        elif action in ("role", "remove"):
            member = (
                ProjectMember.objects.filter(project=project, pk=data["member"])
                .select_related("user", "project")
                .first()
            )
            if member is None:
                raise Http404
            member.project = project
            if action == "role":
                services.change_project_member_role(
                    actor=request.user, member=member, role=data["role"]
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
def project_archive(request: AuthenticatedRequest, slug: str, key: str) -> HttpResponse:
    org, project = project_or_404(request, slug, key)
    archived = cleaned(ArchiveForm(request.POST))["archived"]
    services.set_project_archived(actor=request.user, project=project, archived=archived)
    messages.success(request, _("Project archived.") if archived else _("Project restored."))
    if archived:
        return redirect("orgs:home", org.slug)
    return redirect("projects:board", org.slug, project.key)


# ---------------------------------------------------------------- lists


@login_required
@require_POST
def list_create(request: AuthenticatedRequest, slug: str, key: str) -> HttpResponse:
    org, project = project_or_404(request, slug, key)
    name = cleaned(ListCreateForm(request.POST))["name"]
    try:
        task_list = services.create_list(actor=request.user, project=project, name=name)
    except ValidationError as error:
        if not request.htmx:
            messages.error(request, " ".join(error.messages))
            return redirect("projects:board", org.slug, project.key)
        context = {
            "org": org,
            "project": project,
            "errors": errors_by_field(error),
            "name": name,
            "can_edit": True,
            "can_shape": True,
        }
        response = render(request, "projects/board.html#add-list", context, status=422)
        # The form, not the end of the lists.
        return reswap(retarget(response, "#add-list"), "outerHTML")
    if not request.htmx:
        return redirect("projects:board", org.slug, project.key)
    task_list.cards, task_list.card_count, task_list.has_more = [], 0, False
    context = {
        "org": org,
        "project": project,
        "task_list": task_list,
        "can_edit": True,
        "can_shape": True,
        **board_urls(org, project),
    }
    return render(request, "projects/board.html#list-column", context)


@login_required
@require_POST
def list_update(request: AuthenticatedRequest, slug: str, key: str, list_id: int) -> HttpResponse:
    org, project, task_list = list_or_404(request, slug, key, list_id)
    form = ListUpdateForm(request.POST)
    status, errors = 200, {}
    try:
        cleaned(form)
        services.update_list(actor=request.user, task_list=task_list, **form.changes())
    except ValidationError as error:
        task_list.refresh_from_db()
        status, errors = 422, errors_by_field(error)
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
        "can_shape": True,
        "errors": errors,
        **board_urls(org, project),
    }
    return render(request, "projects/board.html#list-header", context, status=status)


@login_required
@require_POST
def list_move(request: AuthenticatedRequest, slug: str, key: str, list_id: int) -> HttpResponse:
    *_, task_list = list_or_404(request, slug, key, list_id)
    return placed(request, services.move_list, sides=("after",), task_list=task_list)


@login_required
@require_POST
def list_archive(request: AuthenticatedRequest, slug: str, key: str, list_id: int) -> HttpResponse:
    org, project, task_list = list_or_404(request, slug, key, list_id)
    archived = cleaned(ListArchiveForm(request.POST))["archived"]
    services.set_list_archived(actor=request.user, task_list=task_list, archived=archived)
    if request.htmx and archived:
        return HttpResponse("")  # the list's column is replaced by nothing
    return redirect("projects:board", org.slug, project.key)
