"""Every write to organizations, memberships, teams and invitations."""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from baton.accounts.models import User
from baton.accounts.services import register_user
from baton.activity.services import record_activity
from baton.core.validation import palette_color, required_text
from baton.orgs.models import Invitation, Membership, Organization, Role, Team
from baton.orgs.permissions import (
    may_assign_role,
    may_manage_member,
    require_org_manager,
    require_org_member,
)

logger = logging.getLogger(__name__)
INVITATION_LIFETIME = datetime.timedelta(days=14)


class LastOwnerError(ValidationError):
    """An organization always keeps at least one owner."""


def default_organization_name(user_name: str) -> str:
    """What a new account's first organization is called unless they name it: 「<name>的团队」."""
    return (_("%(name)s's team") % {"name": user_name.strip()})[:80]


def sign_up(
    *,
    name: str,
    email: str,
    password: str,
    organization_name: str = "",
    invitation: Invitation | None = None,
) -> Membership:
    """Register an account and give it a place to work, in one transaction.

    With an invitation the new account joins that organization (the invitation must be valid and,
    for an e-mail invitation, addressed to this e-mail); otherwise it becomes the owner of a new
    organization named `organization_name`, or 「<name>的团队」 when that is empty. There is no
    `actor`: nobody is logged in yet. ValidationErrors are keyed by the sign-up form's fields
    (name, email, password, organization_name) or carry a plain message about the invitation.
    """
    if invitation is not None and (problem := invitation_problem(invitation)):
        raise ValidationError(problem)
    with transaction.atomic():
        user = register_user(email=email, name=name, password=password)
        if invitation is not None:
            membership = accept_invitation(actor=user, invitation=invitation)
        else:
            try:
                org = create_organization(
                    actor=user,
                    name=(organization_name or "").strip() or default_organization_name(user.name),
                )
            except ValidationError as error:
                raise ValidationError({"organization_name": error.messages}) from None
            membership = Membership.objects.get(organization=org, user=user)
            membership.organization, membership.user = org, user
        switch_organization(actor=user, organization=membership.organization)
    return membership


def create_organization(*, actor: User, name: str) -> Organization:
    name = required_text(name, field="name", max_length=80)
    with transaction.atomic():
        org = Organization.objects.create(name=name)
        Membership.objects.create(organization=org, user=actor, role=Role.OWNER)
        record_activity(
            actor=actor, verb="org.created", target=org, organization_id=org.pk, data={"name": name}
        )
    return org


def rename_organization(*, actor: User, organization: Organization, name: str) -> Organization:
    require_org_manager(actor, organization)
    name = required_text(name, field="name", max_length=80)
    with transaction.atomic():
        old = organization.name
        organization.name = name
        organization.save(update_fields=["name"])
        record_activity(
            actor=actor,
            verb="org.renamed",
            target=organization,
            organization_id=organization.pk,
            data={"old": old, "new": name},
        )
    return organization


def _owner_count(organization: Organization) -> int:
    return Membership.objects.filter(organization=organization, role=Role.OWNER).count()


def change_member_role(*, actor: User, membership: Membership, role: str) -> Membership:
    org = membership.organization
    actor_membership = require_org_manager(actor, org)
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if not (
        may_manage_member(actor_membership, membership) and may_assign_role(actor_membership, role)
    ):
        raise PermissionDenied
    with transaction.atomic():
        if membership.role == Role.OWNER and role != Role.OWNER and _owner_count(org) <= 1:
            raise LastOwnerError(
                _("The last owner cannot be changed; make someone else owner first.")
            )
        old = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        record_activity(
            actor=actor,
            verb="member.role_changed",
            target=membership,
            organization_id=org.pk,
            data={"user": membership.user.name, "old": old, "new": role},
        )
    return membership


def remove_member(*, actor: User, membership: Membership) -> None:
    """Managers remove anyone (owners only by an owner); anyone may leave by removing themselves."""
    org = membership.organization
    leaving = membership.user_id == actor.pk
    if not leaving and not may_manage_member(require_org_manager(actor, org), membership):
        raise PermissionDenied
    with transaction.atomic():
        if membership.role == Role.OWNER and _owner_count(org) <= 1:
            raise LastOwnerError(_("The last owner cannot be removed."))
        user = membership.user
        record_activity(
            actor=actor,
            verb="member.removed",
            target=membership,
            organization_id=org.pk,
            data={"user": user.name},
        )
        # Leaving the organization also leaves its projects and teams.
        user.project_memberships.filter(project__organization=org).delete()
        for team in org.teams.filter(members=user):
            team.members.remove(user)
        membership.delete()


def invite(
    *,
    actor: User,
    organization: Organization,
    email: str = "",
    role: str = Role.MEMBER,
    site_url: str = "",
) -> Invitation:
    """An e-mail invitation (single use) or, without e-mail, a shareable link (until revoked).
    `site_url`: where the mail's link points (the address of the inviter's request), else
    BATON_SITE_URL."""
    require_org_manager(actor, organization)
    if role not in Role.values or role == Role.OWNER:
        raise ValidationError({"role": _("Choose admin, member or guest.")})
    email = (email or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
        if Membership.objects.filter(organization=organization, user__email=email).exists():
            raise ValidationError({"email": _("%(email)s is already a member.") % {"email": email}})
    with transaction.atomic():
        invitation = Invitation.objects.create(
            organization=organization,
            email=email,
            role=role,
            invited_by=actor,
            expires_at=timezone.now() + INVITATION_LIFETIME,
        )
        record_activity(
            actor=actor,
            verb="invitation.created",
            target=invitation,
            organization_id=organization.pk,
            data={"email": email, "role": role},
        )
        if email:
            transaction.on_commit(lambda: _send_invitation_mail(invitation, site_url))
    return invitation


def _send_invitation_mail(invitation: Invitation, site_url: str = "") -> None:
    path = reverse("orgs:invitation_accept", args=[invitation.token])
    link = (site_url or settings.SITE_URL) + path
    try:
        send_mail(
            subject=_("%(name)s invites you to %(org)s on Baton")
            % {
                "name": getattr(invitation.invited_by, "name", ""),
                "org": invitation.organization.name,
            },
            message=_("Join %(org)s on Baton: %(link)s")
            % {"org": invitation.organization.name, "link": link},
            from_email=None,
            recipient_list=[invitation.email],
        )
    except Exception:
        # The invitation exists and its link is on the members page: a mail server that is
        # down must not turn the (already committed) invitation into an error page.
        logger.exception("Could not send the invitation mail to %s", invitation.email)


def invitation_problem(invitation: Invitation, user=None) -> str | None:
    """Why an invitation cannot be accepted (by `user`, when given), or None."""
    if invitation.revoked_at:
        return _("This invitation was revoked.")
    if invitation.expires_at < timezone.now():
        return _("This invitation has expired.")
    if invitation.accepted_at and not invitation.is_link:
        return _("This invitation was already used.")
    if user is not None and invitation.email and invitation.email != user.email.lower():
        return _("This invitation was sent to another e-mail address.")
    return None


def accept_invitation(*, actor: User, invitation: Invitation) -> Membership:
    if problem := invitation_problem(invitation, actor):
        raise ValidationError(problem)
    org = invitation.organization
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            organization=org, user=actor, defaults={"role": invitation.role}
        )
        if created:
            invitation.accepted_by = actor
            invitation.accepted_at = timezone.now()
            invitation.save(update_fields=["accepted_by", "accepted_at"])
            record_activity(
                actor=actor,
                verb="invitation.accepted",
                target=invitation,
                organization_id=org.pk,
                data={"role": invitation.role},
            )
    return membership


def revoke_invitation(*, actor: User, invitation: Invitation) -> Invitation:
    require_org_manager(actor, invitation.organization)
    with transaction.atomic():
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        record_activity(
            actor=actor,
            verb="invitation.revoked",
            target=invitation,
            organization_id=invitation.organization_id,
            data={"email": invitation.email},
        )
    return invitation


def create_team(*, actor: User, organization: Organization, name: str, color: str = "blue") -> Team:
    require_org_manager(actor, organization)
    name = required_text(name, field="name", max_length=60)
    color = palette_color(color)
    if Team.objects.filter(organization=organization, name=name).exists():
        raise ValidationError({"name": _("A team with this name already exists.")})
    with transaction.atomic():
        team = Team.objects.create(organization=organization, name=name, color=color)
        record_activity(
            actor=actor,
            verb="team.created",
            target=team,
            organization_id=organization.pk,
            data={"name": name},
        )
    return team


def update_team(
    *, actor: User, team: Team, name: str | None = None, color: str | None = None
) -> Team:
    """Rename or recolour a team (owners and admins); records a row only when something changed."""
    org = team.organization
    require_org_manager(actor, org)
    changes: dict[str, str] = {}
    if name is not None:
        name = required_text(name, field="name", max_length=60)
        if name != team.name:
            if Team.objects.filter(organization=org, name=name).exclude(pk=team.pk).exists():
                raise ValidationError({"name": _("A team with this name already exists.")})
            changes["name"] = name
    if color is not None:
        color = palette_color(color)
        if color != team.color:
            changes["color"] = color
    if not changes:
        return team
    with transaction.atomic():
        old = {field: getattr(team, field) for field in changes}
        for field, value in changes.items():
            setattr(team, field, value)
        team.save(update_fields=list(changes))
        record_activity(
            actor=actor,
            verb="team.updated",
            target=team,
            organization_id=org.pk,
            data={"old": old, "new": changes},
        )
    return team


def set_team_members(*, actor: User, team: Team, user_ids: list[int]) -> Team:
    org = team.organization
    require_org_manager(actor, org)
    valid = set(
        Membership.objects.filter(organization=org, user_id__in=user_ids).values_list(
            "user_id", flat=True
        )
    )
    if valid != set(user_ids):
        raise ValidationError(
            {"members": _("Only members of the organization can join its teams.")}
        )
    with transaction.atomic():
        old = set(team.members.values_list("id", flat=True))
        team.members.set(valid)
        record_activity(
            actor=actor,
            verb="team.members_changed",
            target=team,
            organization_id=org.pk,
            data={"added": sorted(valid - old), "removed": sorted(old - valid)},
        )
    return team


def delete_team(*, actor: User, team: Team) -> None:
    require_org_manager(actor, team.organization)
    with transaction.atomic():
        record_activity(
            actor=actor,
            verb="team.deleted",
            target=team,
            organization_id=team.organization_id,
            data={"name": team.name},
        )
        team.delete()


def switch_organization(*, actor: User, organization: Organization) -> None:
    """Remember the organization the user last worked in (where `/` leads them)."""
    require_org_member(actor, organization)
    if actor.last_org_id != organization.pk:
        actor.last_org = organization
        actor.save(update_fields=["last_org"])
