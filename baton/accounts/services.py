"""Every write to users: registration, profile, password.

Accounts sit below organizations in the layering, so nothing here imports `baton.orgs`. That is
also why these writes record no Activity row: an Activity belongs to an organization, and a
profile or a password belongs to the person, whichever organizations they are in. (Signing up
*with* an organization is `baton.orgs.services.sign_up`, which records the organization's row.)
"""

import zoneinfo

from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from baton.accounts.models import LANGUAGE_CHOICES, User
from baton.core.colors import COLOR_NAMES

NAME_MAX_LENGTH: int = User._meta.get_field("name").max_length or 0
EMAIL_MAX_LENGTH: int = User._meta.get_field("email").max_length or 0
LANGUAGES = {code for code, _label in LANGUAGE_CHOICES}
PROFILE_FIELDS = ("name", "language", "timezone", "avatar_color")


def _clean_name(value: str | None) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({"name": _("This field is required.")})
    if len(value) > NAME_MAX_LENGTH:
        raise ValidationError({"name": _("At most %(n)d characters.") % {"n": NAME_MAX_LENGTH}})
    return value


def clean_email(value: str | None) -> str:
    """A syntactically valid address, lower-cased (addresses are unique whatever their case)."""
    value = (value or "").strip().lower()
    if not value:
        raise ValidationError({"email": _("This field is required.")})
    if len(value) > EMAIL_MAX_LENGTH:
        raise ValidationError({"email": _("At most %(n)d characters.") % {"n": EMAIL_MAX_LENGTH}})
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    return value


def email_taken(email: str) -> bool:
    return User.objects.filter(email__iexact=email.strip()).exists()


def register_user(*, email: str, name: str, password: str, language: str = "") -> User:
    """Create an account. Nobody is acting yet, so there is no `actor`.

    Raises ValidationError keyed by field: a missing or over-long name, an invalid or already
    registered e-mail (compared without case), or a password Django's validators reject.
    """
    name = _clean_name(name)
    email = clean_email(email)
    if language and language not in LANGUAGES:
        raise ValidationError({"language": _("Choose a language from the list.")})
    if email_taken(email):
        raise ValidationError(
            {"email": _("An account with this e-mail address already exists. Log in instead?")}
        )
    candidate = User(email=email, name=name)
    try:
        password_validation.validate_password(password, candidate)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    with transaction.atomic():
        return User.objects.create_user(email, password, name=name, language=language)


def update_profile(*, actor: User, user: User | None = None, **fields) -> User:
    """Change the name, language ('' follows the browser), time zone or avatar colour.

    Only the person themselves may change their profile. Unknown fields are a programming error
    (TypeError); bad values raise ValidationError keyed by field and change nothing.
    """
    user = user or actor
    if user.pk != actor.pk:
        raise PermissionDenied
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"update_profile() got unexpected fields: {', '.join(sorted(unknown))}")
    cleaned: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for field, value in fields.items():
        try:
            cleaned[field] = _clean_profile_field(field, value)
        except ValidationError as error:
            errors[field] = error.messages
    if errors:
        raise ValidationError(errors)
    changed = [field for field, value in cleaned.items() if getattr(user, field) != value]
    if changed:
        with transaction.atomic():
            for field in changed:
                setattr(user, field, cleaned[field])
            user.save(update_fields=changed)
    return user


def _clean_profile_field(field: str, value) -> str:
    value = str(value or "").strip()
    if field == "name":
        return _clean_name(value)
    if field == "language":
        if value and value not in LANGUAGES:
            raise ValidationError(_("Choose a language from the list."))
        return value
    if field == "timezone":
        if value not in zoneinfo.available_timezones():
            raise ValidationError(_("Choose a time zone from the list."))
        return value
    if field == "avatar_color":
        if value not in COLOR_NAMES:
            raise ValidationError(_("Choose a colour from the palette."))
        return value
    raise TypeError(field)  # pragma: no cover - PROFILE_FIELDS is checked first


def change_password(*, actor: User, old_password: str, new_password: str) -> User:
    """Set a new password after checking the current one and Django's password validators.

    The caller keeps the session alive with `update_session_auth_hash`; other sessions end.
    """
    if not actor.check_password(old_password or ""):
        raise ValidationError({"old_password": _("Your current password was entered incorrectly.")})
    try:
        password_validation.validate_password(new_password, actor)
    except ValidationError as error:
        raise ValidationError({"new_password": error.messages}) from None
    with transaction.atomic():
        actor.set_password(new_password)
        actor.save(update_fields=["password"])
    return actor
