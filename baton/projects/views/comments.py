"""Comments in the task panel."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.views.decorators.http import require_POST

from baton.accounts.requests import AuthenticatedRequest
from baton.discussion.forms import posted_body
from baton.projects import services
from baton.projects.permissions import (
    get_comment_for_user_or_404,
)
from baton.projects.views.base import (
    task_or_404,
)
from baton.projects.views.tasks import (
    render_panel,
)

# ---------------------------------------------------------------- comments


@login_required
@require_POST
def comment_create(request: AuthenticatedRequest, slug: str, ref: str) -> HttpResponse:
    org, task = task_or_404(request, slug, ref)
    body = posted_body(request)
    files = request.FILES.getlist("files")
    try:
        services.add_comment(actor=request.user, task=task, body=body, files=files)
    except ValidationError as error:
        errors, typed = {"comment": error.messages}, {"comment": body}
        return render_panel(request, org, task, status=422, errors=errors, typed=typed)
    return render_panel(request, org, task)


@login_required
@require_POST
def comment_update(
    request: AuthenticatedRequest, slug: str, ref: str, comment_id: int
) -> HttpResponse:
    comment = get_comment_for_user_or_404(request.user, slug, ref, comment_id)
    org, task, body = (
        comment.owner.project.organization,
        comment.owner,
        posted_body(request),
    )
    try:
        services.edit_comment(actor=request.user, comment=comment, body=body)
    except ValidationError as error:
        errors = {"comment_edit": error.messages}
        typed = {"comment_edit_id": comment.pk, "comment_edit": body}
        return render_panel(request, org, task, status=422, errors=errors, typed=typed)
    return render_panel(request, org, task)


@login_required
@require_POST
def comment_delete(
    request: AuthenticatedRequest, slug: str, ref: str, comment_id: int
) -> HttpResponse:
    comment = get_comment_for_user_or_404(request.user, slug, ref, comment_id)
    services.delete_comment(actor=request.user, comment=comment)
    return render_panel(request, comment.owner.project.organization, comment.owner)
