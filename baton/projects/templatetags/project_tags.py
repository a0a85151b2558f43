from django import template

from baton.projects.cards import render_card
from baton.projects.models import Priority

register = template.Library()


@register.filter
def priority_label(value) -> str:
    try:
        return str(Priority(int(value)).label)
    except (TypeError, ValueError):
        return ""


@register.simple_tag(takes_context=True)
def card(context, task: dict, oob: bool = False):
    """A board card (see projects/cards.py for why it is not a template)."""
    return render_card(task, task_prefix=context["task_prefix"], oob=oob)
