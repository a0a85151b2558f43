"""Managing a project's tags: rename, recolour, delete, merge, and add a ready-made set.

A card's tag picker still creates tags on the fly (`create_tag`, for members); everything here is
for project admins (the organization's owners and admins are admins of every project), from the
Tags section of the project's settings. A change indexes the cards that carry the tag again (search
finds a card by its tags) and tells open boards ("tags.changed") so their cards show it.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from baton.accounts.models import User
from baton.core.validation import palette_color, required_text
from baton.projects.models import Project, ProjectRole, Tag, Task
from baton.projects.permissions import require_project_role
from baton.projects.services import indexing
from baton.projects.services.base import publish, record

TAG_NAME_MAX: int = Tag._meta.get_field("name").max_length or 0

# The after-sales types of the seed (售后处理): the demo's board and any new after-sales project.
AFTER_SALES_TAGS = [
    ("换货", "blue"),
    ("退款", "red"),
    ("未收到货", "orange"),
    ("商品质量问题", "purple"),
    ("七天无理由退换货", "green"),
    ("收到商品不符", "teal"),
    ("未发货", "yellow"),
]
TAG_SETS = {"after_sales": AFTER_SALES_TAGS}


def clean_tag_name(project: Project, name, *, exclude_pk: int | None = None) -> str:
    """A tag name as stored: trimmed, 1 to TAG_NAME_MAX characters, no NUL (PostgreSQL cannot
    store it), not the name of another tag of the project (whatever its letter case)."""
    if "\x00" in str(name or ""):
        raise ValidationError({"name": _("A name cannot contain NUL characters.")})
    name = required_text(name, field="name", max_length=TAG_NAME_MAX)
    clash = Tag.objects.filter(project=project, name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError(
            {"name": _("This project already has a tag named %(name)s.") % {"name": name}}
        )
    return name


def _tagged_task_ids(tag: Tag) -> list[int]:
    links = Task.tags.through.objects.filter(tag_id=tag.pk)
    return list(links.values_list("task_id", flat=True))


def _collect(errors: dict, changes: dict, prop: str, clean, *args, **kwargs) -> None:
    try:
        changes[prop] = clean(*args, **kwargs)
    except ValidationError as error:
        errors.update(error.message_dict)


def update_tag(*, actor: User, tag: Tag, name: str | None = None, color: str | None = None) -> Tag:
    """Rename or recolour a tag; every card that carries it shows the change."""
    project = tag.project
    require_project_role(actor, project, ProjectRole.ADMIN)
    errors: dict[str, list[str]] = {}
    changes: dict[str, Any] = {}
    if name is not None:
        _collect(errors, changes, "name", clean_tag_name, project, name, exclude_pk=tag.pk)
    if color is not None:
        _collect(errors, changes, "color", palette_color, color)
    if errors:
        raise ValidationError(errors)  # both fields' messages at once
    diff = [
        {"field": prop, "old": getattr(tag, prop), "new": value}
        for prop, value in changes.items()
        if getattr(tag, prop) != value
    ]
    if not diff:
        return tag
    with transaction.atomic():
        for change in diff:
            setattr(tag, change["field"], change["new"])
        tag.save(update_fields=[change["field"] for change in diff])
        if any(change["field"] == "name" for change in diff):
            indexing.index_tasks_by_id(project, _tagged_task_ids(tag))
        record(actor, "tag.updated", tag, project, {"name": tag.name, "changes": diff})
        publish(project, "tags.changed", tag_id=tag.pk, actor=actor)
    return tag


def delete_tag(*, actor: User, tag: Tag) -> int:
    """Delete a tag and take it off every card; returns how many cards carried it."""
    project = tag.project
    require_project_role(actor, project, ProjectRole.ADMIN)
    with transaction.atomic():
        task_ids = _tagged_task_ids(tag)
        record(
            actor,
            "tag.deleted",
            tag,
            project,
            {"name": tag.name, "color": tag.color, "cards": len(task_ids)},
        )
        tag.delete()
        indexing.index_tasks_by_id(project, task_ids)
        publish(project, "tags.changed", actor=actor)
    return len(task_ids)


def merge_tags(*, actor: User, source: Tag, target: Tag) -> Tag:
    """Put `target` on every card that carries `source` (once: a card with both keeps one), then
    delete `source`. Returns `target`."""
    project = source.project
    require_project_role(actor, project, ProjectRole.ADMIN)
    if target.project_id != source.project_id:
        raise ValidationError({"target": _("Choose a tag of this project.")})
    if target.pk == source.pk:
        raise ValidationError({"target": _("Choose another tag to merge into.")})
    links = Task.tags.through.objects
    with transaction.atomic():
        task_ids = _tagged_task_ids(source)
        has_target = set(
            links.filter(tag_id=target.pk, task_id__in=task_ids).values_list("task_id", flat=True)
        )
        links.bulk_create(
            [links.model(task_id=pk, tag_id=target.pk) for pk in task_ids if pk not in has_target],
            batch_size=500,
        )
        record(
            actor,
            "tag.merged",
            target,
            project,
            {"name": source.name, "into": target.name, "cards": len(task_ids)},
        )
        source.delete()
        indexing.index_tasks_by_id(project, task_ids)
        publish(project, "tags.changed", tag_id=target.pk, actor=actor)
    return target


def add_tag_set(*, actor: User, project: Project, tag_set: str = "after_sales") -> list[Tag]:
    """Add the tags of a ready-made set that the project lacks (by name); returns those added."""
    require_project_role(actor, project, ProjectRole.ADMIN)
    if tag_set not in TAG_SETS:
        raise ValidationError({"tag_set": _("Unknown set of tags.")})
    with transaction.atomic():
        existing = {name.casefold() for name in project.tags.values_list("name", flat=True)}
        missing = [(n, c) for n, c in TAG_SETS[tag_set] if n.casefold() not in existing]
        if not missing:
            return []
        added = Tag.objects.bulk_create(
            Tag(project=project, name=name, color=color) for name, color in missing
        )
        names = [tag.name for tag in added]
        record(actor, "tag.set_added", project, project, {"set": tag_set, "names": names})
        publish(project, "tags.changed", actor=actor)
    return added
