"""Access to documents and folders.

Roles: "editor" (edit, save versions, restore, move, share) or "viewer" (read, follow, comment).
Organization owners and admins and a document's creator edit it. Beyond that a document is open
to the whole organization (guests excepted) or to a project's members, with the `access` it gives
them ("editor" or "viewer"; a project's viewers only read), and DocumentMember rows name more
people or teams with a role. Guests see only what names them (or their project), and only read:
a share is read-only for guests.

An outsider gets 404; someone who may see a document but lacks the role for a write gets 403.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from baton.core.validation import parse_id
from baton.discussion.models import Comment
from baton.documents.models import (
    Document,
    DocumentMember,
    DocumentRole,
    DocumentVisibility,
    Folder,
)
from baton.orgs.models import MANAGER_ROLES, Membership, Organization, Role
from baton.orgs.permissions import is_org_manager, membership_for
from baton.projects.models import ProjectMember, ProjectRole
from baton.projects.permissions import project_role, visible_projects
from baton.projects.queries import project_people

ROLE_RANK: dict[str | None, int] = {None: 0, DocumentRole.VIEWER: 1, DocumentRole.EDITOR: 2}


def document_role(user, document: Document) -> str | None:
    """ "editor", "viewer" or None (may not see it); cached on the document per user."""
    cache = document.__dict__.setdefault("_role_cache", {})
    if user.pk not in cache:
        cache[user.pk] = _compute_role(user, document)
    return cache[user.pk]


def _compute_role(user, document: Document) -> str | None:
    if not user.is_authenticated:
        return None
    membership = membership_for(user, document.organization)
    if membership is None:
        return None
    if membership.role in MANAGER_ROLES or document.created_by_id == user.pk:
        return DocumentRole.EDITOR
    role = _named_role(user, document, membership.organization_id)
    broad = _broad_role(user, document, membership)
    if ROLE_RANK[broad] > ROLE_RANK[role]:
        role = broad
    if role is not None and membership.role == Role.GUEST:
        return DocumentRole.VIEWER
    return role


def _named_role(user, document: Document, organization_id: int) -> str | None:
    teams = user.teams.filter(organization_id=organization_id).values("id")
    roles = DocumentMember.objects.filter(document=document).filter(
        Q(user=user) | Q(team_id__in=teams)
    )
    best = None
    for role in roles.values_list("role", flat=True):
        if ROLE_RANK[role] > ROLE_RANK[best]:
            best = role
    return best


def _broad_role(user, document: Document, membership: Membership) -> str | None:
    """What the document's visibility gives this person."""
    if document.visibility == DocumentVisibility.ORGANIZATION:
        return None if membership.role == Role.GUEST else document.access
    if document.visibility == DocumentVisibility.PROJECT and document.project is not None:
        role = project_role(user, document.project)
        if role is None:
            return None
        return DocumentRole.VIEWER if role == ProjectRole.VIEWER else document.access
    return None


def require_document_role(user, document: Document, role: str = DocumentRole.EDITOR) -> str:
    """Raise 404 for outsiders and 403 when the user's role is below `role`."""
    actual = document_role(user, document)
    if actual is None:
        raise Http404
    if ROLE_RANK[actual] < ROLE_RANK[role]:
        raise PermissionDenied
    return actual


def visible_documents(user, organization: Organization, *, trashed: bool = False):
    """The organization's documents this user may open (the list, search, links), not those in
    the trash unless `trashed`. One query when evaluated."""
    documents = Document.objects.filter(organization=organization, deleted_at__isnull=not trashed)
    membership = membership_for(user, organization) if user.is_authenticated else None
    if membership is None:
        return documents.none()
    if membership.role in MANAGER_ROLES:
        return documents
    teams = user.teams.filter(organization=organization).values("id")
    named = DocumentMember.objects.filter(Q(user=user) | Q(team_id__in=teams))
    allowed = Q(created_by=user) | Q(pk__in=named.values("document_id"))
    if membership.role == Role.GUEST:  # a project's documents only as a member of the project
        projects = ProjectMember.objects.filter(user=user).values("project_id")
    else:
        projects = visible_projects(user, organization).values("pk")
        allowed |= Q(visibility=DocumentVisibility.ORGANIZATION)
    allowed |= Q(visibility=DocumentVisibility.PROJECT, project__in=projects)
    return documents.filter(allowed)


def mark_document_roles(user, org, documents: list[Document]) -> None:
    """Set `.role` ("editor"/"viewer") on documents listed for `user` (all visible to them), in
    two queries: document_role read for many rows at once. It decides only which actions a row
    offers; every write is still judged by document_role."""
    membership = org.membership
    if membership.role in MANAGER_ROLES:
        editable = {d.pk for d in documents}
    elif membership.role == Role.GUEST:
        editable = set()
    else:
        teams = user.teams.filter(organization=org).values("id")
        named = set(
            DocumentMember.objects.filter(
                Q(user=user) | Q(team_id__in=teams),
                document__in=documents,
                role=DocumentRole.EDITOR,
            ).values_list("document_id", flat=True)
        )
        writable = set(
            ProjectMember.objects.filter(
                user=user, role__in=[ProjectRole.ADMIN, ProjectRole.MEMBER]
            ).values_list("project_id", flat=True)
        )
        editable = {
            d.pk
            for d in documents
            if d.created_by_id == user.pk
            or d.pk in named
            or (d.access == DocumentRole.EDITOR and d.visibility == DocumentVisibility.ORGANIZATION)
            or (
                d.access == DocumentRole.EDITOR
                and d.visibility == DocumentVisibility.PROJECT
                and d.project_id in writable
            )
        }
    for document in documents:
        document.role = DocumentRole.EDITOR if document.pk in editable else DocumentRole.VIEWER


def get_document_for_user_or_404(user, slug: str, document_id, *, trashed: bool = False):
    """A document by its organization's slug and id, with organization and project attached;
    one in the trash only when `trashed` (its page is the trash)."""
    if not user.is_authenticated:
        raise Http404
    document_id = parse_id(document_id)
    if document_id is None:
        raise Http404
    document = (
        Document.objects.select_related("organization", "project__organization", "folder")
        .filter(organization__slug=slug, pk=document_id, deleted_at__isnull=not trashed)
        .first()
    )
    if document is None or document_role(user, document) is None:
        raise Http404
    return document


def get_folder_for_user_or_404(user, slug: str, folder_id) -> Folder:
    """A folder of an organization the user belongs to (or of a project they may see)."""
    if not user.is_authenticated:
        raise Http404
    folder_id = parse_id(folder_id)
    if folder_id is None:
        raise Http404
    folder = (
        Folder.objects.select_related("organization", "project")
        .filter(organization__slug=slug, pk=folder_id)
        .first()
    )
    if folder is None or membership_for(user, folder.organization) is None:
        raise Http404
    if folder.project is not None and project_role(user, folder.project) is None:
        raise Http404
    return folder


def can_manage_folders(user, organization: Organization, project=None) -> bool:
    """Create, rename, move and delete folders: non-guest members of the organization (for a
    project's folders, its members and admins)."""
    membership = membership_for(user, organization)
    if membership is None or membership.role == Role.GUEST:
        return False
    if project is None:
        return True
    role = project_role(user, project)
    return role in (ProjectRole.ADMIN, ProjectRole.MEMBER)


def document_readers(document: Document):
    """Members of the document's organization who may read it, ordered by name (one query)."""
    members = Membership.objects.filter(organization_id=document.organization_id)
    named = DocumentMember.objects.filter(document=document)
    allowed = (
        Q(pk__in=members.filter(role__in=MANAGER_ROLES).values("user_id"))
        | Q(pk__in=named.filter(user__isnull=False).values("user_id"))
        | Q(teams__in=named.filter(team__isnull=False).values("team_id"))
    )
    if document.created_by_id:
        allowed |= Q(pk=document.created_by_id)
    if document.visibility == DocumentVisibility.ORGANIZATION:
        allowed |= Q(pk__in=members.exclude(role=Role.GUEST).values("user_id"))
    elif document.visibility == DocumentVisibility.PROJECT and document.project is not None:
        allowed |= Q(pk__in=project_people(document.project).values("pk"))
    people = get_user_model().objects.filter(allowed, pk__in=members.values("user_id"))
    return people.distinct().order_by("name", "pk")


def may_moderate(user, document: Document) -> bool:
    """The document's creator and the organization's owners and admins remove any comment."""
    return document.created_by_id == user.pk or is_org_manager(user, document.organization)


def may_resolve(user, document: Document, comment: Comment, role: str | None) -> bool:
    return role == DocumentRole.EDITOR or (role is not None and comment.author_id == user.pk)


def may_listen_to_document(user, document_id: int) -> bool:
    document = (
        Document.objects.select_related("organization", "project__organization")
        .filter(pk=document_id, deleted_at=None)
        .first()
    )
    return document is not None and document_role(user, document) is not None
