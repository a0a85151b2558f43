"""Writes to tasks and subtasks: create, edit, move, complete, archive, delete, follow."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, FloatField, Max, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from baton.accounts.models import User
from baton.core.errors import ConflictError
from baton.core.positions import GAP, position_between, renumbered
from baton.core.validation import parse_id, parse_ids, required_text
from baton.files.models import Attachment
from baton.files.services import remove_files_on_commit
from baton.files.storage import stored_names
from baton.projects.models import (
    TITLE_MAX_LENGTH,
    Priority,
    Project,
    ProjectRole,
    Tag,
    Task,
    TaskList,
)
from baton.projects.permissions import project_role, require_project_role
from baton.projects.services import fields as fields_services
from baton.projects.services import indexing
from baton.projects.services.base import publish, record

# ---------------------------------------------------------------- tasks


def allocate_task_number(project: Project) -> int:
    """The next number of the project. Call inside the creating transaction.

    One `UPDATE … RETURNING` (SQLite ≥ 3.35 and PostgreSQL both have it): the update takes the
    row lock (PostgreSQL) or the write lock (SQLite, IMMEDIATE) until commit, so concurrent
    creators queue here and each gets its own increment. Numbers are never reused: the counter
    only grows, whatever happens to the tasks.
    """
    table = connection.ops.quote_name(Project._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET task_counter = task_counter + 1 WHERE id = %s "
            "RETURNING task_counter",
            [project.pk],
        )
        (number,) = cursor.fetchone()
    project.task_counter = number
    return number


def list_of_project(project: Project, list_id) -> TaskList:
    try:
        return TaskList.objects.get(
            pk=parse_id(list_id) or 0, project=project, archived_at__isnull=True
        )
    except TaskList.DoesNotExist:
        raise ValidationError({"list": _("That list is not on this board.")}) from None


def create_task(
    *,
    actor: User,
    project: Project,
    task_list: TaskList | int,
    title: str,
    custom_values: dict | None = None,
    **fields,
) -> Task:
    """Add a card at the bottom of a list. Extra fields are those update_task accepts.

    `custom_values` ({field id: raw value}, see services.set_custom_values) must fill every
    required custom field of the project; the title's and the fields' problems are raised
    together, each under its own key (title, cf_<field id>).
    """
    require_project_role(actor, project, ProjectRole.MEMBER)
    errors: dict[str, list[str]] = {}
    try:
        title = required_text(title, field="title", max_length=TITLE_MAX_LENGTH)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        values = fields_services.values_for_new_task(project, custom_values)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    if (
        not isinstance(task_list, TaskList)
        or task_list.project_id != project.pk
        or task_list.archived_at
    ):
        task_list = list_of_project(project, getattr(task_list, "pk", task_list))
    cleaned = _clean_task_fields(project, fields)
    if values:
        cleaned["custom_values"] = values
    # Built before the transaction: SQLite lets one writer in at a time, and whatever Python runs
    # between BEGIN and COMMIT keeps every other writer waiting (the INSERT evaluates it).
    placement = {
        "list": task_list,
        "position": below_last_card(task_list),
        "completed_at": timezone.now() if task_list.is_done else None,
    }
    with transaction.atomic():
        task = _insert_task(actor, project, title, cleaned, **placement)
        record(
            actor,
            "task.created",
            task,
            project,
            {
                "title": title,
                "number": task.number,
                "list": task_list.name,
                "assignee": task.assignee_id,
            },
        )
        publish(project, "task.created", task_id=task.pk, list_id=task_list.pk, actor=actor)
    task.project = project
    task.list = task_list
    return task


def _insert_task(actor, project: Project, title: str, cleaned: dict, **placement) -> Task:
    """Number and save a new task with its validated fields (in the caller's transaction)."""
    many = {k: cleaned.pop(k) for k in ("tags", "participants") if k in cleaned}
    task = Task(
        project=project,
        number=allocate_task_number(project),
        title=title,
        created_by=actor,
        **placement,
        **cleaned,
    )
    task.save()
    for field, values in many.items():
        getattr(task, field).set(values)
    indexing.index_task(task, tags=many.get("tags", ()))
    return task


def below_last_card(task_list: TaskList):
    """The position under the list's last card as an expression: the INSERT computes it and
    save() reads it back through RETURNING, one query less per quick-add. Written as SQL: the
    same subquery built by the ORM cost 0.25 ms of Python a quick-add, most of it in the
    transaction."""
    meta, quote = Task._meta, connection.ops.quote_name
    columns = {field.name: field.column for field in meta.concrete_fields if field.column}
    column = {name: quote(columns[name]) for name in ("position", "list", "parent")}
    return RawSQL(
        f"SELECT COALESCE(MAX({column['position']}), 0) + %s FROM {quote(meta.db_table)} "
        f"WHERE {column['list']} = %s AND {column['parent']} IS NULL",
        (GAP, task_list.pk),
        output_field=FloatField(),
    )


def _clean_task_fields(project: Project, fields: dict[str, Any]) -> dict[str, Any]:
    """Validate editable task fields; returns model-ready values. Unknown names are an error."""
    cleaned: dict[str, Any] = {}
    for name, value in fields.items():
        match name:
            case "title":
                cleaned[name] = required_text(value, field="title", max_length=TITLE_MAX_LENGTH)
            case "description":
                value = value or ""
                if len(value) > 100_000:
                    raise ValidationError(
                        {"description": _("At most %(n)d characters.") % {"n": 100_000}}
                    )
                cleaned[name] = value
            case "priority":
                try:
                    value = int(value or 0)
                except (TypeError, ValueError):
                    value = -1
                if value not in Priority.values:
                    raise ValidationError({"priority": _("Unknown priority.")})
                cleaned[name] = value
            case "start_date" | "due_date":
                cleaned[name] = _date(value, field=name)
            case "assignee":
                cleaned[name] = _project_user(project, value, field="assignee")
            case "participants":
                cleaned[name] = [
                    _project_user(project, v, field="participants") for v in value or []
                ]
            case "tags":
                ids = set(parse_ids(value or []))
                tags = list(Tag.objects.filter(project=project, pk__in=ids))
                if len(tags) != len({str(v) for v in value or []}):
                    raise ValidationError({"tags": _("Unknown tag.")})
                cleaned[name] = tags
            case _:
                raise ValidationError({name: _("This field cannot be changed here.")})
    start, due = cleaned.get("start_date"), cleaned.get("due_date")
    if start and due and start > due:
        raise ValidationError({"due_date": _("The due date is before the start date.")})
    return cleaned


def _date(value, *, field: str):
    import datetime

    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({field: _("Enter a date like 2026-11-11.")}) from None


def _project_user(project: Project, value, *, field: str):
    """A user who may see the project, by id; None for empty."""
    if value in (None, ""):
        return None
    user = value if hasattr(value, "pk") else None
    if user is None:
        try:
            user = get_user_model().objects.get(pk=parse_id(value) or 0)
        except get_user_model().DoesNotExist:
            raise ValidationError({field: _("Unknown person.")}) from None
    if project_role(user, project) is None:
        raise ValidationError({field: _("%(name)s cannot see this project.") % {"name": user.name}})
    return user


TEXT_FIELDS = {"title", "description"}


def _display(field: str, value) -> Any:
    """What the history shows for a value: names rather than ids."""
    if value is None:
        return None
    if field == "assignee":
        return value.name
    if field in {"participants", "tags"}:
        return sorted(v.name for v in value)
    if field in {"start_date", "due_date"}:
        return value.isoformat()
    return value


def update_task(*, actor: User, task: Task, version: int | None = None, **fields) -> Task:
    """Change some fields of a task in one write (one Activity row listing every change).

    Title and description are text someone typed: when `version` is given and the task has moved
    on since, ConflictError is raised and nothing is written. Other fields are single choices,
    applied on top of whatever is there (as Trello and Worktile do).
    """
    project = task.project
    require_project_role(actor, project, ProjectRole.MEMBER)
    cleaned = _clean_task_fields(project, fields)
    start = cleaned.get("start_date", task.start_date)
    due = cleaned.get("due_date", task.due_date)
    if start and due and start > due:
        raise ValidationError({"due_date": _("The due date is before the start date.")})
    with transaction.atomic():
        current = Task.objects.select_for_update().get(pk=task.pk)
        if version is not None and current.version != version and TEXT_FIELDS & cleaned.keys():
            raise ConflictError(
                current, _("Someone else changed this task while you were editing it.")
            )
        diff = _apply_changes(task, current, cleaned)
        if not diff:
            return task
        task.version = current.version + 1
        task.save(
            update_fields=[
                *(k for k in cleaned if k not in ("tags", "participants")),
                "version",
                "updated_at",
            ]
        )
        if (TEXT_FIELDS | {"tags"}) & cleaned.keys():  # the entry holds the tags too
            indexing.index_task(task)
        record(actor, "task.updated", task, project, {"changes": diff})
        publish(project, "task.updated", task_id=task.pk, list_id=task.list_id, actor=actor)
    return task


def _apply_changes(task: Task, current: Task, cleaned: dict[str, Any]) -> list[dict[str, Any]]:
    diff = []
    for field, value in cleaned.items():
        if field in ("tags", "participants"):
            old = list(getattr(current, field).all())
            if {o.pk for o in old} != {v.pk for v in value}:
                getattr(task, field).set(value)
                diff.append(
                    {"field": field, "old": _display(field, old), "new": _display(field, value)}
                )
            continue
        old = getattr(current, field)
        if old != value:
            setattr(task, field, value)
            diff.append(
                {"field": field, "old": _display(field, old), "new": _display(field, value)}
            )
    return diff


def set_task_done(*, actor: User, task: Task, done: bool) -> Task:
    project = task.project
    require_project_role(actor, project, ProjectRole.MEMBER)
    if task.is_done == done:
        return task
    with transaction.atomic():
        task.completed_at = timezone.now() if done else None
        Task.objects.filter(pk=task.pk).update(
            completed_at=task.completed_at, version=F("version") + 1
        )
        task.version += 1
        record(actor, "task.completed" if done else "task.reopened", task, project)
        _refresh_progress(task.parent_id)
        publish(project, "task.updated", task_id=task.pk, list_id=task.list_id, actor=actor)
    return task


def move_task(
    *,
    actor: User,
    task: Task,
    to_list: TaskList | int,
    after_id: int | None = None,
    before_id: int | None = None,
) -> Task:
    """Move a card into `to_list` between its new neighbours (`after_id` above, `before_id` below).

    Moving into a done list completes the card; moving out of one reopens it.
    """
    project = task.project
    require_project_role(actor, project, ProjectRole.MEMBER)
    if task.parent_id:
        raise ValidationError({"list": _("A subtask moves with its card; make it a card first.")})
    if not isinstance(to_list, TaskList) or to_list.project_id != project.pk or to_list.archived_at:
        to_list = list_of_project(project, getattr(to_list, "pk", to_list))
    with transaction.atomic():
        position = _position_in(to_list, task, after_id=after_id, before_id=before_id)
        from_list = task.list
        data: dict[str, Any] = {}
        if from_list.pk != to_list.pk:
            data = {"field": "list", "old": from_list.name, "new": to_list.name}
            if to_list.is_done and not task.completed_at:
                task.completed_at = timezone.now()
            elif from_list.is_done and not to_list.is_done:
                task.completed_at = None
        task.list = to_list
        task.position = position
        task.version += 1
        Task.objects.filter(pk=task.pk).update(
            list=to_list,
            position=position,
            completed_at=task.completed_at,
            version=F("version") + 1,
        )
        record(actor, "task.moved", task, project, data)
        publish(
            project,
            "task.moved",
            task_id=task.pk,
            list_id=to_list.pk,
            from_list_id=from_list.pk,
            actor=actor,
        )
    return task


def _position_in(task_list: TaskList, task: Task, *, after_id, before_id) -> float:
    """The position for the card `task` right after the card `after_id` (or, without it, right
    before the card `before_id`; with neither, at the end of the list).

    The other neighbour is looked up rather than trusted: a board that shows only the first cards of
    a long list knows the card above a drop, not always the one below it.
    """
    others = Task.objects.filter(list=task_list, archived_at__isnull=True, parent__isnull=True)
    return _position_among(others.exclude(pk=task.pk), after_id=after_id, before_id=before_id)


def _position_among(others, *, after_id, before_id) -> float:
    """The position right after `after_id` (or right before `before_id`, or at the end) among
    `others`, renumbering them first when the neighbours are too close to split."""
    anchor_id = after_id or before_id
    if anchor_id is None:
        last = others.aggregate(m=Max("position"))["m"]
        return (last or 0) + GAP
    after = bool(after_id)
    anchor, neighbour = _anchor_and_neighbour(others, anchor_id, after=after)
    position = position_between(anchor, neighbour) if after else position_between(neighbour, anchor)
    if position is None:
        items = renumbered(list(others.order_by("position", "id")))
        Task.objects.bulk_update(items, ["position"])
        index = next(i for i, item in enumerate(items) if item.pk == anchor_id)
        side = index + 1 if after else index - 1
        neighbour = items[side].position if 0 <= side < len(items) else None
        anchor = items[index].position
        position = (
            position_between(anchor, neighbour) if after else position_between(neighbour, anchor)
        )
    assert position is not None  # renumbered neighbours are GAP apart
    return position


def _anchor_and_neighbour(others, anchor_id: int, *, after: bool) -> tuple[float, float | None]:
    """The anchor card's position and its neighbour's on the dropped side, in one query.

    Equal positions (which a renumbering clears) are reported as no room at all.
    """
    anchor_position = Subquery(others.filter(pk=anchor_id).values("position")[:1])
    if after:
        side = others.filter(position__gte=anchor_position).order_by("position", "id")
    else:
        side = others.filter(position__lte=anchor_position).order_by("-position", "-id")
    rows = list(side.values_list("pk", "position")[:3])
    ids = [pk for pk, _position in rows]
    if anchor_id not in ids:
        if not rows:
            raise ValidationError({"position": _("The neighbouring card is not in that list.")})
        return rows[0][1], rows[0][1]  # cards tied with the anchor: renumber
    index = ids.index(anchor_id)
    anchor = rows[index][1]
    if index + 1 < len(rows):
        return anchor, rows[index + 1][1]
    if len(rows) == 3:  # the anchor came last because of ties: renumber
        return anchor, anchor
    return anchor, None


def set_task_archived(*, actor: User, task: Task, archived: bool) -> Task:
    project = task.project
    require_project_role(actor, project, ProjectRole.MEMBER, shaping=True)
    if bool(task.archived_at) == archived:
        return task
    with transaction.atomic():
        task.archived_at = timezone.now() if archived else None
        task.version += 1
        Task.objects.filter(pk=task.pk).update(
            archived_at=task.archived_at, version=F("version") + 1
        )
        record(actor, "task.archived" if archived else "task.restored", task, project)
        _refresh_progress(task.parent_id)
        publish(
            project,
            "task.archived" if archived else "task.restored",
            task_id=task.pk,
            list_id=task.list_id,
            actor=actor,
        )
    return task


def delete_task(*, actor: User, task: Task) -> None:
    """Delete a card for good. Its number is not reused (the project's counter never goes back)."""
    project = task.project
    require_project_role(actor, project, ProjectRole.MEMBER, shaping=True)
    # The attachments (of the card, its comments and its subtasks) cascade away with the rows;
    # their stored files are removed once that commits.
    files = stored_names(Attachment.objects.filter(Q(task=task) | Q(task__parent=task)))
    with transaction.atomic():
        record(
            actor,
            "task.deleted",
            task,
            project,
            {"title": task.title, "reference": f"{project.key}-{task.number}"},
        )
        publish(project, "task.deleted", task_id=task.pk, list_id=task.list_id, actor=actor)
        indexing.unindex_tasks([task.pk, *task.subtasks.values_list("pk", flat=True)])
        task.delete()
        _refresh_progress(task.parent_id)
        remove_files_on_commit(files)


def set_following(*, actor: User, task: Task, following: bool) -> Task:
    """Follow a task (become one of its participants) or stop following it. Anyone who may see
    the task may follow it, viewers included: it only decides whom its news reaches."""
    project = task.project
    require_project_role(actor, project, ProjectRole.VIEWER)
    if task.participants.filter(pk=actor.pk).exists() == following:
        return task
    with transaction.atomic():
        if following:
            task.participants.add(actor)
        else:
            task.participants.remove(actor)
        record(actor, "task.followed" if following else "task.unfollowed", task, project)
    return task


# ---------------------------------------------------------------- subtasks


def create_subtask(*, actor: User, parent: Task, title: str, **fields) -> Task:
    """Add a subtask at the end of a card's checklist: a real task with its own number, one level
    down (a subtask has no subtasks). Extra fields are those update_task accepts."""
    project = parent.project
    require_project_role(actor, project, ProjectRole.MEMBER)
    if parent.parent_id:
        raise ValidationError({"parent": _("A subtask cannot have subtasks of its own.")})
    title = required_text(title, field="title", max_length=TITLE_MAX_LENGTH)
    cleaned = _clean_task_fields(project, fields)
    with transaction.atomic():
        last = parent.subtasks.aggregate(m=Max("position"))["m"]
        placement = {"list_id": parent.list_id, "parent": parent, "position": (last or 0) + GAP}
        subtask = _insert_task(actor, project, title, cleaned, **placement)
        record(
            actor,
            "task.subtask_added",
            parent,
            project,
            {"title": title, "reference": subtask.reference},
        )
        _refresh_progress(parent.pk)
        publish(project, "task.updated", task_id=parent.pk, list_id=parent.list_id, actor=actor)
    return subtask


def move_subtask(
    *, actor, subtask: Task, after_id: int | None = None, before_id: int | None = None
) -> Task:
    """Reorder a subtask in its card's checklist, between its new neighbours."""
    project = subtask.project
    require_project_role(actor, project, ProjectRole.MEMBER)
    if not subtask.parent_id:
        raise ValidationError({"parent": _("Only a subtask can be reordered in a checklist.")})
    siblings = Task.objects.filter(parent_id=subtask.parent_id).exclude(pk=subtask.pk)
    with transaction.atomic():
        subtask.position = _position_among(siblings, after_id=after_id, before_id=before_id)
        subtask.version += 1
        Task.objects.filter(pk=subtask.pk).update(
            position=subtask.position, version=F("version") + 1
        )
        record(actor, "task.reordered", subtask, project)
        publish(
            project,
            "task.updated",
            task_id=subtask.parent_id,
            list_id=subtask.list_id,
            actor=actor,
        )
    return subtask


def promote_subtask(*, actor: User, subtask: Task) -> Task:
    """Turn a subtask into a card of its own, at the bottom of its former parent's list. It keeps
    its number, owner, dates and history."""
    project = subtask.project
    require_project_role(actor, project, ProjectRole.MEMBER)
    parent = subtask.parent
    if parent is None:
        raise ValidationError({"parent": _("This task is already a card.")})
    with transaction.atomic():
        subtask.parent = None
        subtask.list_id = parent.list_id
        subtask.position = below_last_card(parent.list)
        subtask.version += 1
        subtask.save(update_fields=["parent", "list", "position", "version", "updated_at"])
        record(actor, "task.promoted", subtask, project, {"parent": parent.reference})
        _refresh_progress(parent.pk)
        publish(project, "task.created", task_id=subtask.pk, list_id=subtask.list_id, actor=actor)
    return subtask


def _refresh_progress(parent_id: int | None) -> None:
    """Recount a card's checklist progress from its subtasks (one UPDATE; never drifts)."""
    if parent_id is None:
        return
    open_subtasks = Task.objects.filter(parent_id=OuterRef("pk"), archived_at__isnull=True)
    count = open_subtasks.order_by().values("parent_id").annotate(n=Count("pk")).values("n")
    done = count.filter(completed_at__isnull=False)
    Task.objects.filter(pk=parent_id).update(
        subtasks_total=Coalesce(Subquery(count), 0),
        subtasks_done=Coalesce(Subquery(done), 0),
    )
