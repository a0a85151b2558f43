"""Copying a card, and moving a card to another project.

A copy is a new card (its own number) with the original's text, dates, priority, owner, tags,
custom values and checklist; comments, attachments and history stay with the original. A move
to another project keeps the card itself — its comments, attachments and history — and gives it
(and its subtasks) new numbers in the target project, as Worktile and Jira do. What the target
project cannot hold is left behind: people who cannot see it, custom fields it does not have
(matched by name and type). Tags are matched by name and created there when missing.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baton.accounts.models import User
from baton.core.positions import GAP
from baton.core.validation import required_text
from baton.projects.models import (
    TITLE_MAX_LENGTH,
    CustomField,
    FieldKind,
    Project,
    ProjectRole,
    Tag,
    Task,
    TaskList,
)
from baton.projects.permissions import require_project_role
from baton.projects.queries import project_people
from baton.projects.services import indexing
from baton.projects.services.base import publish, record
from baton.projects.services.tasks import allocate_task_number, below_last_card


def _open_list(task_list: TaskList) -> TaskList:
    if task_list.archived_at or task_list.project.archived_at:
        raise ValidationError({"list": _("That list is archived.")})
    return task_list


class _Destination:
    """What a card needs from its target project, read once per copy or move."""

    def __init__(self, source: Project, target: Project):
        self.same = source.pk == target.pk
        self.people = set(project_people(target).values_list("pk", flat=True))
        self.tags = {tag.name: tag for tag in Tag.objects.filter(project=target)}
        self.target = target
        self.fields = self._field_map(source, target)

    def _field_map(self, source: Project, target: Project) -> dict[str, CustomField]:
        """str(source field id) → the target's field of the same name and kind."""
        fields = CustomField.objects.filter(project=source)
        if self.same:
            return {str(field.pk): field for field in fields}
        theirs = {(f.name, f.kind): f for f in CustomField.objects.filter(project=target)}
        mapping = {}
        for field in fields:
            match = theirs.get((field.name, field.kind))
            # Choices are option ids of the source field; a select keeps them only in place.
            if match and field.kind not in (FieldKind.SELECT, FieldKind.MULTI):
                mapping[str(field.pk)] = match
        return mapping

    def person(self, user_id):
        return user_id if user_id in self.people else None

    def custom_values(self, values: dict) -> dict:
        """The values the target project has fields for (a member field keeps only people who
        can see the target)."""
        kept = {}
        for key, value in (values or {}).items():
            field = self.fields.get(key)
            if field is None or (field.kind == FieldKind.MEMBER and not self.person(value)):
                continue
            kept[str(field.pk)] = value
        return kept

    def tags_for(self, tags: list[Tag]) -> list[Tag]:
        if self.same:
            return tags
        found = []
        for tag in tags:
            if tag.name not in self.tags:
                self.tags[tag.name] = Tag.objects.create(
                    project=self.target, name=tag.name, color=tag.color
                )
            found.append(self.tags[tag.name])
        return found


def _copy_fields(task: Task, destination: _Destination) -> dict:
    return {
        "description": task.description,
        "assignee_id": destination.person(task.assignee_id),
        "start_date": task.start_date,
        "due_date": task.due_date,
        "priority": task.priority,
        "custom_values": destination.custom_values(task.custom_values),
    }


def copy_task(
    *, actor, task: Task, to_list: TaskList, title: str | None = None, with_subtasks: bool = True
) -> Task:
    """A copy of a card at the bottom of `to_list` (any project where the actor is a member)."""
    if task.parent_id:
        raise ValidationError({"list": _("Copy the card this subtask belongs to.")})
    require_project_role(actor, task.project, ProjectRole.MEMBER)
    target = to_list.project
    require_project_role(actor, target, ProjectRole.MEMBER)
    _open_list(to_list)
    title = required_text(
        task.title if title is None else title, field="title", max_length=TITLE_MAX_LENGTH
    )
    with transaction.atomic():
        destination = _Destination(task.project, target)
        done = timezone.now() if to_list.is_done else None
        copy = _new_task(
            actor,
            target,
            task,
            destination,
            title=title,
            completed_at=done,
            list=to_list,
            position=below_last_card(to_list),
        )
        copies = [copy]
        if with_subtasks:
            for subtask in task.subtasks.filter(archived_at=None).order_by("position", "pk"):
                copies.append(
                    _new_task(
                        actor,
                        target,
                        subtask,
                        destination,
                        title=subtask.title,
                        completed_at=subtask.completed_at,
                        list=to_list,
                        parent=copy,
                        position=subtask.position,
                    )
                )
            copy.subtasks_total = len(copies) - 1
            copy.subtasks_done = sum(1 for c in copies[1:] if c.completed_at)
            Task.objects.filter(pk=copy.pk).update(
                subtasks_total=copy.subtasks_total, subtasks_done=copy.subtasks_done
            )
        indexing.index_tasks(copies)
        record(actor, "task.copied", copy, target, {"reference": task.reference})
        publish(target, "task.created", task_id=copy.pk, list_id=to_list.pk, actor=actor)
    return copy


def _new_task(actor, project: Project, original: Task, destination: _Destination, **placement):
    task = Task(
        project=project,
        number=allocate_task_number(project),
        created_by=actor,
        **_copy_fields(original, destination),
        **placement,
    )
    task.save()
    task.tags.set(destination.tags_for(list(original.tags.all())))
    participants = original.participants.values_list("pk", flat=True)
    task.participants.set([pk for pk in participants if destination.person(pk)])
    return task


def move_task_to_project(*, actor: User, task: Task, to_list: TaskList) -> Task:
    """Move a card (with its subtasks, comments, attachments and history) to a list of another
    project; it and its subtasks get the next numbers there."""
    source, target = task.project, to_list.project
    if task.parent_id:
        raise ValidationError({"list": _("A subtask moves with its card; make it a card first.")})
    if source.pk == target.pk:
        raise ValidationError({"list": _("The card is already in this project.")})
    if source.organization_id != target.organization_id:
        raise ValidationError({"list": _("Cards move only within the organization.")})
    require_project_role(actor, source, ProjectRole.MEMBER)
    require_project_role(actor, target, ProjectRole.MEMBER)
    _open_list(to_list)
    old_reference, old_list_id = task.reference, task.list_id
    with transaction.atomic():
        destination = _Destination(source, target)
        moved = [task, *task.subtasks.order_by("position", "pk")]
        cards = Task.objects.filter(list=to_list, parent=None).order_by("-position")
        task.position = (cards.values_list("position", flat=True).first() or 0) + GAP
        for item in moved:
            _rehome(item, target, destination, to_list)
            item.save()
            item.tags.set(destination.tags_for(list(item.tags.all())))
            item.participants.set(
                [
                    pk
                    for pk in item.participants.values_list("pk", flat=True)
                    if destination.person(pk)
                ]
            )
        indexing.index_tasks(moved, with_comments=True)
        record(
            actor,
            "task.moved_project",
            task,
            target,
            {"from": source.name, "to": target.name, "reference": old_reference},
        )
        publish(source, "task.deleted", task_id=task.pk, list_id=old_list_id, actor=actor)
        publish(target, "task.created", task_id=task.pk, list_id=to_list.pk, actor=actor)
    return task


def _rehome(task: Task, target: Project, destination: _Destination, to_list: TaskList) -> None:
    task.project = target
    task.number = allocate_task_number(target)
    task.list = to_list
    task.assignee_id = destination.person(task.assignee_id)
    task.custom_values = destination.custom_values(task.custom_values)
    if to_list.is_done and not task.completed_at and not task.parent_id:
        task.completed_at = timezone.now()
    task.version += 1
