"""Checks every service makes of what people type: text within a length, a palette colour."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from baton.core.colors import COLOR_NAMES


def optional_text(value: str | None, *, field: str, max_length: int) -> str:
    """The text without surrounding spaces; too long is an error that says by how much."""
    value = (value or "").strip()
    if len(value) > max_length:
        raise ValidationError(
            {
                field: _("At most %(n)d characters (this has %(m)d).")
                % {"n": max_length, "m": len(value)}
            }
        )
    return value


def required_text(value: str | None, *, field: str, max_length: int) -> str:
    value = optional_text(value, field=field, max_length=max_length)
    if not value:
        raise ValidationError({field: _("This field is required.")})
    return value


def palette_color(value: str | None, *, default: str = "blue", field: str = "color") -> str:
    value = (value or "").strip() or default
    if value not in COLOR_NAMES:
        raise ValidationError({field: _("Choose a colour from the palette.")})
    return value
