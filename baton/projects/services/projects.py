"""Writes to projects, their members, lists and tags."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baton.accounts.models import User
from baton.core.positions import GAP, renumbered
from baton.core.validation import MAX_INT, palette_color, required_text
from baton.orgs.models import Membership, Organization
from baton.orgs.permissions import require_org_member
from baton.projects.models import (
    KEY_VALIDATOR,
    Project,
    ProjectMember,
    ProjectRole,
    Tag,
    TaskList,
    Visibility,
)
from baton.projects.permissions import require_project_role
from baton.projects.services.base import publish, record
from baton.projects.services.tags import TAG_SETS, add_tag_set, clean_tag_name

# ---------------------------------------------------------------- projects

# Lazy: named in the language of whoever creates the project, not of the process at import time.
DEFAULT_LISTS = [gettext_lazy("To do"), gettext_lazy("In progress"), gettext_lazy("Done")]


def create_project(
    *,
    actor: User,
    organization: Organization,
    name: str,
    key: str,
    description: str = "",
    color: str = "blue",
    visibility: str = Visibility.MEMBERS,
    lists: list[str] | None = None,
    tag_set: str | None = None,
) -> Project:
    """Create a project with the actor as admin and, unless told otherwise, three starter lists;
    `tag_set` ("after_sales") starts it with a ready-made set of tags (services.TAG_SETS)."""
    membership = require_org_member(actor, organization)
    if membership.role == "guest":
        raise PermissionDenied
    name = required_text(name, field="name", max_length=80)
    key = _clean_key(organization, key)
    if visibility not in Visibility.values:
        raise ValidationError({"visibility": _("Unknown visibility.")})
    if len(description or "") > 5000:
        raise ValidationError({"description": _("At most %(n)d characters.") % {"n": 5000}})
    if tag_set is not None and tag_set not in TAG_SETS:
        raise ValidationError({"tag_set": _("Unknown set of tags.")})
    with transaction.atomic():
        project = Project.objects.create(
            organization=organization,
            name=name,
            key=key,
            description=description or "",
            color=palette_color(color),
            visibility=visibility,
            created_by=actor,
        )
        ProjectMember.objects.create(project=project, user=actor, role=ProjectRole.ADMIN)
        names = [str(n) for n in DEFAULT_LISTS] if lists is None else lists
        TaskList.objects.bulk_create(
            TaskList(
                project=project, name=n, position=(i + 1) * GAP, is_done=(lists is None and i == 2)
            )
            for i, n in enumerate(names)
        )
        record(actor, "project.created", project, project, {"name": name, "key": key})
        if tag_set:
            add_tag_set(actor=actor, project=project, tag_set=tag_set)
    return project


def _clean_key(organization: Organization, key: str, *, exclude_pk: int | None = None) -> str:
    key = (key or "").strip().upper()
    try:
        KEY_VALIDATOR(key)
    except ValidationError as error:
        raise ValidationError({"key": error.messages}) from None
    clash = Project.objects.filter(organization=organization, key=key)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError(
            {"key": _("Another project already uses the key %(key)s.") % {"key": key}}
        )
    return key


def update_project(*, actor: User, project: Project, **changes) -> Project:
    """Rename, describe, recolour or change the visibility of a project (admins only).

    The key is fixed once tasks exist, because task references (SH-12) are shared in chats and docs.
    """
    require_project_role(actor, project, ProjectRole.ADMIN)
    cleaned: dict[str, Any] = {}
    if "name" in changes:
        cleaned["name"] = required_text(changes["name"], field="name", max_length=80)
    if "description" in changes:
        description = changes["description"] or ""
        if len(description) > 5000:
            raise ValidationError({"description": _("At most %(n)d characters.") % {"n": 5000}})
        cleaned["description"] = description
    if "color" in changes:
        cleaned["color"] = palette_color(changes["color"])
    if "visibility" in changes:
        if changes["visibility"] not in Visibility.values:
            raise ValidationError({"visibility": _("Unknown visibility.")})
        cleaned["visibility"] = changes["visibility"]
    if "key" in changes and (changes["key"] or "").strip().upper() != project.key:
        if project.task_counter:
            raise ValidationError({"key": _("The key cannot change once the project has tasks.")})
        cleaned["key"] = _clean_key(project.organization, changes["key"], exclude_pk=project.pk)
    diff = [
        {"field": field, "old": getattr(project, field), "new": value}
        for field, value in cleaned.items()
        if getattr(project, field) != value
    ]
    if not diff:
        return project
    with transaction.atomic():
        for field, value in cleaned.items():
            setattr(project, field, value)
        project.save(update_fields=list(cleaned))
        record(actor, "project.updated", project, project, {"changes": diff})
        publish(project, "project.updated", actor=actor)
    return project


def set_project_archived(*, actor: User, project: Project, archived: bool) -> Project:
    require_project_role(actor, project, ProjectRole.ADMIN)
    if bool(project.archived_at) == archived:
        return project
    with transaction.atomic():
        project.archived_at = timezone.now() if archived else None
        project.save(update_fields=["archived_at"])
        record(actor, "project.archived" if archived else "project.restored", project, project)
    return project


def add_project_member(
    *, actor, project: Project, user, role: str = ProjectRole.MEMBER
) -> ProjectMember:
    """Add someone from the organization (from any team) to the project."""
    require_project_role(actor, project, ProjectRole.ADMIN)
    if role not in ProjectRole.values:
        raise ValidationError({"role": _("Unknown role.")})
    if not Membership.objects.filter(organization_id=project.organization_id, user=user).exists():
        raise ValidationError(
            {"user": _("Only members of the organization can join its projects.")}
        )
    with transaction.atomic():
        member, created = ProjectMember.objects.get_or_create(
            project=project, user=user, defaults={"role": role}
        )
        if not created and member.role != role:
            member.role = role
            member.save(update_fields=["role"])
        record(actor, "project.member_added", project, project, {"user": user.name, "role": role})
    return member


def change_project_member_role(*, actor: User, member: ProjectMember, role: str) -> ProjectMember:
    project = member.project
    require_project_role(actor, project, ProjectRole.ADMIN)
    if role not in ProjectRole.values:
        raise ValidationError({"role": _("Unknown role.")})
    with transaction.atomic():
        _guard_last_admin(member, new_role=role)
        old = member.role
        member.role = role
        member.save(update_fields=["role"])
        record(
            actor,
            "project.member_role_changed",
            project,
            project,
            {"user": member.user.name, "old": old, "new": role},
        )
    return member


def remove_project_member(*, actor: User, member: ProjectMember) -> None:
    project = member.project
    if member.user_id != actor.pk:
        require_project_role(actor, project, ProjectRole.ADMIN)
    with transaction.atomic():
        _guard_last_admin(member, new_role=None)
        record(actor, "project.member_removed", project, project, {"user": member.user.name})
        member.delete()


def _guard_last_admin(member: ProjectMember, *, new_role: str | None) -> None:
    if member.role != ProjectRole.ADMIN or new_role == ProjectRole.ADMIN:
        return
    admins = ProjectMember.objects.filter(
        project_id=member.project_id, role=ProjectRole.ADMIN
    ).count()
    if admins <= 1:
        raise ValidationError(_("A project keeps at least one admin."))


# ---------------------------------------------------------------- lists


def create_list(*, actor: User, project: Project, name: str, is_done: bool = False) -> TaskList:
    require_project_role(actor, project, ProjectRole.MEMBER, shaping=True)
    name = required_text(name, field="name", max_length=60)
    with transaction.atomic():
        last = TaskList.objects.filter(project=project).aggregate(m=Max("position"))["m"]
        task_list = TaskList.objects.create(
            project=project, name=name, is_done=is_done, position=(last or 0) + GAP
        )
        record(actor, "list.created", task_list, project, {"name": name})
        publish(project, "list.created", list_id=task_list.pk, actor=actor)
    return task_list


def update_list(
    *,
    actor: User,
    task_list: TaskList,
    name: str | None = None,
    is_done: bool | None = None,
    wip_limit: int | str | None = "",
) -> TaskList:
    """Rename a list, mark it as the done list, or set its WIP limit ("" leaves the limit alone)."""
    project = task_list.project
    require_project_role(actor, project, ProjectRole.MEMBER, shaping=True)
    diff: list[dict[str, Any]] = []
    if name is not None:
        name = required_text(name, field="name", max_length=60)
        if name != task_list.name:
            diff.append({"field": "name", "old": task_list.name, "new": name})
            task_list.name = name
    if is_done is not None and is_done != task_list.is_done:
        diff.append({"field": "is_done", "old": task_list.is_done, "new": is_done})
        task_list.is_done = is_done
    if wip_limit != "":
        if wip_limit is not None and (
            not isinstance(wip_limit, int) or not 1 <= wip_limit <= MAX_INT
        ):
            raise ValidationError({"wip_limit": _("A WIP limit is a whole number above zero.")})
        if wip_limit != task_list.wip_limit:
            diff.append({"field": "wip_limit", "old": task_list.wip_limit, "new": wip_limit})
            task_list.wip_limit = wip_limit
    if not diff:
        return task_list
    with transaction.atomic():
        task_list.save(update_fields=["name", "is_done", "wip_limit"])
        record(actor, "list.updated", task_list, project, {"changes": diff})
        publish(project, "list.updated", list_id=task_list.pk, actor=actor)
    return task_list


def move_list(*, actor: User, task_list: TaskList, after_id: int | None = None) -> TaskList:
    """Put the list right after the list `after_id` (None: first)."""
    project = task_list.project
    require_project_role(actor, project, ProjectRole.MEMBER, shaping=True)
    with transaction.atomic():
        siblings = list(
            TaskList.objects.filter(project=project, archived_at__isnull=True)
            .exclude(pk=task_list.pk)
            .order_by("position", "id")
        )
        index = 0
        if after_id is not None:
            ids = [s.pk for s in siblings]
            if after_id not in ids:
                raise ValidationError({"after": _("That list is not on this board.")})
            index = ids.index(after_id) + 1
        siblings.insert(index, task_list)
        TaskList.objects.bulk_update(renumbered(siblings), ["position"])
        record(actor, "list.moved", task_list, project, {"index": index})
        publish(project, "list.moved", list_id=task_list.pk, actor=actor)
    return task_list


def set_list_archived(*, actor: User, task_list: TaskList, archived: bool) -> TaskList:
    project = task_list.project
    require_project_role(actor, project, ProjectRole.MEMBER, shaping=True)
    if bool(task_list.archived_at) == archived:
        return task_list
    with transaction.atomic():
        task_list.archived_at = timezone.now() if archived else None
        task_list.save(update_fields=["archived_at"])
        record(
            actor,
            "list.archived" if archived else "list.restored",
            task_list,
            project,
            {"name": task_list.name},
        )
        publish(
            project,
            "list.archived" if archived else "list.restored",
            list_id=task_list.pk,
            actor=actor,
        )
    return task_list


# ---------------------------------------------------------------- tags


def create_tag(*, actor: User, project: Project, name: str, color: str = "blue") -> Tag:
    require_project_role(actor, project, ProjectRole.MEMBER, shaping=True)
    name = clean_tag_name(project, name)
    with transaction.atomic():
        tag = Tag.objects.create(project=project, name=name, color=palette_color(color))
        record(actor, "tag.created", tag, project, {"name": name, "color": tag.color})
    return tag
