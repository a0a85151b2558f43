from django import template

from baton.projects.models import Priority

register = template.Library()


@register.filter
def priority_label(value) -> str:
    try:
        return str(Priority(int(value)).label)
    except (TypeError, ValueError):
        return ""
