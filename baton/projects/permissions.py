"""Access to projects and tasks. One helper per object type.

An outsider (not in the organization, or not allowed to see the project) gets 404; someone who may
see the project but lacks the role for a write gets 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404

from baton.orgs.models import MANAGER_ROLES, Membership, Organization, Role
from baton.projects.models import ROLE_RANK, Project, ProjectMember, ProjectRole, Task, Visibility


def project_role(user, project: Project) -> str | None:
    """The user's role in the project, or None when they may not see it (cached per project)."""
    cache = project.__dict__.setdefault("_role_cache", {})
    if user.pk not in cache:
        cache[user.pk] = _compute_role(user, project)
    return cache[user.pk]


def _compute_role(user, project: Project) -> str | None:
    if not user.is_authenticated:
        return None
    org = project.organization
    membership = getattr(org, "membership", None)
    if membership is None or membership.user_id != user.pk:
        membership = Membership.objects.filter(
            organization_id=project.organization_id, user=user
        ).first()
    if membership is None:
        return None
    if membership.role in MANAGER_ROLES:
        return ProjectRole.ADMIN
    if getattr(project, "_viewer_id", None) == user.pk:  # fetched with the project (see below)
        member_role = project._viewer_member_role
    else:
        member_role = (
            ProjectMember.objects.filter(project=project, user=user)
            .values_list("role", flat=True)
            .first()
        )
    if member_role:
        return member_role
    if project.visibility == Visibility.ORGANIZATION and membership.role != Role.GUEST:
        return ProjectRole.VIEWER
    return None


def require_project_role(user, project: Project, role: str = ProjectRole.MEMBER) -> str:
    """Raise 404 for outsiders and 403 when the user's role is below `role`."""
    actual = project_role(user, project)
    if actual is None:
        raise Http404
    if ROLE_RANK[actual] < ROLE_RANK[role]:
        raise PermissionDenied
    return actual


def _with_member_role(queryset, user, project_field: str):
    """Fetch the user's project role in the same query, sparing the access check a query."""
    role = ProjectMember.objects.filter(project=OuterRef(project_field), user_id=user.pk)
    return queryset.annotate(_viewer_member_role=Subquery(role.values("role")[:1]))


def get_project_for_user_or_404(user, organization: Organization, key: str) -> Project:
    projects = Project.objects.filter(organization=organization, key=key.upper())
    project = _with_member_role(projects, user, "pk").first()
    if project is None:
        raise Http404
    project._viewer_id = user.pk
    project.organization = organization  # keep the membership already attached to it
    require_project_role(user, project, ProjectRole.VIEWER)
    return project


def get_task_for_user_or_404(user, organization: Organization, reference: str) -> Task:
    """A task by its reference (SH-42) inside the organization."""
    key, _sep, number = reference.upper().rpartition("-")
    if not key or not number.isdigit():
        raise Http404
    tasks = Task.objects.select_related("project", "list", "assignee").filter(
        project__organization=organization, project__key=key, number=int(number)
    )
    task = _with_member_role(tasks, user, "project_id").first()
    if task is None:
        raise Http404
    task.project._viewer_id = user.pk
    task.project._viewer_member_role = task._viewer_member_role
    task.project.organization = organization
    require_project_role(user, task.project, ProjectRole.VIEWER)
    return task


def can_edit(user, project: Project) -> bool:
    role = project_role(user, project)
    return role is not None and ROLE_RANK[role] >= ROLE_RANK[ProjectRole.MEMBER]


def can_admin(user, project: Project) -> bool:
    return project_role(user, project) == ProjectRole.ADMIN


def visible_projects(user, organization: Organization):
    """The organization's projects this user may open (the sidebar and the project list)."""
    membership = getattr(organization, "membership", None)
    if membership is None:
        membership = Membership.objects.filter(organization=organization, user=user).first()
    projects = Project.objects.filter(organization=organization)
    if membership is None:
        return projects.none()
    if membership.role in MANAGER_ROLES:
        return projects
    mine = Q(memberships__user=user)
    if membership.role == Role.GUEST:
        return projects.filter(mine).distinct()
    return projects.filter(mine | Q(visibility=Visibility.ORGANIZATION)).distinct()
