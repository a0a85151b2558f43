"""Writes to an event's discussion: comments (Markdown, @mentions, optional files) and files.

Who: people who edit the calendar write (comment, upload); read-only members and invited
participants read (403 on a write), outsiders get 404. Only the author edits a comment; the
author, the calendar's creator or an organization owner/admin deletes one. A file is deleted by
its uploader or any editor of the calendar.

Where: everything is on the series (permissions.discussion_event): a comment made from an edited
occurrence goes to its series. Files are checked and stored before the transaction (the limits,
names and image handling of task attachments, reused from baton.projects) and removed again if
it fails; stored files of deleted rows leave storage after commit.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from baton.calendars.models import (
    CalendarRole,
    Event,
    EventAttachment,
    EventComment,
)
from baton.calendars.permissions import calendar_people, discussion_event, event_role, may_moderate
from baton.calendars.services.calendars import publish, record, required_text
from baton.projects.files import stored_names
from baton.projects.models import COMMENT_MAX_LENGTH
from baton.projects.services.attachments import (
    check_uploads,
    discard_files,
    remove_files_on_commit,
    store_uploads,
)
from baton.projects.services.comments import people_named


def _require_writer(actor, event: Event) -> None:
    """404 for outsiders, 403 for read-only people; an archived calendar takes no new talk."""
    role = event_role(actor, event)
    if role is None:
        raise Http404
    if role != CalendarRole.EDITOR:
        raise PermissionDenied
    if event.calendar.archived_at is not None:
        raise ValidationError({"calendar": _("This calendar is archived.")})


def _changed(actor, series: Event, verb: str, data: dict) -> None:
    organization_id = series.calendar.organization_id
    record(actor, verb, series, organization_id, data)
    publish(series.calendar_id, "event.discussed", actor=actor, event=series.pk)


def _store(actor, series: Event, files: list) -> list[EventAttachment]:
    """Check every file, then store them all under generated names (outside any transaction)."""
    uploads = check_uploads(files)
    return store_uploads(uploads, lambda _upload: EventAttachment(event=series, uploaded_by=actor))


# ---------------------------------------------------------------- comments


def add_event_comment(*, actor, event: Event, body: str, files: Iterable = ()) -> EventComment:
    """Comment on an event (on its series, for an edited occurrence). People who may see the
    calendar named with @ are kept as mentions. A comment needs text or at least one file."""
    _require_writer(actor, event)
    series = discussion_event(event)
    files = [upload for upload in files if upload is not None]
    body = (body or "").strip()
    if body or not files:
        body = required_text(body, field="body", max_length=COMMENT_MAX_LENGTH)
    stored = _store(actor, series, files) if files else []
    try:
        with transaction.atomic():
            comment = EventComment.objects.create(event=series, author=actor, body=body)
            comment.mentions.set(people_named(calendar_people(series.calendar, series), body))
            data: dict[str, Any] = {"comment": comment.pk}
            if stored:
                for attachment in stored:
                    attachment.comment = comment
                EventAttachment.objects.bulk_create(stored)
                data["names"] = [attachment.name for attachment in stored]
            _changed(actor, series, "event.commented", data)
    except BaseException:
        discard_files(stored)
        raise
    return comment


def edit_event_comment(*, actor, comment: EventComment, body: str) -> EventComment:
    """Only the author edits a comment; the edit is marked and the mentions read again."""
    series = comment.event
    _require_writer(actor, series)
    if comment.author_id != actor.pk:
        raise PermissionDenied
    body = required_text(body, field="body", max_length=COMMENT_MAX_LENGTH)
    if body == comment.body:
        return comment
    with transaction.atomic():
        comment.body, comment.edited_at = body, timezone.now()
        comment.save(update_fields=["body", "edited_at"])
        comment.mentions.set(people_named(calendar_people(series.calendar, series), body))
        _changed(actor, series, "event.comment_edited", {"comment": comment.pk})
    return comment


def delete_event_comment(*, actor, comment: EventComment) -> None:
    """The author deletes their comment (and its files); a moderator may remove anyone's."""
    series = comment.event
    _require_writer(actor, series)
    if comment.author_id != actor.pk and not may_moderate(actor, series.calendar):
        raise PermissionDenied
    names = stored_names(comment.attachments.all())  # the rows cascade away with the comment
    with transaction.atomic():
        _changed(actor, series, "event.comment_deleted", {"comment": comment.pk})
        comment.delete()
        remove_files_on_commit(names)


# ---------------------------------------------------------------- files


def add_event_attachments(*, actor, event: Event, files: Iterable) -> list[EventAttachment]:
    """Attach files to an event (its series); one Activity row names them all."""
    _require_writer(actor, event)
    series = discussion_event(event)
    stored = _store(actor, series, list(files))
    try:
        with transaction.atomic():
            EventAttachment.objects.bulk_create(stored)
            _changed(actor, series, "event.attached", {"names": [a.name for a in stored]})
    except BaseException:
        discard_files(stored)
        raise
    return stored


def delete_event_attachment(*, actor, attachment: EventAttachment) -> None:
    """The uploader or any editor of the calendar deletes a file; the stored file and its
    thumbnail leave storage once the deletion commits."""
    series = attachment.event
    _require_writer(actor, series)  # every writer edits the calendar, so may delete any file
    names = [name for name in (attachment.file.name, attachment.thumbnail.name) if name]
    data: dict[str, Any] = {"name": attachment.name}
    if attachment.comment_id:
        data["comment"] = attachment.comment_id
    with transaction.atomic():
        _changed(actor, series, "event.attachment_deleted", data)
        attachment.delete()
        remove_files_on_commit(names)


# ---------------------------------------------------------------- when events go


def remove_event_files_on_commit(event: Event) -> None:
    """Called by delete_event before an event (and its overrides) is deleted: its files, and
    those of its comments, leave storage once the deletion commits (the rows cascade)."""
    rows = EventAttachment.objects.filter(Q(event=event) | Q(event__series=event))
    remove_files_on_commit(stored_names(rows))
