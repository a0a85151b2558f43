"""A list view row's HTML.

The list view shows a hundred rows a page, each with a dozen cells and the small forms of its
inline editors, so rows are built here with string formatting, as board cards are (cards.py):
the template engine would take most of the page's time budget. list.html places them with
`{% table_rows %}`; an inline edit answers with the same markup for one row.

Inline editors stay light: a row's <select>s hold only their current option, and the page
fills in the others from a <template> when one is focused (frontend/src/filters.js).
Every value is escaped here.
"""

import datetime
from dataclasses import dataclass, field
from html import escape
from urllib.parse import urlsplit

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, pgettext

from baton.accounts.models import initials_of
from baton.lib.dates import due_state, short_date
from baton.projects.models import TITLE_MAX_LENGTH, FieldKind, Priority
from baton.projects.presenters import format_number, has_value


@dataclass
class RowContext:
    """What every row of a page shares, computed once."""

    ctx: object  # the FilterContext: lists, people, custom fields
    task_prefix: str
    can_edit: bool
    columns: int = 0
    today: datetime.date = field(default_factory=timezone.localdate)
    chinese: bool = False
    priorities: dict = field(default_factory=dict)
    labels: dict = field(default_factory=dict)

    def __post_init__(self):
        self.chinese = (get_language() or "").startswith("zh")
        self.priorities = {value: str(label) for value, label in Priority.choices}
        self.columns = 8 + len(self.ctx.fields)
        self.labels = {
            "select": escape(gettext("Select")),
            "rename": escape(gettext("Rename")),
            "done": escape(gettext("Mark as done")),
            "reopen": escape(gettext("Reopen")),
            "nobody": escape(gettext("Nobody")),
            "list": escape(gettext("List")),
            "owner": escape(pgettext("task", "Owner")),
            "due": escape(gettext("Due date")),
            "priority": escape(gettext("Priority")),
            "title": escape(gettext("Title")),
            "archived": escape(gettext("Archived")),
            "subtasks": escape(gettext("Subtasks done")),
        }


def render_rows(rows: list[dict], rc: RowContext, *, group: str = "", groups=None, last_group=None):
    """Rows of a page, with a group header wherever the group changes (not before the first row
    when it continues the group `last_group`, group_token() of the last row of the page above)."""
    parts, current = [], last_group
    for row in rows:
        if group:
            token = group_token(row.get("group_key"))
            if token != current:
                parts.append(_group_header(row.get("group_key"), groups or {}, rc))
            current = token
        parts.append(render_row(row, rc))
    return mark_safe("".join(parts))


def group_token(key) -> str:
    """A group key as the URL of the next page carries it ("" for no value)."""
    return "" if key is None else str(key)


def _group_header(key, groups: dict, rc: RowContext) -> str:
    info = groups.get(key) or {"label": str(key), "count": "", "color": ""}
    color = f" c-{escape(info['color'])}" if info.get("color") else ""
    return (
        f'<tr class="group-row" data-group="{escape(str(key))}"><th colspan="{rc.columns}" '
        f'scope="colgroup"><span class="group-label"><span class="group-name{color}">'
        f'{escape(str(info["label"]))}</span><span class="group-count">{info["count"]}</span>'
        "</span></th></tr>"
    )


def render_row(
    row: dict,
    rc: RowContext,
    *,
    errors: dict | None = None,
    typed: dict | None = None,
    conflict: str | None = None,
    oob: bool = False,
) -> SafeString:
    """One card's row. `errors` (by field), `typed` (what the user sent) and `conflict` (the
    title someone else saved meanwhile) show an inline edit that did not go through. `oob`: to
    replace, out of band, every copy of the row on the page (grouped by tag, a card may show
    twice); wrap it in a <template> (a <tr> outside a table is dropped by the HTML parser)."""
    errors, typed = errors or {}, typed or {}
    number = row["number"]
    url = f"{rc.task_prefix}{number}"
    reference = escape(f"{rc.ctx.project.key}-{number}")
    done = row["completed_at"] is not None
    classes = "row" + (" is-done" if done else "") + (" is-archived" if row["archived_at"] else "")
    classes += " has-error" if errors or conflict else ""
    swap = f" hx-swap-oob=\"outerHTML:tr[data-task-id='{row['id']}']\"" if oob else ""
    parts = [
        f'<tr class="{classes}" data-task-id="{row["id"]}" hx-target="this" hx-swap="outerHTML"'
        f"{swap}>",
        f'<td class="cell-check"><input type="checkbox" class="bulk-check" name="tasks" '
        f'value="{row["id"]}" aria-label="{rc.labels["select"]} {reference}"></td>',
        f'<td class="cell-ref"><a class="card-ref" href="{url}" hx-get="{url}" '
        f'hx-target="#panel-body" hx-swap="innerHTML" hx-push-url="true">{reference}</a></td>',
        _title_cell(row, rc, url, done, errors, typed, conflict),
        _list_cell(row, rc, url, errors),
        _owner_cell(row, rc, url, errors),
        _due_cell(row, rc, url, done, errors, typed),
        _priority_cell(row, rc, url, errors),
        _tags_cell(row),
    ]
    values = row["custom_values"] or {}
    parts.extend(_field_cell(custom, values.get(str(custom.pk)), rc) for custom in rc.ctx.fields)
    parts.append("</tr>")
    return mark_safe("".join(parts))


def _form(action: str, fields: str, *, change: bool = False, extra: str = "") -> str:
    """An inline editor's form: htmx posts it (on `change`, or on Enter) with `view=row`, and the
    row that comes back replaces this one. CSRF travels in htmx's header, as everywhere."""
    trigger = ' hx-trigger="change"' if change else ""
    view = '<input type="hidden" name="view" value="row">'
    return f'<form hx-post="{action}"{trigger}{extra}>{view}{fields}'


def _field_errors(errors: dict, *names: str) -> str:
    return "".join(
        f'<p class="field-error">{escape(str(message))}</p>'
        for name in names
        for message in errors.get(name, [])
    )


def _title_cell(row, rc: RowContext, url, done, errors, typed, conflict) -> str:
    title = escape(row["title"])
    parts = ['<td class="cell-title"><div class="row-title-wrap">']
    is_done = " is-done" if done else ""
    if rc.can_edit:
        label = rc.labels["reopen"] if done else rc.labels["done"]
        parts.append(
            _form(f"{url}/done", f'<input type="hidden" name="done" value="{0 if done else 1}">')
            + f'<button type="submit" class="done-toggle done-toggle-sm{is_done}"'
            f' title="{label}" aria-label="{label}" aria-pressed="{"true" if done else "false"}">'
            "✓</button></form>"
        )
    else:
        parts.append(
            f'<span class="done-toggle done-toggle-sm{" is-done" if done else ""}">✓</span>'
        )
    editing = bool(errors.get("title") or conflict or errors.get("general"))
    parts.append(
        f'<div class="row-title" x-data="inlineEdit"{' x-init="edit"' if editing else ""}>'
        f'<a class="row-title-link" href="{url}" hx-get="{url}" hx-target="#panel-body" '
        f'hx-swap="innerHTML" hx-push-url="true" x-show="!editing">{title}</a>'
    )
    if row["archived_at"]:
        parts.append(f'<span class="badge row-archived">{rc.labels["archived"]}</span>')
    if total := row["subtasks_total"]:
        parts.append(
            f'<span class="card-checklist" title="{rc.labels["subtasks"]}">'
            f"☑ {row['subtasks_done']}/{total}</span>"
        )
    if rc.can_edit:
        value = escape(typed["title"]) if "title" in typed else title
        parts.append(
            f'<button type="button" class="icon-button row-edit" x-show="!editing" @click="edit" '
            f'title="{rc.labels["rename"]}" aria-label="{rc.labels["rename"]}">✎</button>'
            + _form(
                f"{url}/update",
                '<input type="hidden" name="_fields" value="title">'
                f'<input type="hidden" name="version" value="{row["version"]}">',
                extra=' class="row-title-form" x-show="editing" x-cloak',
            )
            + f'<input type="text" name="title" value="{value}" maxlength="{TITLE_MAX_LENGTH}" '
            f'x-ref="input" @keydown="keydown" aria-label="{rc.labels["title"]}"></form>'
        )
    parts.append("</div></div>")
    if conflict is not None:
        message = escape(
            gettext(
                "Someone else changed the title meanwhile to “%(title)s”. Save again to keep yours."
            )
            % {"title": conflict}
        )
        parts.append(f'<p class="field-error" role="alert">{message}</p>')
    parts.append(_field_errors(errors, "title", "general"))
    parts.append("</td>")
    return "".join(parts)


def _select(name: str, options: str, value, label: str, current: str, extra_class: str = "") -> str:
    return (
        f'<select name="{name}" class="cell-select{extra_class}" data-options="{options}" '
        f'data-value="{escape(str(value))}" aria-label="{label}">'
        f'<option value="{escape(str(value))}" selected>{current}</option></select>'
    )


def _list_cell(row, rc: RowContext, url, errors) -> str:
    task_list = row["list"]
    name = escape(task_list.name) if task_list else ""
    if not rc.can_edit:
        return f'<td class="cell-list">{name}</td>'
    return (
        '<td class="cell-list">'
        + _form(f"{url}/move", "", change=True)
        + _select("list", "lists", row["list_id"], rc.labels["list"], name)
        + "</form>"
        + _field_errors(errors, "list", "position")
        + "</td>"
    )


def _avatar(name: str, email: str, color: str, size: str = "xs") -> str:
    return (
        f'<span class="avatar avatar-{size} c-{escape(color or "gray")}" title="{escape(name)}">'
        f"{escape(initials_of(name, email))}</span>"
    )


def _owner_cell(row, rc: RowContext, url, errors) -> str:
    owner_id = row["assignee_id"]
    name = row["assignee__name"] or row["assignee__email"] or ""
    avatar = (
        _avatar(name, row["assignee__email"], row["assignee__avatar_color"])
        if owner_id
        else '<span class="avatar avatar-xs avatar-empty" aria-hidden="true"></span>'
    )
    label = escape(name) if owner_id else rc.labels["nobody"]
    if not rc.can_edit:
        muted = "" if owner_id else ' class="muted"'
        person = f'<span class="cell-person">{avatar}<span{muted}>{label}</span></span>'
        return f'<td class="cell-owner">{person}</td>'
    return (
        '<td class="cell-owner">'
        + _form(
            f"{url}/update",
            '<input type="hidden" name="_fields" value="assignee">',
            change=True,
        )
        + f'<span class="cell-person">{avatar}'
        + _select("assignee", "people", owner_id or "", rc.labels["owner"], label)
        + "</span></form>"
        + _field_errors(errors, "assignee")
        + "</td>"
    )


def _due_cell(row, rc: RowContext, url, done, errors, typed) -> str:
    due = row["due_date"]
    state = "none" if due is None or done else (due_state(due, rc.today) or "later")
    if not rc.can_edit:
        if due is None:
            return '<td class="cell-due"><span class="muted">—</span></td>'
        text = escape(short_date(due, rc.today.year, rc.chinese))
        return f'<td class="cell-due"><span class="badge badge-{state}">{text}</span></td>'
    value = escape(typed["due_date"]) if "due_date" in typed else (due.isoformat() if due else "")
    return (
        '<td class="cell-due">'
        + _form(
            f"{url}/update",
            '<input type="hidden" name="_fields" value="due_date">',
            change=True,
        )
        + f'<input type="date" name="due_date" value="{value}" class="cell-date due-{state}" '
        f'aria-label="{rc.labels["due"]}"></form>' + _field_errors(errors, "due_date") + "</td>"
    )


def _priority_cell(row, rc: RowContext, url, errors) -> str:
    value = row["priority"]
    label = escape(rc.priorities.get(value, ""))
    if not rc.can_edit:
        if not value:
            return '<td class="cell-priority"><span class="muted">—</span></td>'
        return (
            f'<td class="cell-priority"><span class="priority priority-{value}">{label}</span></td>'
        )
    return (
        f'<td class="cell-priority"><span class="priority-dot priority-{value}"></span>'
        + _form(
            f"{url}/update",
            '<input type="hidden" name="_fields" value="priority">',
            change=True,
        )
        + _select(
            "priority", "priorities", value, rc.labels["priority"], label, f" priority-{value}"
        )
        + "</form>"
        + _field_errors(errors, "priority")
        + "</td>"
    )


def _tags_cell(row) -> str:
    tags = "".join(
        f'<span class="tag c-{escape(tag.color)}">{escape(tag.name)}</span>' for tag in row["tags"]
    )
    return f'<td class="cell-tags"><span class="cell-chips">{tags}</span></td>'


def _field_cell(custom, value, rc: RowContext) -> str:
    kind = custom.kind
    css = f"cell-field cell-kind-{kind}"
    if not has_value(value):
        return f'<td class="{css}"></td>'
    match kind:
        case FieldKind.NUMBER:
            text = escape(format_number(value))
        case FieldKind.DATE:
            try:
                day = datetime.date.fromisoformat(str(value))
            except ValueError:
                text = escape(str(value))
            else:
                text = escape(short_date(day, rc.today.year, rc.chinese))
        case FieldKind.SELECT | FieldKind.MULTI:
            chosen = set(value) if isinstance(value, list) else {value}
            chips = "".join(
                _chip(option) for option in custom.options or [] if option.get("id") in chosen
            )
            text = f'<span class="cell-chips">{chips}</span>'
        case FieldKind.MEMBER:
            person = getattr(rc.ctx, "member_people", {}).get(value)
            if person is None:
                text = ""
            else:
                name = person.name or person.email
                text = (
                    f'<span class="cell-person">{_avatar(name, person.email, person.avatar_color)}'
                    f"<span>{escape(name)}</span></span>"
                )
        case FieldKind.CHECKBOX:
            text = '<span class="cell-checked">✓</span>'
        case FieldKind.URL:
            text = _link(str(value))
        case _:
            full = escape(str(value))
            text = f'<span class="cell-text" title="{full}">{full}</span>'
    return f'<td class="{css}">{text}</td>'


def _chip(option: dict) -> str:
    color, name = escape(option.get("color") or "gray"), escape(option.get("name", ""))
    return f'<span class="tag c-{color}">{name}</span>'


def _link(url: str) -> str:
    """A stored URL as a link, when it is one (http or https); otherwise as text."""
    full = escape(url)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f'<span class="cell-text" title="{full}">{full}</span>'
    shown = escape((parts.netloc + parts.path).rstrip("/"))
    return (
        f'<a class="cell-text cell-link" href="{full}" target="_blank" rel="noopener noreferrer" '
        f'title="{full}">{shown}</a>'
    )
