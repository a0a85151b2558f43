"""What the search index holds of cards and comments.

Each write calls these inside its transaction, so the index rolls back with the data. A task's
entry holds its title, its description and its custom text fields; a comment's entry its body
under the reference of its task (so a hit on either opens the task) and no title: a comment
must not rank as if it matched its task's title.
"""

from collections.abc import Iterable

from baton.projects.models import Comment, CustomField, FieldKind, Task
from baton.search import services as search

TEXT_KINDS = (FieldKind.TEXT, FieldKind.URL)


def _text_field_ids(project_id: int) -> list[str]:
    ids = CustomField.objects.filter(project_id=project_id, kind__in=TEXT_KINDS)
    return [str(pk) for pk in ids.values_list("pk", flat=True)]


def task_entry(task: Task, text_field_ids: Iterable[str] = ()) -> dict:
    values = task.custom_values or {}
    texts = [str(values[key]) for key in text_field_ids if values.get(key)]
    return {
        "kind": "task",
        "object_id": task.pk,
        "organization_id": task.project.organization_id,
        "project_id": task.project_id,
        "reference": task.reference,
        "title": task.title,
        "body": "\n".join([task.description, *texts]),
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


def index_task(task: Task) -> None:
    field_ids = _text_field_ids(task.project_id) if task.custom_values else ()
    search.index_entries([task_entry(task, field_ids)])


def index_tasks(tasks: list[Task], *, with_comments: bool = False) -> None:
    """Index several tasks of one project (after a move or copy changed their references)."""
    if not tasks:
        return
    field_ids = _text_field_ids(tasks[0].project_id)
    rows = [task_entry(task, field_ids) for task in tasks]
    if with_comments:
        by_id = {task.pk: task for task in tasks}
        comments = Comment.objects.filter(task__in=tasks)
        rows += [comment_entry(comment, by_id[comment.task_id]) for comment in comments]
    search.index_entries(rows)


def index_comment(comment: Comment) -> None:
    search.index_entries([comment_entry(comment, comment.task)])


def unindex_comment(comment: Comment) -> None:
    search.remove_entry(kind="comment", object_id=comment.pk)


def unindex_tasks(task_ids: list[int]) -> None:
    """Take tasks (and their subtasks and comments, given by the caller's ids) out of the index."""
    comment_ids = Comment.objects.filter(task_id__in=task_ids).values_list("pk", flat=True)
    search.remove_entries(kind="comment", object_ids=list(comment_ids))
    search.remove_entries(kind="task", object_ids=task_ids)
