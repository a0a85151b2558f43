"""An event's discussion in the calendar panel: its files (upload by button, drop or paste;
download; thumbnails; delete) and its comments (write, edit, delete).

The panel loads the section from `event_discussion`; every write answers with the section again
(422 with the messages and the typed text on bad input). Downloads go only to people who may see
the event, and only for files of its discussion; they carry the task downloads' headers.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST, require_safe

from baton.accounts.requests import AuthenticatedRequest
from baton.calendars import services
from baton.calendars.models import Event
from baton.calendars.permissions import (
    get_event_attachment_for_user_or_404,
    get_event_comment_for_user_or_404,
    get_event_for_user_or_404,
)
from baton.calendars.queries import section_context
from baton.discussion.forms import posted_body
from baton.files import storage as filekit

SECTION = "calendars/_event_discussion.html#event-discussion"


def _render(request: HttpRequest, event: Event, *, status=200, errors=None, typed=None):
    """The section for the event shown in the panel (`event`, maybe an edited occurrence)."""
    context = section_context(request.user, event)
    context.update(errors=errors or {}, typed=typed or {})
    return render(request, SECTION, context, status=status)


def _done(request: HttpRequest, event: Event) -> HttpResponse:
    """After a write: the section for htmx, else back to the calendar."""
    if request.htmx:
        return _render(request, event)
    return redirect("calendars:home", slug=event.calendar.organization.slug)


@login_required
@require_GET
def event_discussion(request: AuthenticatedRequest, slug: str, event_id: int) -> HttpResponse:
    """The files and comments of an event (of its series, for an edited occurrence)."""
    return _render(request, get_event_for_user_or_404(request.user, slug, event_id))


# ---------------------------------------------------------------- comments


@login_required
@require_POST
def event_comment_create(request: AuthenticatedRequest, slug: str, event_id: int) -> HttpResponse:
    event = get_event_for_user_or_404(request.user, slug, event_id)
    body = posted_body(request)
    try:
        services.add_event_comment(
            actor=request.user, event=event, body=body, files=request.FILES.getlist("files")
        )
    except ValidationError as error:
        errors, typed = {"comment": error.messages}, {"comment": body}
        return _render(request, event, status=422, errors=errors, typed=typed)
    return _done(request, event)


@login_required
@require_POST
def event_comment_edit(
    request: AuthenticatedRequest, slug: str, event_id: int, comment_id: int
) -> HttpResponse:
    comment, event = get_event_comment_for_user_or_404(request.user, slug, event_id, comment_id)
    body = posted_body(request)
    try:
        services.edit_event_comment(actor=request.user, comment=comment, body=body)
    except ValidationError as error:
        errors = {"comment_edit": error.messages}
        typed = {"comment_edit_id": comment.pk, "comment_edit": body}
        return _render(request, event, status=422, errors=errors, typed=typed)
    return _done(request, event)


@login_required
@require_POST
def event_comment_delete(
    request: AuthenticatedRequest, slug: str, event_id: int, comment_id: int
) -> HttpResponse:
    comment, event = get_event_comment_for_user_or_404(request.user, slug, event_id, comment_id)
    services.delete_event_comment(actor=request.user, comment=comment)
    return _done(request, event)


# ---------------------------------------------------------------- files


@login_required
@require_POST
def event_file_upload(request: AuthenticatedRequest, slug: str, event_id: int) -> HttpResponse:
    """Attach the posted files (`files`, one or several) to the event."""
    event = get_event_for_user_or_404(request.user, slug, event_id)
    try:
        services.add_event_attachments(
            actor=request.user, event=event, files=request.FILES.getlist("files")
        )
    except ValidationError as error:
        return _render(request, event, status=422, errors={"files": error.messages})
    return _done(request, event)


@login_required
@require_POST
def event_file_delete(
    request: AuthenticatedRequest, slug: str, event_id: int, attachment_id: int
) -> HttpResponse:
    attachment, event = get_event_attachment_for_user_or_404(
        request.user, slug, event_id, attachment_id
    )
    services.delete_event_attachment(actor=request.user, attachment=attachment)
    return _done(request, event)


@login_required
@require_safe
def event_file_download(
    request: AuthenticatedRequest, slug: str, event_id: int, attachment_id: int
) -> HttpResponse:
    """The file itself: checked raster images inline (unless ?download), anything else as a
    download labelled with a harmless content type."""
    attachment, _event = get_event_attachment_for_user_or_404(
        request.user, slug, event_id, attachment_id
    )
    return filekit.attachment_response(request, attachment)


@login_required
@require_safe
def event_file_thumbnail(
    request: AuthenticatedRequest, slug: str, event_id: int, attachment_id: int
) -> HttpResponse:
    """The small WebP preview of an image (404 for files without one)."""
    attachment, _event = get_event_attachment_for_user_or_404(
        request.user, slug, event_id, attachment_id
    )
    return filekit.thumbnail_response(attachment)
