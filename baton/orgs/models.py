import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from baton.core.colors import PALETTE


class Role(models.TextChoices):
    OWNER = "owner", pgettext_lazy("organization role", "Owner")
    ADMIN = "admin", _("Admin")
    MEMBER = "member", _("Member")
    GUEST = "guest", _("Guest")


MANAGER_ROLES = {Role.OWNER, Role.ADMIN}


def new_slug() -> str:
    return secrets.token_hex(4)


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Organization(models.Model):
    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("address"), max_length=40, unique=True, default=new_slug)
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organizations"
    )
    # The person's membership, set by the access helper that fetched the organization.
    membership: "Membership"

    class Meta:
        verbose_name = _("organization")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="unique_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"

    @property
    def is_manager(self) -> bool:
        return self.role in MANAGER_ROLES


class Team(models.Model):
    """A department (运营, 设计, 推广, 客服, 仓储…) inside an organization."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=60)
    color = models.CharField(_("colour"), max_length=16, choices=PALETTE, default="blue")
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="teams", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="unique_team_name")
        ]

    def __str__(self) -> str:
        return self.name


class Invitation(models.Model):
    """An invitation by link (no e-mail) or by e-mail; accepted once, revocable until then."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail"), blank=True)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email or self.token[:8]

    @property
    def is_link(self) -> bool:
        return not self.email


class Grant(models.Model):
    """Rights on one object given to a person or to a whole team of its organization (a
    calendar's or a document's sharing): exactly one of `user` and `team`. The concrete model
    adds the object, the role and grant_constraints()."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        abstract = True


def grant_constraints(target: str) -> list:
    """A person or a team, each at most once per object (`target`: the object's field)."""
    return [
        models.CheckConstraint(
            condition=models.Q(user__isnull=False, team__isnull=True)
            | models.Q(user__isnull=True, team__isnull=False),
            name=f"{target}_member_user_or_team",
        ),
        models.UniqueConstraint(fields=[target, "user"], name=f"unique_{target}_user"),
        models.UniqueConstraint(fields=[target, "team"], name=f"unique_{target}_team"),
    ]
