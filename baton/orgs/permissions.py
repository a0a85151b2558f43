"""Access to an organization: strangers get 404, members below the needed role get 403."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from baton.orgs.models import MANAGER_ROLES, Membership, Organization, Role


def get_org_for_user_or_404(user, slug: str) -> Organization:
    """The organization with its `membership` for this user attached; 404 for anyone else."""
    if not user.is_authenticated:
        raise Http404
    membership = (
        Membership.objects.select_related("organization")
        .filter(organization__slug=slug, user=user)
        .first()
    )
    if membership is None:
        raise Http404
    org = membership.organization
    org.membership = membership
    return org


def membership_for(user, organization: Organization) -> Membership | None:
    """The person's membership of the organization (kept on it: asked once a request)."""
    cached = getattr(organization, "membership", None)
    if cached is not None and cached.user_id == user.pk:
        return cached
    membership = Membership.objects.filter(organization=organization, user=user).first()
    if membership is not None:
        organization.membership = membership
    return membership


def is_org_manager(user, organization: Organization) -> bool:
    """An owner or admin of the organization."""
    membership = membership_for(user, organization)
    return membership is not None and membership.role in MANAGER_ROLES


def require_org_manager(user, organization: Organization) -> Membership:
    """Owners and admins manage members, invitations and teams."""
    membership = membership_for(user, organization)
    if membership is None:
        raise Http404
    if membership.role not in MANAGER_ROLES:
        raise PermissionDenied
    return membership


def may_manage_member(actor_membership: Membership, membership: Membership) -> bool:
    """Whether a manager may change this member's role or remove them: owners are changed only
    by an owner."""
    if actor_membership.role not in MANAGER_ROLES:
        return False
    return actor_membership.role == Role.OWNER or membership.role != Role.OWNER


def may_assign_role(actor_membership: Membership, role: str) -> bool:
    """Only an owner makes owners."""
    return actor_membership.role == Role.OWNER or role != Role.OWNER


def can_create(organization: Organization) -> bool:
    """Whether the person may add projects, calendars and documents: everyone but guests, who
    take part only in what they are invited to. `organization` carries the person's membership
    (as `get_org_for_user_or_404` returns it)."""
    return organization.membership.role != Role.GUEST


def require_creator(organization: Organization) -> None:
    """403 for guests on the pages that add projects, calendars or documents."""
    if not can_create(organization):
        raise PermissionDenied


def require_org_member(user, organization: Organization) -> Membership:
    membership = membership_for(user, organization)
    if membership is None:
        raise Http404
    return membership
