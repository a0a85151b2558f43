from django import template
from django.utils.safestring import mark_safe

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


@register.simple_tag(takes_context=True)
def card_list(context, tasks: list[dict]):
    """The cards of a page of a long list, as `{% card %}` prints each: one tag instead of a
    template loop, which cost as much again as the cards themselves (a page holds up to 400)."""
    prefix = context["task_prefix"]
    return mark_safe("".join([render_card(task, task_prefix=prefix) for task in tasks]))
