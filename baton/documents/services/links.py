"""Links made by hand between a document and a task card (those found in the text, SH-12, are
kept in step by documents.sync_task_links).

A member of the task's project who may read the document links or unlinks it; project viewers
get 403, outsiders of either side 404.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from baton.accounts.models import User
from baton.documents.models import Document, DocumentRole, DocumentTaskLink
from baton.documents.permissions import require_document_role
from baton.documents.services.base import publish, record
from baton.projects.models import Task
from baton.projects.permissions import can_edit, project_role


def _require_linker(actor, document: Document, task: Task) -> None:
    if project_role(actor, task.project) is None:
        raise Http404
    require_document_role(actor, document, DocumentRole.VIEWER)
    if task.project.organization_id != document.organization_id:
        raise ValidationError({"document": _("Not one of the choices.")})
    if not can_edit(actor, task.project):
        raise PermissionDenied


def link_document_to_task(*, actor: User, document: Document, task: Task) -> DocumentTaskLink:
    _require_linker(actor, document, task)
    with transaction.atomic():
        link, created = DocumentTaskLink.objects.get_or_create(
            document=document, task=task, kind=DocumentTaskLink.LINK
        )
        if created:
            record(actor, "document.task_linked", document, {"task": task.pk})
            publish(document, "document.linked", task=task.pk, actor=actor)
    return link


def unlink_document_from_task(*, actor: User, document: Document, task: Task) -> None:
    """Remove the hand-made link (a mention in the text stays while the text names the task)."""
    _require_linker(actor, document, task)
    with transaction.atomic():
        removed = DocumentTaskLink.objects.filter(
            document=document, task=task, kind=DocumentTaskLink.LINK
        ).delete()[0]
        if removed:
            record(actor, "document.task_unlinked", document, {"task": task.pk})
            publish(document, "document.linked", task=task.pk, actor=actor)
