"""The colour palette. Colours are names, not hex codes: the CSP forbids inline styles, so every
colour is a CSS class (`c-<name>`) defined once in baton.css."""

from django.utils.translation import gettext_lazy as _

PALETTE = [
    ("blue", _("Blue")),
    ("green", _("Green")),
    ("orange", _("Orange")),
    ("red", _("Red")),
    ("purple", _("Purple")),
    ("teal", _("Teal")),
    ("pink", _("Pink")),
    ("yellow", _("Yellow")),
    ("indigo", _("Indigo")),
    ("gray", _("Gray")),
]
COLOR_NAMES = [name for name, _label in PALETTE]


def color_for(seed: str) -> str:
    """A stable palette colour for a string (used for avatars of new users)."""
    return COLOR_NAMES[sum(map(ord, seed)) % (len(COLOR_NAMES) - 1)]
