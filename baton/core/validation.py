"""Checks every service makes of what people type: text within a length, a palette colour,
whole numbers and ids within what the database holds."""

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


# The largest value an integer column holds on every supported database: ids are 64-bit
# (BigAutoField), counters and versions 32-bit. A larger number typed into a form or a URL names
# nothing; handed to the database it overflows (SQLite) or fails its range check (PostgreSQL).
MAX_ID = 2**63 - 1
MAX_INT = 2**31 - 1


def parse_int(value, *, field: str, minimum: int | None = 0, maximum: int | None = MAX_INT) -> int:
    """A whole number typed by someone, within the range the database can hold; anything else
    (text, a fraction, 30 digits, a negative version) is a ValidationError on `field`."""
    text = str(value if value is not None else "").strip()
    try:
        number = int(text) if len(text) <= 20 else None
    except ValueError:
        number = None
    if number is None:
        raise ValidationError({field: _("Enter a whole number.")})
    if minimum is not None and number < minimum:
        raise ValidationError({field: _("Enter a number of at least %(n)d.") % {"n": minimum}})
    if maximum is not None and number > maximum:
        raise ValidationError({field: _("Enter a number of at most %(n)d.") % {"n": maximum}})
    return number


def parse_id(value) -> int | None:
    """The primary key a request names, or None when the value cannot be one (empty, text,
    negative, zero, beyond 64 bits): callers treat None as "no such object" (a 404 or an
    ignored choice), never as an error of the server."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 < value <= MAX_ID else None
    text = str(getattr(value, "pk", value) if value is not None else "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def parse_ids(values) -> list[int]:
    """The valid ids among several (a multiple choice), in order, without repeats; values that
    cannot be ids are dropped."""
    ids = (parse_id(v) for v in values or [])
    return list(dict.fromkeys(i for i in ids if i is not None))
