"""What comments and files on an event mean to its calendar (registered in CalendarsConfig.ready()),
and the calendar's doors to baton.discussion.services and baton.files.services.

Who: people who edit the calendar write (comment, upload); read-only members and invited
participants read (403 on a write), outsiders get 404. Only the author edits a comment; the
author, the calendar's creator or an organization owner/admin deletes one. A file is deleted by
its uploader or any editor of the calendar.

Where: everything is on the series (permissions.discussion_event): a comment made from an edited
occurrence goes to its series.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from baton.accounts.models import User
from baton.calendars.models import CalendarRole, Event
from baton.calendars.permissions import calendar_people, discussion_event, event_role, may_moderate
from baton.calendars.services.calendars import publish, record
from baton.discussion import services as discussion
from baton.discussion.models import Comment
from baton.files import services as file_services
from baton.files.models import Attachment
from baton.files.owners import Owner
from baton.files.storage import stored_names

# Activity verbs of the changes the discussion and files services report.
VERBS = {
    "commented": "event.commented",
    "comment_edited": "event.comment_edited",
    "comment_deleted": "event.comment_deleted",
    "attached": "event.attached",
    "attachment_deleted": "event.attachment_deleted",
}


def _require_writer(actor, event: Event) -> str:
    """404 for outsiders, 403 for read-only people; an archived calendar takes no new talk."""
    role = event_role(actor, event)
    if role is None:
        raise Http404
    if role != CalendarRole.EDITOR:
        raise PermissionDenied
    if event.calendar.archived_at is not None:
        raise ValidationError({"calendar": _("This calendar is archived.")})
    return role


def _changed(actor, series: Event, change: str, data: dict) -> None:
    data = {key: value for key, value in data.items() if not key.startswith("attachment_id")}
    record(actor, VERBS[change], series, series.calendar.organization_id, data)
    publish(series.calendar_id, "event.discussed", actor=actor, event=series.pk)


EVENT_OWNER = Owner(
    require_writer=_require_writer,
    may_moderate=lambda user, series, role: may_moderate(user, series.calendar),
    # Every writer edits the calendar, so may delete any of its files.
    may_moderate_files=lambda user, series, role: True,
    changed=_changed,
    people=lambda series: calendar_people(series.calendar, series),
    organization_id=lambda event: event.calendar.organization_id,
    thread=discussion_event,
)


def add_event_comment(*, actor: User, event: Event, body: str, files: Iterable = ()) -> Comment:
    """Comment on an event (on its series, for an edited occurrence). People who may see the
    calendar named with @ are kept as mentions. A comment needs text or at least one file."""
    return discussion.add_comment(actor=actor, owner=event, body=body, files=files)


def add_event_attachments(*, actor: User, event: Event, files: Iterable) -> list[Attachment]:
    """Attach files to an event (its series); one Activity row names them all."""
    return file_services.add_attachments(actor=actor, owner=event, files=files)


edit_event_comment = discussion.edit_comment
delete_event_comment = discussion.delete_comment
delete_event_attachment = file_services.delete_attachment


def remove_event_files_on_commit(event: Event) -> None:
    """Called by delete_event before an event (and its overrides) is deleted: its files, and
    those of its comments, leave storage once the deletion commits (the rows cascade)."""
    rows = Attachment.objects.filter(Q(event=event) | Q(event__series=event))
    file_services.remove_files_on_commit(stored_names(rows))
