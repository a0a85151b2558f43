"""What comments and files on a card mean to a project (registered in ProjectsConfig.ready()):
who may write and moderate, the Activity verbs and live events, the card's search entries, and
that commenting follows the card. The writes themselves are baton.discussion.services' and
baton.files.services'; the functions below are the project's doors to them."""

from collections.abc import Iterable

from baton.accounts.models import User
from baton.discussion import services as discussion
from baton.discussion.models import Comment
from baton.files import services as file_services
from baton.files.models import Attachment
from baton.files.owners import Owner
from baton.projects.models import ProjectRole, Task
from baton.projects.permissions import require_project_role
from baton.projects.queries import project_people
from baton.projects.services import indexing
from baton.projects.services.base import publish, record

# Activity verbs of the changes the discussion and files services report.
VERBS = {
    "commented": "comment.added",
    "comment_edited": "comment.edited",
    "comment_deleted": "comment.deleted",
    "attached": "task.attached",
    "attachment_deleted": "task.attachment_deleted",
}


def _require_writer(user, task: Task) -> str:
    return require_project_role(user, task.project, ProjectRole.MEMBER)


def _may_moderate(user, task: Task, role) -> bool:
    return role == ProjectRole.ADMIN


def _changed(actor, task: Task, change: str, data: dict) -> None:
    project = task.project
    if change in ("attached", "attachment_deleted"):
        ids = {key: data.pop(key) for key in ("attachment_ids", "attachment_id") if key in data}
        record(actor, VERBS[change], task, project, data)
        event = f"task.{change}"
        publish(project, event, task_id=task.pk, list_id=task.list_id, actor=actor, **ids)
        return
    record(actor, VERBS[change], task, project, data)
    publish(project, "task.commented", task_id=task.pk, comment_id=data["comment"], actor=actor)


def _on_comment(actor, task: Task, comment: Comment, change: str) -> None:
    if change == "comment_deleted":
        indexing.unindex_comment(comment)
        return
    if change == "commented" and task.assignee_id != actor.pk:
        # Commenting follows the card (Trello's "watch"): its later news reaches you (its
        # owner hears of it anyway).
        Task.participants.through.objects.bulk_create(
            [Task.participants.through(task_id=task.pk, user_id=actor.pk)],
            ignore_conflicts=True,
        )
    indexing.index_comment(comment, task)


TASK_OWNER = Owner(
    require_writer=_require_writer,
    may_moderate=_may_moderate,
    changed=_changed,
    people=lambda task: project_people(task.project),
    organization_id=lambda task: task.project.organization_id,
    on_comment=_on_comment,
)


def add_comment(*, actor: User, task: Task, body: str, files: Iterable = ()) -> Comment:
    """Comment on a card; project people named with @ are kept as mentions."""
    return discussion.add_comment(actor=actor, owner=task, body=body, files=files)


def add_attachments(*, actor: User, task: Task, files: Iterable) -> list[Attachment]:
    """Attach files to a card (members and admins); one Activity row names every file."""
    return file_services.add_attachments(actor=actor, owner=task, files=files)


edit_comment = discussion.edit_comment
delete_comment = discussion.delete_comment
delete_attachment = file_services.delete_attachment
