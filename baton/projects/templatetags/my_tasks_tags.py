from django import template

from baton.projects.my_task_rows import render_my_task_row

register = template.Library()


@register.simple_tag(takes_context=True)
def my_task_row(context, task: dict):
    """A row of My tasks (see projects/my_task_rows.py for why it is not a template)."""
    return render_my_task_row(
        task,
        task_base=context["task_base"],
        done_base=context["done_base"],
        csrf_token=str(context.get("csrf_token", "")),
    )
