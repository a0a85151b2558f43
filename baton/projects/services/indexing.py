"""What the search index holds of cards and comments.

Each write calls these inside its transaction, so the index rolls back with the data. A task's
entry holds its title, its description and its custom text fields, and as labels its tags and the
options chosen in its select fields (so ``退款`` finds a card whose only 退款 is its tag, and the
result says so); a comment's entry its body under the reference of its task (so a hit on either
opens the task) and no title: a comment must not rank as if it matched its task's title.

Label names are stored language-free and worded when shown (`queries.match_reasons`): ``tag`` for
a tag, ``field:<field name>`` for a select field's option.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from baton.discussion.models import Comment
from baton.discussion.queries import comments_of_many
from baton.projects.models import CustomField, FieldKind, Tag, Task
from baton.projects.queries import FIELD_LABEL, TAG_LABEL, custom_fields
from baton.search import services as search

TEXT_KINDS = (FieldKind.TEXT, FieldKind.URL)
SELECT_KINDS = (FieldKind.SELECT, FieldKind.MULTI)


@dataclass
class IndexedFields:
    """The custom fields of a project that the index reads: text ones, and select ones."""

    text_ids: list[str] = field(default_factory=list)
    selects: list[CustomField] = field(default_factory=list)


def indexed_fields(project_id: int, known: Iterable[CustomField] | None = None) -> IndexedFields:
    """`known`: all the project's fields when the caller has them, saving a query."""
    fields = IndexedFields()
    kinds = (*TEXT_KINDS, *SELECT_KINDS)
    if known is None:
        known = CustomField.objects.filter(project_id=project_id, kind__in=kinds)
    for custom in (custom for custom in known if custom.kind in kinds):
        if custom.kind in TEXT_KINDS:
            fields.text_ids.append(str(custom.pk))
        else:
            fields.selects.append(custom)
    return fields


def _option_labels(values: dict, selects: Iterable[CustomField]) -> list[tuple[str, str]]:
    labels = []
    for custom in selects:
        chosen = values.get(str(custom.pk))
        if not chosen:
            continue
        chosen = set(chosen) if isinstance(chosen, list) else {chosen}
        names = [o["name"] for o in custom.options or [] if o.get("id") in chosen]
        labels += [(f"{FIELD_LABEL}{custom.name}", name) for name in names]
    return labels


def task_entry(task: Task, fields: IndexedFields | None = None, tag_names=()) -> dict:
    fields = fields or IndexedFields()
    values = task.custom_values or {}
    texts = [str(values[key]) for key in fields.text_ids if values.get(key)]
    labels = [(TAG_LABEL, name) for name in sorted(tag_names)]
    return {
        "kind": "task",
        "object_id": task.pk,
        "organization_id": task.project.organization_id,
        "project_id": task.project_id,
        "reference": task.reference,
        "title": task.title,
        "body": "\n".join([task.description, *texts]),
        "labels": labels + _option_labels(values, fields.selects),
    }


def comment_entry(comment: Comment, task: Task) -> dict:
    return {
        "kind": "comment",
        "object_id": comment.pk,
        "organization_id": task.project.organization_id,
        "project_id": task.project_id,
        "reference": task.reference,
        "title": "",
        "body": comment.body,
    }


def index_task(task: Task, *, tags: Iterable[Tag] | None = None) -> None:
    """`tags`: the task's tags when the caller has them (a new card), saving a query."""
    fields = None
    if task.custom_values:
        # The fields the request read already (a card's values were checked against them): a
        # write keeps its transaction, and SQLite's one writer at a time, a query shorter.
        fields = indexed_fields(task.project_id, known=custom_fields(task.project))
    if tags is None:
        names = list(task.tags.values_list("name", flat=True))
    else:
        names = [tag.name for tag in tags]
    search.index_entries([task_entry(task, fields, names)])


def _tag_names(task_ids: list[int]) -> dict[int, list[str]]:
    links = Task.tags.through.objects.filter(task_id__in=task_ids)
    names = defaultdict(list)
    for task_id, name in links.values_list("task_id", "tag__name"):
        names[task_id].append(name)
    return names


def index_tasks(tasks: list[Task], *, with_comments: bool = False) -> None:
    """Index several tasks of one project (after a move or copy changed their references, or a
    tag or a field changed on many of them)."""
    if not tasks:
        return
    fields = indexed_fields(tasks[0].project_id)
    names = _tag_names([task.pk for task in tasks])
    rows = [task_entry(task, fields, names.get(task.pk, ())) for task in tasks]
    if with_comments:
        by_id = {task.pk: task for task in tasks}
        comments = comments_of_many(Task, list(by_id))
        rows += [comment_entry(comment, by_id[comment.owner_id]) for comment in comments]
    search.index_entries(rows)


def index_tasks_by_id(project, task_ids: Iterable[int]) -> None:
    """Index again the project's tasks of `task_ids` (after a tag or a field option they carry
    was renamed, merged or deleted)."""
    task_ids = sorted(set(task_ids))
    for start in range(0, len(task_ids), search.BATCH):
        tasks = list(
            Task.objects.filter(project=project, pk__in=task_ids[start : start + search.BATCH])
        )
        for task in tasks:
            task.project = project
        index_tasks(tasks)


def index_comment(comment: Comment, task: Task) -> None:
    search.index_entries([comment_entry(comment, task)])


def unindex_comment(comment: Comment) -> None:
    search.remove_entry(kind="comment", object_id=comment.pk)


def unindex_tasks(task_ids: list[int]) -> None:
    """Take tasks (and their subtasks and comments, given by the caller's ids) out of the index."""
    comment_ids = comments_of_many(Task, task_ids).values_list("pk", flat=True)
    search.remove_entries(kind="comment", object_ids=list(comment_ids))
    search.remove_entries(kind="task", object_ids=task_ids)
