"""Writes to comments."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from baton.core.validation import required_text
from baton.projects.files import stored_names
from baton.projects.models import (
    COMMENT_MAX_LENGTH,
    Comment,
    Project,
    ProjectRole,
    Task,
)
from baton.projects.permissions import require_project_role
from baton.projects.queries import project_people
from baton.projects.services import attachments, indexing
from baton.projects.services.base import publish, record

# ---------------------------------------------------------------- comments


def add_comment(*, actor, task: Task, body: str, files: Iterable = ()) -> Comment:
    """Comment on a task. People of the project named with @ are stored as mentions.

    `files` are attached to the comment in the same write (one Activity row names them); a
    comment needs text or at least one file. The files are checked before anything is written.
    """
    project = task.project
    require_project_role(actor, project, ProjectRole.MEMBER)
    files = [upload for upload in files if upload is not None]
    uploads = attachments.check_uploads(files) if files else []
    body = (body or "").strip()
    if body or not uploads:
        body = required_text(body, field="body", max_length=COMMENT_MAX_LENGTH)
    stored = attachments.store_files(actor=actor, task=task, uploads=uploads)
    try:
        with transaction.atomic():
            comment = Comment.objects.create(task=task, author=actor, body=body)
            comment.mentions.set(mentioned_people(project, body))
            # Commenting follows the card (Trello's "watch"): its later news reaches you (its
            # owner hears of it anyway).
            if task.assignee_id != actor.pk:
                Task.participants.through.objects.bulk_create(
                    [Task.participants.through(task_id=task.pk, user_id=actor.pk)],
                    ignore_conflicts=True,
                )
            indexing.index_comment(comment)
            data: dict[str, Any] = {"comment": comment.pk}
            if stored:
                attachments.insert_attachments(stored, comment=comment)
                data["names"] = [attachment.name for attachment in stored]
            record(actor, "comment.added", task, project, data)
            publish(project, "task.commented", task_id=task.pk, comment_id=comment.pk, actor=actor)
    except BaseException:
        attachments.discard_files(stored)
        raise
    return comment


def edit_comment(*, actor, comment: Comment, body: str) -> Comment:
    """Only the author edits a comment; the edit is marked and the mentions re-read."""
    task = comment.task
    require_project_role(actor, task.project, ProjectRole.MEMBER)
    if comment.author_id != actor.pk:
        raise PermissionDenied
    body = required_text(body, field="body", max_length=COMMENT_MAX_LENGTH)
    if body == comment.body:
        return comment
    with transaction.atomic():
        comment.body, comment.edited_at = body, timezone.now()
        comment.save(update_fields=["body", "edited_at"])
        comment.mentions.set(mentioned_people(task.project, body))
        indexing.index_comment(comment)
        record(actor, "comment.edited", task, task.project, {"comment": comment.pk})
        publish(task.project, "task.commented", task_id=task.pk, comment_id=comment.pk, actor=actor)
    return comment


def delete_comment(*, actor, comment: Comment) -> None:
    """The author deletes their comment; a project admin may remove anyone's."""
    task = comment.task
    role = require_project_role(actor, task.project, ProjectRole.MEMBER)
    if comment.author_id != actor.pk and role != ProjectRole.ADMIN:
        raise PermissionDenied
    files = stored_names(comment.attachments.all())  # the rows cascade away with the comment
    with transaction.atomic():
        record(actor, "comment.deleted", task, task.project, {"comment": comment.pk})
        publish(task.project, "task.commented", task_id=task.pk, comment_id=comment.pk, actor=actor)
        indexing.unindex_comment(comment)
        comment.delete()
        attachments.remove_files_on_commit(files)


def mentioned_people(project: Project, body: str) -> list:
    """The project's people named in `body` as @name."""
    return people_named(project_people(project), body)


def people_named(people, body: str) -> list:
    """Those of `people` named in `body` as @name (longest names first, so "@王小明" is not
    also read as "@王小")."""
    people = sorted(people, key=lambda person: -len(person.name))
    found, rest = [], body
    for person in people:
        token = f"@{person.name}"
        if person.name and token in rest:
            found.append(person)
            rest = rest.replace(token, " ")
    return found
