"""Sharing a document: who sees it (whole organization, project members, or chosen people and
teams), what the broad audience may do, and the people and teams named with a role.

Only editors share. A guest named as an editor is stored as a reader: a share is always
read-only for guests (permissions.document_role enforces it too, this keeps the list honest).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from baton.accounts.models import User
from baton.core.validation import parse_id
from baton.documents.models import (
    Document,
    DocumentMember,
    DocumentRole,
    DocumentVisibility,
)
from baton.documents.permissions import require_document_role
from baton.documents.services.base import publish, record
from baton.orgs.models import Membership, Role


def _not_a_choice(field: str) -> ValidationError:
    return ValidationError({field: _("Not one of the choices.")})


def share_document(*, actor: User, document: Document, visibility: str, access: str) -> Document:
    """Set who sees the document and what that audience may do ("editor" or "viewer")."""
    require_document_role(actor, document, DocumentRole.EDITOR)
    if visibility not in DocumentVisibility.values:
        raise _not_a_choice("visibility")
    if access not in DocumentRole.values:
        raise _not_a_choice("access")
    if visibility == DocumentVisibility.PROJECT and not document.project_id:
        raise ValidationError(
            {"visibility": _("Only a project's document can be for its members.")}
        )
    if (visibility, access) == (document.visibility, document.access):
        return document
    data = {"old": [document.visibility, document.access], "new": [visibility, access]}
    with transaction.atomic():
        Document.objects.filter(pk=document.pk).update(visibility=visibility, access=access)
        document.visibility, document.access = visibility, access
        document.__dict__.pop("_role_cache", None)
        record(actor, "document.shared", document, data)
        publish(document, "document.shared", actor=actor)
    return document


def _member_role(document: Document, user, role: str) -> str:
    """The role a person gets: guests only read."""
    if user is None:
        return role
    membership = Membership.objects.filter(organization_id=document.organization_id, user=user)
    row = membership.values_list("role", flat=True).first()
    if row is None:
        raise _not_a_choice("user")
    return DocumentRole.VIEWER if row == Role.GUEST else role


def set_document_member(
    *, actor, document: Document, user=None, team=None, role: str = DocumentRole.VIEWER
) -> DocumentMember:
    """Name a person or a team of the organization on the document with a role (adding them,
    or changing the role they have)."""
    require_document_role(actor, document, DocumentRole.EDITOR)
    if (user is None) == (team is None):
        raise ValidationError({"user": _("Choose a person or a team.")})
    if role not in DocumentRole.values:
        raise _not_a_choice("role")
    if team is not None and team.organization_id != document.organization_id:
        raise _not_a_choice("team")
    role = _member_role(document, user, role)
    match = {"user": user} if user is not None else {"team": team}
    with transaction.atomic():
        member, _created = DocumentMember.objects.update_or_create(
            document=document, **match, defaults={"role": role}
        )
        who = {"user": user.pk} if user is not None else {"team": team.pk}
        record(actor, "document.member_set", document, {**who, "role": role})
        publish(document, "document.shared", actor=actor)
    document.__dict__.pop("_role_cache", None)
    return member


def remove_document_member(*, actor: User, document: Document, member_id) -> None:
    """Take a named person or team off the document (an unknown row is a clear error)."""
    require_document_role(actor, document, DocumentRole.EDITOR)
    member_id = parse_id(member_id)
    member = None
    if member_id is not None:
        member = DocumentMember.objects.filter(document=document, pk=member_id).first()
    if member is None:
        raise _not_a_choice("member")
    who = {"user": member.user_id} if member.user_id else {"team": member.team_id}
    with transaction.atomic():
        member.delete()
        record(actor, "document.member_removed", document, who)
        publish(document, "document.shared", actor=actor)
    document.__dict__.pop("_role_cache", None)
