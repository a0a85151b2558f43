"""A row of My tasks as HTML.

Someone with a few hundred open tasks sees them all on one page, so the row is built here with
plain string formatting (about 10 µs a row) rather than by the template engine (about 100 µs),
as the board's cards are (cards.py). The page and the answer to a quick complete both place it
with `{% my_task_row task %}` (my_tasks.html#my-task-row). `task` is the dict
queries.my_task_row() builds; every value is escaped here.
"""

from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext


def render_my_task_row(
    task: dict, *, task_base: str, done_base: str, csrf_token: str
) -> SafeString:
    ref = escape(task["reference"])
    done = task["done"]

    def form(value: str, css: str = "") -> str:
        url = f"{done_base}{ref}/done"
        return (
            f'<form{css} method="post" action="{url}" hx-post="{url}" '
            f'hx-target="#my-task-{task["pk"]}" hx-swap="outerHTML">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
            f'<input type="hidden" name="done" value="{value}">'
        )

    parts = [f'<li class="my-task{" is-done" if done else ""}" id="my-task-{task["pk"]}">']
    if task["can_edit"]:
        if done:
            title, label = gettext("Reopen"), gettext("Reopen %(ref)s") % {"ref": ref}
        else:
            title, label = gettext("Mark as done"), gettext("Mark %(ref)s as done") % {"ref": ref}
        parts.append(form("0" if done else "1"))
        pressed = "true" if done else "false"
        parts.append(
            f'<button type="submit" class="my-task-check" aria-pressed="{pressed}" '
            f'title="{escape(title)}" aria-label="{escape(label)}">✓</button></form>'
        )
    else:
        readonly = escape(gettext("You can view this project but not change it"))
        parts.append(f'<span class="my-task-check is-readonly" title="{readonly}"></span>')
    parts.append(
        f'<a class="my-task-link" href="{task_base}{ref}" data-kbd-row>'
        f'<span class="my-task-main"><span class="my-task-ref">{ref}</span>'
    )
    if parent := task["parent_title"]:
        tip = escape(gettext("Subtask of %(title)s") % {"title": parent})
        parts.append(
            f'<span class="my-task-parent" title="{tip}">{escape(parent)}</span>'
            '<span class="my-task-sep" aria-hidden="true">›</span>'  # noqa: RUF001
        )
    parts.append(
        f'<span class="my-task-title">{escape(task["title"])}</span></span>'
        f'<span class="my-task-where"><span class="project-dot c-{escape(task["project_color"])}">'
        f'</span><span class="truncate">{escape(task["project_name"])}</span>'
        f'<span class="my-task-list-name truncate">{escape(task["list_name"])}</span></span>'
        '<span class="my-task-priority">'
    )
    if task["priority"]:
        parts.append(
            f'<span class="priority priority-{task["priority"]}">'
            f"{escape(task['priority_label'])}</span>"
        )
    parts.append('</span><span class="my-task-due">')
    if task["due_label"]:
        parts.append(
            f'<span class="badge badge-{task["due_state"]}">{escape(task["due_label"])}</span>'
        )
    parts.append("</span></a>")
    if done and task["can_edit"]:
        parts.append(form("0", ' class="my-task-undo"'))
        # gettext outside the f-string: xgettext does not look inside f-strings.
        done_note, undo = escape(gettext("Done")), escape(gettext("Undo"))
        parts.append(
            f'<span class="my-task-done-note">{done_note}</span>'
            f'<button type="submit" class="link-button">{undo}</button></form>'
        )
    parts.append("</li>")
    return mark_safe("".join(parts))
