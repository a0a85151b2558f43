import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from baton.lib import dates
from baton.lib.markdown import render_markdown

register = template.Library()


@register.simple_tag
def avatar(user, size: str = "md") -> SafeString:
    """A round avatar with the user's initials in their palette colour."""
    if not user:
        return format_html(
            '<span class="avatar avatar-{} avatar-empty" aria-hidden="true"></span>', size
        )
    if isinstance(user, dict):  # a board card's light copy of the user
        color, name, initials = user["avatar_color"], user["name"], user["initials"]
    else:
        color, name, initials = user.avatar_color, user.name, user.initials
    return format_html(
        '<span class="avatar avatar-{} c-{}" title="{}">{}</span>', size, color, name, initials
    )


@register.filter
def markdown(text: str) -> SafeString:
    return mark_safe(render_markdown(text))


@register.filter
def due_state(due: datetime.date | None, done: bool = False) -> str:
    """The due badge's CSS modifier ('overdue', 'today', 'soon' or '')."""
    if due is None or done:
        return ""
    return dates.due_state(due, timezone.localdate())


@register.filter
def short_date(value: datetime.date | None) -> str:
    """11月11日 / Nov 11, with the year only when it is not this year."""
    if value is None:
        return ""
    chinese = (get_language() or "").startswith("zh")
    return dates.short_date(value, timezone.localdate().year, chinese)
