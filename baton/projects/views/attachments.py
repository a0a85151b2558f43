"""Files in the task panel: upload (picker, drop, paste), download, thumbnail, delete.

Downloads go only to people who may see the task, and only for attachments of that task. Raster
images (checked by Pillow at upload) are shown inline; everything else is an attachment, labelled
with a harmless content type, and every file response carries nosniff and a sandboxing CSP.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from baton.accounts.requests import AuthenticatedRequest
from baton.files import storage as filekit
from baton.files.models import Attachment
from baton.files.permissions import get_attachment_or_404
from baton.projects import queries, services
from baton.projects.models import Task
from baton.projects.permissions import can_edit
from baton.projects.views.base import board_urls, task_or_404


def _attachment(task: Task, attachment_id: int) -> Attachment:
    """An attachment of this task (404 for any other task's, even in the same project)."""
    attachment = get_attachment_or_404(task, attachment_id)
    attachment.owner = task
    return attachment


def _task_url(task: Task) -> str:
    return f"{board_urls(task.project.organization, task.project)['task_prefix']}{task.number}"


def _context(request: HttpRequest, org, task: Task, **extra) -> dict:
    return {
        "org": org,
        "project": task.project,
        "task": task,
        "can_edit": can_edit(request.user, task.project),
        **board_urls(org, task.project),
        **extra,
    }


def _history_entry(task: Task) -> list:
    """The Activity row just recorded, appended to the panel's timeline out of band."""
    return queries.task_history(task, limit=1)


def _render_section(request: HttpRequest, org, task: Task, *, status=200, errors=None):
    context = _context(
        request, org, task, errors=errors or {}, new_history=[] if errors else _history_entry(task)
    )
    return render(
        request, "projects/_task_attachments.html#task-attachments", context, status=status
    )


@login_required
@require_POST
def attachment_upload(request: AuthenticatedRequest, slug: str, ref: str) -> HttpResponse:
    """Attach the posted files (`files`, one or several) to the card; answers with the section."""
    org, task = task_or_404(request, slug, ref)
    try:
        services.add_attachments(
            actor=request.user, task=task, files=request.FILES.getlist("files")
        )
    except ValidationError as error:
        if not request.htmx:
            messages.error(request, " ".join(error.messages))
            return redirect(_task_url(task))
        return _render_section(request, org, task, status=422, errors={"files": error.messages})
    if not request.htmx:
        return redirect(_task_url(task))
    return _render_section(request, org, task)


@login_required
@require_POST
def attachment_delete(request: AuthenticatedRequest, slug: str, ref: str, attachment_id: int):
    """Delete a file (its uploader, or a project admin). Answers with what showed it: the
    attachments section, or the comment's files."""
    org, task = task_or_404(request, slug, ref)
    attachment = _attachment(task, attachment_id)
    comment_id = attachment.comment_id
    services.delete_attachment(actor=request.user, attachment=attachment)
    if not request.htmx:
        return redirect(_task_url(task))
    if comment_id is None:
        return _render_section(request, org, task)
    comment = task.comments.get(pk=comment_id)
    context = _context(request, org, task, comment=comment, new_history=_history_entry(task))
    return render(request, "projects/_comment_files.html", context)


@login_required
@require_safe
def attachment_download(request: AuthenticatedRequest, slug: str, ref: str, attachment_id: int):
    """The file itself: raster images inline (unless ?download), anything else as a download."""
    _org, task = task_or_404(request, slug, ref)
    attachment = _attachment(task, attachment_id)
    return filekit.attachment_response(request, attachment)


@login_required
@require_safe
def attachment_thumbnail(request: AuthenticatedRequest, slug: str, ref: str, attachment_id: int):
    """The small WebP preview of an image (404 for files without one)."""
    _org, task = task_or_404(request, slug, ref)
    attachment = _attachment(task, attachment_id)
    return filekit.thumbnail_response(attachment)
