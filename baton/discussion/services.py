"""Writes to comments on tasks, events and documents. Who may write, moderate and resolve is the
owner's rule, and what a comment means to it (its Activity row, live event, search entry) its
own too (files/owners.py): this module does what is the same everywhere.

A comment needs text or at least one file; its files are checked and stored before the
transaction and removed again if it fails. People the owner's rules name are kept as mentions
when written as @name. Only the author edits a comment, and the edit is marked.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from baton.accounts.models import User
from baton.core.validation import required_text
from baton.discussion.models import COMMENT_MAX_LENGTH, Comment
from baton.files import services as file_services
from baton.files import storage
from baton.files.owners import rules_of


def add_comment(*, actor: User, owner: Any, body: str, files: Iterable = ()) -> Comment:
    """Comment on an owner (on the thread it belongs to: an event's series). `files` are
    attached to the comment in the same write (one Activity row names them)."""
    rules = rules_of(owner)
    rules.require_writer(actor, owner)
    thread = rules.thread(owner)
    uploads = [upload for upload in files if upload is not None]
    checked = file_services.check_uploads(uploads) if uploads else []
    body = (body or "").strip()
    if body or not checked:
        body = required_text(body, field="body", max_length=COMMENT_MAX_LENGTH)
    stored = file_services.store_uploads(checked, owner=thread, actor=actor) if checked else []
    try:
        with transaction.atomic():
            comment = Comment.objects.create(
                organization_id=rules.organization_id(thread),
                owner_type=ContentType.objects.get_for_model(thread),
                owner_id=thread.pk,
                author=actor,
                body=body,
            )
            comment.mentions.set(people_named(rules.people(thread), body))
            _after(actor, thread, comment, "commented")
            data: dict[str, Any] = {"comment": comment.pk}
            if stored:
                file_services.insert_attachments(stored, comment=comment)
                data["names"] = [attachment.name for attachment in stored]
            rules.changed(actor, thread, "commented", data)
    except BaseException:
        file_services.discard_files(stored)
        raise
    return comment


def edit_comment(*, actor: User, comment: Comment, body: str) -> Comment:
    """Only the author edits a comment; the edit is marked and the mentions read again."""
    owner = comment.owner
    rules = rules_of(owner)
    rules.require_writer(actor, owner)
    if comment.author_id != actor.pk:
        raise PermissionDenied
    body = required_text(body, field="body", max_length=COMMENT_MAX_LENGTH)
    if body == comment.body:
        return comment
    with transaction.atomic():
        comment.body, comment.edited_at = body, timezone.now()
        comment.save(update_fields=["body", "edited_at"])
        comment.mentions.set(people_named(rules.people(owner), body))
        _after(actor, owner, comment, "comment_edited")
        rules.changed(actor, owner, "comment_edited", {"comment": comment.pk})
    return comment


def delete_comment(*, actor: User, comment: Comment) -> None:
    """The author deletes their comment (and its files); a moderator may remove anyone's."""
    owner = comment.owner
    rules = rules_of(owner)
    role = rules.require_writer(actor, owner)
    if comment.author_id != actor.pk and not rules.may_moderate(actor, owner, role):
        raise PermissionDenied
    names = storage.stored_names(comment.attachments.all())  # the rows cascade with the comment
    with transaction.atomic():
        rules.changed(actor, owner, "comment_deleted", {"comment": comment.pk})
        _after(actor, owner, comment, "comment_deleted")
        comment.delete()
        file_services.remove_files_on_commit(names)


def resolve_comment(*, actor: User, comment: Comment, resolved: bool = True) -> Comment:
    """Mark a comment resolved (or open it again), where the owner's comments are resolved;
    doing what is already done changes nothing."""
    owner = comment.owner
    rules = rules_of(owner)
    role = rules.require_writer(actor, owner)
    if rules.may_resolve is None or not rules.may_resolve(actor, owner, comment, role):
        raise PermissionDenied
    if resolved == (comment.resolved_at is not None):
        return comment
    with transaction.atomic():
        comment.resolved_at = timezone.now() if resolved else None
        comment.resolved_by = actor if resolved else None
        comment.save(update_fields=["resolved_at", "resolved_by"])
        change = "comment_resolved" if resolved else "comment_reopened"
        rules.changed(actor, owner, change, {"comment": comment.pk})
    return comment


def _after(actor, owner: Any, comment: Comment, change: str) -> None:
    on_comment = rules_of(owner).on_comment
    if on_comment is not None:
        on_comment(actor, owner, comment, change)


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
