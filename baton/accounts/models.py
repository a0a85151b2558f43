from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from baton.core.colors import PALETTE, color_for

LANGUAGE_CHOICES = [("zh-hans", "简体中文"), ("en", "English")]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        email = self.normalize_email(email).lower()
        fields.setdefault("avatar_color", color_for(email))
        user = self.model(email=email, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail"), unique=True)
    name = models.CharField(_("name"), max_length=80)
    avatar_color = models.CharField(
        _("avatar colour"), max_length=16, choices=PALETTE, default="blue"
    )
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGE_CHOICES, blank=True)
    timezone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=now)
    last_org = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("user")

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def initials(self) -> str:
        return initials_of(self.name, self.email)


def initials_of(name: str, email: str = "") -> str:
    """The given name (last two CJK characters) or two Latin initials, as avatars show them."""
    name = (name or email).strip()
    if any("\u4e00" <= ch <= "\u9fff" for ch in name):
        return name[-2:]
    parts = name.replace("@", " ").split()
    return "".join(part[0] for part in parts[:2]).upper()
