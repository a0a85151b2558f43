"""Changing many cards at once: the board's and the list view's selection.

Each card changes through the same service a single edit uses, so each gets its own Activity
row and live event, and one bad card (say, a due date before its start) stops the whole batch:
everything or nothing.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from baton.accounts.models import User
from baton.core.validation import parse_id, parse_ids
from baton.projects.models import Project, ProjectRole, Task
from baton.projects.permissions import require_project_role
from baton.projects.services.tasks import (
    list_of_project,
    move_task,
    set_task_archived,
    set_task_done,
    update_task,
)

BULK_ACTIONS = ("move", "assign", "tag", "due", "archive", "done")
MAX_SELECTED = 500


def bulk_update_tasks(*, actor: User, project: Project, task_ids, action: str, value=None) -> int:
    """Apply one action to the selected cards of `project`; returns how many were selected.

    Actions: move (value: a list id; the cards keep their order at the bottom of that list),
    assign (a user id, or "" for nobody), tag (a tag id, added), due (a date, or "" to clear),
    archive, done.
    """
    require_project_role(actor, project, ProjectRole.MEMBER, shaping=action == "archive")
    if action not in BULK_ACTIONS:
        raise ValidationError({"action": _("Unknown action.")})
    tasks = _selected(project, task_ids)
    with transaction.atomic():
        if action == "move":
            to_list = list_of_project(project, value)
            after_id = None
            for task in tasks:
                move_task(actor=actor, task=task, to_list=to_list, after_id=after_id)
                after_id = task.pk
        for task in tasks:
            match action:
                case "assign":
                    update_task(actor=actor, task=task, assignee=value or None)
                case "tag":
                    _add_tag(actor, task, value)
                case "due":
                    update_task(actor=actor, task=task, due_date=value or None)
                case "archive":
                    set_task_archived(actor=actor, task=task, archived=True)
                case "done":
                    set_task_done(actor=actor, task=task, done=True)
    return len(tasks)


def _selected(project: Project, task_ids) -> list[Task]:
    ids = set(parse_ids(task_ids or []))
    if len(ids) != len({str(pk) for pk in task_ids or []}):  # one was not an id at all
        raise ValidationError({"tasks": _("Invalid selection.")})
    if not ids:
        raise ValidationError({"tasks": _("Select at least one card.")})
    if len(ids) > MAX_SELECTED:
        raise ValidationError(
            {"tasks": _("Select at most %(n)d cards at a time.") % {"n": MAX_SELECTED}}
        )
    tasks = list(
        Task.objects.filter(project=project, pk__in=ids, parent=None)
        .select_related("project__organization", "list")
        .order_by("list__position", "position", "pk")
    )
    if len(tasks) != len(ids):
        raise ValidationError({"tasks": _("Some selected cards are not on this board.")})
    return tasks


def _add_tag(actor, task: Task, tag_id) -> None:
    current = [tag.pk for tag in task.tags.all()]
    tag_id = parse_id(tag_id)
    if tag_id is None:
        raise ValidationError({"tags": _("Unknown tag.")})
    if tag_id not in current:
        update_task(actor=actor, task=task, tags=[*current, tag_id])
