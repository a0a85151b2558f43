"""Access to projects and tasks. One helper per object type.

An outsider (not in the organization, or not allowed to see the project) gets 404; someone who may
see the project but lacks the role for a write gets 403.

An organization guest stays a guest whatever role a project gives them: their effective role is
capped at member (they work on cards and comment), and they never remove or reshape anything, the
writes marked `shaping` below (archiving or deleting cards, lists and saved views; the board's
lists and tags). Every check goes through project_role(), so every endpoint inherits both rules.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import F, OuterRef, Q, Subquery
from django.http import Http404

from baton.core.prepared import PreparedQuery
from baton.discussion.models import Comment
from baton.discussion.permissions import get_comment_or_404
from baton.orgs.models import MANAGER_ROLES, Membership, Organization, Role
from baton.orgs.permissions import membership_for
from baton.projects.models import (
    ROLE_RANK,
    Project,
    ProjectMember,
    ProjectRole,
    Task,
    TaskList,
    Visibility,
)

# The most an organization guest gets in any project, whatever its member list says.
GUEST_ROLE_CAP = ProjectRole.MEMBER


def project_role(user, project: Project) -> str | None:
    """The user's effective role in the project, or None when they may not see it (cached per
    project)."""
    return _access(user, project)[0]


def is_project_guest(user, project: Project) -> bool:
    """Whether the user sees the project as a guest of its organization."""
    return _access(user, project)[1]


def _access(user, project: Project) -> tuple[str | None, bool]:
    cache = project.__dict__.setdefault("_role_cache", {})
    if user.pk not in cache:
        role, guest = _compute_role(user, project)
        if guest and role is not None and ROLE_RANK[role] > ROLE_RANK[GUEST_ROLE_CAP]:
            role = GUEST_ROLE_CAP
        cache[user.pk] = (role, guest)
    return cache[user.pk]


def _compute_role(user, project: Project) -> tuple[str | None, bool]:
    """The role the memberships give (before the guest cap) and whether the user is a guest."""
    if not user.is_authenticated:
        return None, False
    org = project.organization
    membership = getattr(org, "membership", None)
    if membership is None or membership.user_id != user.pk:
        membership = Membership.objects.filter(
            organization_id=project.organization_id, user=user
        ).first()
    if membership is None:
        return None, False
    guest = membership.role == Role.GUEST
    if membership.role in MANAGER_ROLES:
        return ProjectRole.ADMIN, guest
    if getattr(project, "_viewer_id", None) == user.pk:  # fetched with the project (see below)
        member_role = project._viewer_member_role
    else:
        member_role = (
            ProjectMember.objects.filter(project=project, user=user)
            .values_list("role", flat=True)
            .first()
        )
    if member_role:
        return member_role, guest
    if project.visibility == Visibility.ORGANIZATION and not guest:
        return ProjectRole.VIEWER, guest
    return None, guest


def require_project_role(
    user, project: Project, role: str = ProjectRole.MEMBER, *, shaping: bool = False
) -> str:
    """Raise 404 for outsiders and 403 when the user's effective role is below `role`.

    `shaping`: the write removes something (archives or deletes a card, a list, a saved view) or
    reshapes the project (its lists, its tags): never for an organization guest."""
    actual = project_role(user, project)
    if actual is None:
        raise Http404
    if ROLE_RANK[actual] < ROLE_RANK[role]:
        raise PermissionDenied
    if shaping and is_project_guest(user, project):
        raise PermissionDenied
    return actual


def _with_access(queryset, user_id: int, project_path: str = ""):
    """Filter to the user's organizations and fetch, in the same query, their membership there and
    their project role: one query finds the object and everything its access check needs."""
    org = f"{project_path}__organization" if project_path else "organization"
    member_role = ProjectMember.objects.filter(
        project=OuterRef(project_path or "pk"), user_id=user_id
    ).values("role")[:1]
    return queryset.filter(**{f"{org}__memberships__user_id": user_id}).annotate(
        _membership_id=F(f"{org}__memberships__id"),
        _membership_role=F(f"{org}__memberships__role"),
        _membership_joined_at=F(f"{org}__memberships__joined_at"),
        _member_role=Subquery(member_role),
    )


# The three lookups that open nearly every request, built by the ORM once per process (their
# building cost ~1 ms of Python a request, running them 0.04 ms): see core/prepared.py.
_PROJECT_WITH_ACCESS = PreparedQuery(
    lambda user_id, slug, key: _with_access(
        Project.objects.select_related("organization").filter(organization__slug=slug, key=key),
        user_id,
    ),
    user_id=int,
    slug=str,
    key=str,
)
_LIST_WITH_ACCESS = PreparedQuery(
    lambda user_id, slug, key, list_id: _with_access(
        TaskList.objects.select_related("project__organization").filter(
            pk=list_id, project__organization__slug=slug, project__key=key
        ),
        user_id,
        "project",
    ),
    user_id=int,
    slug=str,
    key=str,
    list_id=int,
)
_TASK_WITH_ACCESS = PreparedQuery(
    lambda user_id, slug, key, number: _with_access(
        Task.objects.select_related("project__organization", "list", "assignee").filter(
            project__organization__slug=slug, project__key=key, number=number
        ),
        user_id,
        "project",
    ),
    user_id=int,
    slug=str,
    key=str,
    number=int,
)


def _checked(user, project: Project, row) -> Project:
    """Attach what _with_access fetched, then apply the viewer check (404 for outsiders)."""
    organization = project.organization
    organization.membership = Membership(
        id=row._membership_id,
        organization=organization,
        user=user,
        role=row._membership_role,
        joined_at=row._membership_joined_at,
    )
    project._viewer_id = user.pk
    project._viewer_member_role = row._member_role
    require_project_role(user, project, ProjectRole.VIEWER)
    return project


def get_project_for_user_or_404(user, slug: str, key: str) -> Project:
    """A project by its organization's slug and its key, with the organization attached."""
    if not user.is_authenticated:
        raise Http404
    project = _PROJECT_WITH_ACCESS.first(user_id=user.pk, slug=slug, key=key.upper())
    if project is None:
        raise Http404
    return _checked(user, project, project)


def get_list_for_user_or_404(user, slug: str, key: str, list_id: int) -> TaskList:
    """A list of a project (archived ones included), with its project and organization."""
    if not user.is_authenticated:
        raise Http404
    task_list = _LIST_WITH_ACCESS.first(
        user_id=user.pk, slug=slug, key=key.upper(), list_id=list_id
    )
    if task_list is None:
        raise Http404
    _checked(user, task_list.project, task_list)
    return task_list


def get_task_for_user_or_404(user, slug: str, reference: str) -> Task:
    """A task by its reference (SH-42) inside the organization of `slug`."""
    key, _sep, number = reference.upper().rpartition("-")
    if not user.is_authenticated or not key or not number.isdigit():
        raise Http404
    task = _TASK_WITH_ACCESS.first(user_id=user.pk, slug=slug, key=key, number=int(number))
    if task is None:
        raise Http404
    _checked(user, task.project, task)
    return task


def get_comment_for_user_or_404(user, slug: str, reference: str, comment_id: int) -> Comment:
    """A comment of a task the user may see, with its task (and the task's project) as owner."""
    task = get_task_for_user_or_404(user, slug, reference)
    comment = get_comment_or_404(task, comment_id)
    comment.owner = task
    return comment


def can_edit(user, project: Project) -> bool:
    role = project_role(user, project)
    return role is not None and ROLE_RANK[role] >= ROLE_RANK[ProjectRole.MEMBER]


def can_admin(user, project: Project) -> bool:
    return project_role(user, project) == ProjectRole.ADMIN


def can_shape(user, project: Project) -> bool:
    """May archive and delete cards, lists and views and change the board's lists and tags."""
    return can_edit(user, project) and not is_project_guest(user, project)


def visible_projects(user, organization: Organization):
    """The organization's projects this user may open (the sidebar and the project list)."""
    membership = membership_for(user, organization)
    projects = Project.objects.filter(organization=organization)
    if membership is None:
        return projects.none()
    if membership.role in MANAGER_ROLES:
        return projects
    mine = Q(memberships__user=user)
    if membership.role == Role.GUEST:
        return projects.filter(mine).distinct()
    return projects.filter(mine | Q(visibility=Visibility.ORGANIZATION)).distinct()


def editable_projects(user, organization: Organization):
    """The organization's open projects where this user may add and change cards (member or
    admin): the places a card can be copied or moved to."""
    membership = membership_for(user, organization)
    projects = Project.objects.filter(organization=organization, archived_at=None)
    if membership is None:
        return projects.none()
    if membership.role in MANAGER_ROLES:
        return projects
    writable = [ProjectRole.ADMIN, ProjectRole.MEMBER]
    return projects.filter(memberships__user=user, memberships__role__in=writable)


def task_edit_rights(user, organization: Organization) -> dict[int | None, bool]:
    """Which projects' cards the person may change (one query): {project id: bool}, and under
    None the answer for every project (organization owners and admins). For pages that show
    cards of many projects, such as the calendar."""
    if organization.membership.role in MANAGER_ROLES:
        return {None: True}
    member = ROLE_RANK[ProjectRole.MEMBER]
    roles = ProjectMember.objects.filter(user=user, project__organization=organization).values_list(
        "project_id", "role"
    )
    return {project_id: ROLE_RANK[role] >= member for project_id, role in roles}


def may_listen_to_project(user, project_id: int) -> bool:
    """Live events of a project's board and lists: for those who may see the project."""
    project = Project.objects.select_related("organization").filter(pk=project_id).first()
    return project is not None and project_role(user, project) is not None


def may_listen_to_task(user, task_id: int) -> bool:
    """Live events of one card (its panel, its presence): for those who may see its project."""
    task = Task.objects.select_related("project__organization").filter(pk=task_id).first()
    return task is not None and project_role(user, task.project) is not None
