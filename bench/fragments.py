"""Fragments benchmark: board cards, list-view rows and My tasks rows built by today's string
builders (projects/cards.py, rows.py, my_task_rows.py) against the same HTML from Jinja2 templates
(Django's Jinja2 backend, autoescape on) and, for cards, from Django's own template engine.

    .venv/bin/python bench/fragments.py                  # 5,000 cards, rows and My tasks rows
    .venv/bin/python bench/fragments.py --cards 5000 --repeat 7 --no-django

No database and no server: Django is set up (DJANGO_SETTINGS_MODULE=baton.settings, a temporary
BATON_DATA_DIR, removed at the end, Chinese active) and every SQL query is refused while the
benchmark runs. The inputs are built in memory, with a fixed seed, in the shapes the builders
consume: the card rows of queries.CARD_VALUES turned into card dicts by queries._card() (what
cards_from_rows() does after its tag query), the list view's table.ROW_VALUES rows with their tags
and list attached (as table.build_rows() does) and a RowContext over unsaved CustomField / User /
TaskList instances, and My tasks dicts from queries.my_task_row(). A board of after-sales cards:
Chinese titles (one in thirty with `"`, `'`, `&` or `<`), 0-3 coloured tags, an owner for nine in
ten (Chinese, Latin and e-mail-only people), due dates from ten days ago to twenty ahead or none,
priorities, subtask counts on a quarter, done cards in the done list, and custom fields: 订单号
(text, required: cards without one are marked incomplete), 重要性 (number), 渠道 (select), 已回访
(checkbox) and 跟进人 (member) on the card; 问题分类 (multi-select), 物流链接 (URL) and 承诺日期
(date) only in the list view's columns.

Templates (strings in this file, from a DictLoader, through django.template.backends.jinja2.Jinja2
with the i18n extension and Django's gettext installed, newstyle): the card, a list view row (the
editor's and the read-only layouts, without the inline-edit error states and the out-of-band
wrapper, which the page does not render) and a My tasks row. Helpers the builders call are the
templates' globals and filters (short_date, due_state, initials_of, urlsplit and the presenters'
format_number and has_value).
Variants for cards: `jinja2` (the card's markup inline in the board's loop, dict items read as
`card["title"]`, all N cards in one render), `jinja2_paged` (the same template rendered once per
page of BATON_BOARD_MAX_PAGE_SIZE (400) cards, as the board's requests bring them: one render of
5,000 cards holds ~100 small strings a card until its final join, which costs more per card than
400 do), `jinja2_macro` (the card as a macro called once a card: how
the board, a move's answer and the panel's refresh would share it), `jinja2_dot` (inline, read as
`card.title`: Jinja2 tries the attribute first, a failed getattr on a dict, then the item) and
`django_template` (Django's engine, the same markup inline in a `{% for %}`).

Same HTML: every variant's whole output is compared with the builder's before anything is timed,
and the run stops if one differs. Django's template engine must match byte for byte. Jinja2 spells
two escapes differently (markupsafe writes `&#34;` and `&#39;` where html.escape writes `&quot;`
and `&#x27;`, the same characters to a browser): its output is compared after replacing those two
spellings, and `same_bytes` says whether it matched even without that. The read-only row layout
and the mixed My tasks rows (done, read-only, subtasks) are checked too.

Timing: one warm-up call of each variant, then `--repeat` (7) repetitions; in each, every variant
renders all N fragments once, in alternating order (forward, then backward), after gc.collect().
`*_us` are the best repetition's microseconds per fragment, `*_ms` the same repetition's total for
all N; `*_vs_builder` the median over repetitions of (variant / builder in the same repetition), so
a machine whose speed drifts between repetitions still compares like with like; `jinja2_vs_builder`
is `jinja2_cards_vs_builder`. Prints one JSON line.

The garbage collector runs as in a server (`gc: true`), which matters: every escaped value is a
tracked object (markupsafe's Markup, Django's SafeString), and a template holds all of its output's
pieces until its final join, so rendering thousands of cards at once sets off collections that
walk the whole heap (and the heap here holds N cards, N rows and N My tasks rows). `--gc-off`
disables it while rendering, to see the engines' own cost.
"""

import argparse
import datetime
import gc
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from board import DONE_LIST, GIVEN, LIST_NAMES, PROBLEMS, SURNAMES

TASK_PREFIX = "/o/ya-ce-qi-jian-dian/SH-"
MY_TASK_BASE = "/o/ya-ce-qi-jian-dian/"
CSRF_TOKEN = "Xq3d9LkP0aZ7vN2mB5cR8tY1uW4eS6hJgF0oI9pK3lM7nQ2rT5sV8wX1yZ4aB6cD"

# ---------------------------------------------------------------- templates

# The card, as cards.render_card() writes it. Python string concatenation keeps the output free of
# template whitespace, like the builder's.
JINJA_CARD = (
    '{% set url = task_prefix ~ card["number"] %}'
    '<a id="task-{{ card["pk"] }}" class="card{% if card["done"] %} is-done{% endif %}'
    '{% if card["archived"] %} is-archived{% endif %}" '
    'href="{{ url }}" data-task-id="{{ card["pk"] }}" data-move-url="{{ url }}/move" '
    'hx-get="{{ url }}" hx-target="#panel-body" hx-push-url="true"'
    '{% if oob %} hx-swap-oob="true"{% endif %}>'
    '{% if card["tags"] %}<span class="card-tags">{% for tag in card["tags"] %}'
    '<span class="tag c-{{ tag["color"] }}">{{ tag["name"] }}</span>'
    "{% endfor %}</span>{% endif %}"
    '<span class="card-title">{{ card["title"] }}</span>'
    '{% if card["fields"] %}<span class="card-fields">{% for field in card["fields"] %}'
    '{% if field["chips"] %}{% for chip in field["chips"] %}'
    '<span class="tag c-{{ chip["color"] }}" title="{{ field["name"] }}">{{ chip["name"] }}</span>'
    '{% endfor %}{% elif field["kind"] == "checkbox" %}'
    '<span class="card-field card-field-check">✓ {{ field["name"] }}</span>'
    '{% else %}<span class="card-field" title="{{ field["name"] }}"><span class="card-field-name">'
    '{{ field["name"] }}</span> <span class="card-field-value">{{ field["text"] }}</span></span>'
    "{% endif %}{% endfor %}</span>{% endif %}"
    '<span class="card-meta">'
    '{% if card["done"] %}<span class="card-done">✓</span>{% endif %}'
    '{% if card["archived"] %}<span class="card-archived">{{ _("Archived") }}</span>{% endif %}'
    '<span class="card-ref">{{ card["reference"] }}</span>'
    '{% if card["missing"] %}<span class="card-incomplete" title="'
    '{{ _("Required fields are empty: %(names)s", names=card["missing"]|join(", ")) }}">'
    '{{ _("Incomplete") }}</span>{% endif %}'
    '{% if card["subtasks_total"] %}<span class="card-checklist'
    '{% if card["subtasks_done"] == card["subtasks_total"] %} is-complete{% endif %}" '
    'title="{{ _("Subtasks done") }}">☑ {{ card["subtasks_done"] }}/{{ card["subtasks_total"] }}'
    "</span>{% endif %}"
    '{% if card["priority"] %}<span class="priority priority-{{ card["priority"] }}">'
    '{{ card["priority_label"] }}</span>{% endif %}'
    '{% if card["due_label"] %}<span class="badge badge-{{ card["due_state"] }}">'
    '{{ card["due_label"] }}</span>{% endif %}'
    '{% set person = card["assignee"] %}{% if person %}'
    '<span class="avatar avatar-sm c-{{ person["avatar_color"] }}" title="{{ person["name"] }}">'
    '{{ person["initials"] }}</span>{% endif %}'
    "</span></a>"
)
# The same card read with dots (`card.title`), as Jinja2 templates are usually written.
JINJA_CARD_DOT = re.sub(r'\["(\w+)"\]', r".\1", JINJA_CARD)

DJANGO_CARD = (
    '<a id="task-{{ card.pk }}" class="card{% if card.done %} is-done{% endif %}'
    '{% if card.archived %} is-archived{% endif %}" '
    'href="{{ task_prefix }}{{ card.number }}" data-task-id="{{ card.pk }}" '
    'data-move-url="{{ task_prefix }}{{ card.number }}/move" '
    'hx-get="{{ task_prefix }}{{ card.number }}" hx-target="#panel-body" hx-push-url="true"'
    '{% if oob %} hx-swap-oob="true"{% endif %}>'
    '{% if card.tags %}<span class="card-tags">{% for tag in card.tags %}'
    '<span class="tag c-{{ tag.color }}">{{ tag.name }}</span>{% endfor %}</span>{% endif %}'
    '<span class="card-title">{{ card.title }}</span>'
    '{% if card.fields %}<span class="card-fields">{% for field in card.fields %}'
    "{% if field.chips %}{% for chip in field.chips %}"
    '<span class="tag c-{{ chip.color }}" title="{{ field.name }}">{{ chip.name }}</span>'
    '{% endfor %}{% elif field.kind == "checkbox" %}'
    '<span class="card-field card-field-check">✓ {{ field.name }}</span>'
    '{% else %}<span class="card-field" title="{{ field.name }}"><span class="card-field-name">'
    '{{ field.name }}</span> <span class="card-field-value">{{ field.text }}</span></span>'
    "{% endif %}{% endfor %}</span>{% endif %}"
    '<span class="card-meta">'
    '{% if card.done %}<span class="card-done">✓</span>{% endif %}'
    '{% if card.archived %}<span class="card-archived">{% translate "Archived" %}</span>'
    "{% endif %}"
    '<span class="card-ref">{{ card.reference }}</span>'
    '{% if card.missing %}<span class="card-incomplete" title="'
    '{% blocktranslate with names=card.missing|join:", " %}Required fields are empty: {{ names }}'
    '{% endblocktranslate %}">{% translate "Incomplete" %}</span>{% endif %}'
    '{% if card.subtasks_total %}<span class="card-checklist'
    "{% if card.subtasks_done == card.subtasks_total %} is-complete{% endif %}"
    '" title="{% translate "Subtasks done" %}">☑ {{ card.subtasks_done }}/{{ card.subtasks_total }}'
    "</span>{% endif %}"
    '{% if card.priority %}<span class="priority priority-{{ card.priority }}">'
    "{{ card.priority_label }}</span>{% endif %}"
    '{% if card.due_label %}<span class="badge badge-{{ card.due_state }}">{{ card.due_label }}'
    "</span>{% endif %}"
    "{% if card.assignee %}"
    '<span class="avatar avatar-sm c-{{ card.assignee.avatar_color }}" '
    'title="{{ card.assignee.name }}">{{ card.assignee.initials }}</span>{% endif %}'
    "</span></a>"
)

# A list view row, as rows.render_row() writes it on a page (no errors, not out of band).
JINJA_ROW_MACROS = (
    '{% macro select(name, options, value, label, current, extra_class="") %}'
    '<select name="{{ name }}" class="cell-select{{ extra_class }}" data-options="{{ options }}" '
    'data-value="{{ value }}" aria-label="{{ label }}">'
    '<option value="{{ value }}" selected>{{ current }}</option></select>{% endmacro %}'
    '{% macro avatar(name, email, color, size="xs") %}'
    '<span class="avatar avatar-{{ size }} c-{{ color or "gray" }}" title="{{ name }}">'
    "{{ initials_of(name, email) }}</span>{% endmacro %}"
)
JINJA_ROW = (
    '{% set number = row["number"] %}{% set url = task_prefix ~ number %}'
    '{% set reference = key ~ "-" ~ number %}{% set done = row["completed_at"] is not none %}'
    '<tr class="row{% if done %} is-done{% endif %}{% if row["archived_at"] %} is-archived'
    '{% endif %}" data-task-id="{{ row["id"] }}" hx-target="this" hx-swap="outerHTML">'
    '<td class="cell-check"><input type="checkbox" class="bulk-check" name="tasks" '
    'value="{{ row["id"] }}" aria-label="{{ labels["select"] }} {{ reference }}"></td>'
    '<td class="cell-ref"><a class="card-ref" href="{{ url }}" hx-get="{{ url }}" '
    'hx-target="#panel-body" hx-swap="innerHTML" hx-push-url="true">{{ reference }}</a></td>'
    # title
    '<td class="cell-title"><div class="row-title-wrap">'
    '{% if can_edit %}{% set label = labels["reopen"] if done else labels["done"] %}'
    '<form hx-post="{{ url }}/done"><input type="hidden" name="view" value="row">'
    '<input type="hidden" name="done" value="{{ 0 if done else 1 }}">'
    '<button type="submit" class="done-toggle done-toggle-sm{% if done %} is-done{% endif %}"'
    ' title="{{ label }}" aria-label="{{ label }}" '
    'aria-pressed="{{ "true" if done else "false" }}">'
    "✓</button></form>"
    '{% else %}<span class="done-toggle done-toggle-sm{% if done %} is-done{% endif %}">✓</span>'
    "{% endif %}"
    '<div class="row-title" x-data="inlineEdit">'
    '<a class="row-title-link" href="{{ url }}" hx-get="{{ url }}" hx-target="#panel-body" '
    'hx-swap="innerHTML" hx-push-url="true" x-show="!editing">{{ row["title"] }}</a>'
    '{% if row["archived_at"] %}<span class="badge row-archived">{{ labels["archived"] }}</span>'
    "{% endif %}"
    '{% if row["subtasks_total"] %}<span class="card-checklist" title="{{ labels["subtasks"] }}">'
    '☑ {{ row["subtasks_done"] }}/{{ row["subtasks_total"] }}</span>{% endif %}'
    "{% if can_edit %}"
    '<button type="button" class="icon-button row-edit" x-show="!editing" @click="edit" '
    'title="{{ labels["rename"] }}" aria-label="{{ labels["rename"] }}">✎</button>'
    '<form hx-post="{{ url }}/update" class="row-title-form" x-show="editing" x-cloak>'
    '<input type="hidden" name="view" value="row"><input type="hidden" name="_fields" '
    'value="title"><input type="hidden" name="version" value="{{ row["version"] }}">'
    '<input type="text" name="title" value="{{ row["title"] }}" maxlength="{{ title_max }}" '
    'x-ref="input" @keydown="keydown" aria-label="{{ labels["title"] }}"></form>{% endif %}'
    "</div></div></td>"
    # list
    '{% set task_list = row["list"] %}{% set list_name = task_list.name if task_list else "" %}'
    '{% if can_edit %}<td class="cell-list"><form hx-post="{{ url }}/move" hx-trigger="change">'
    '<input type="hidden" name="view" value="row">'
    '{{ select("list", "lists", row["list_id"], labels["list"], list_name) }}</form></td>'
    '{% else %}<td class="cell-list">{{ list_name }}</td>{% endif %}'
    # owner
    '{% set owner_id = row["assignee_id"] %}'
    '{% set name = row["assignee__name"] or row["assignee__email"] or "" %}'
    '{% set owner = name if owner_id else labels["nobody"] %}'
    '{% if can_edit %}<td class="cell-owner"><form hx-post="{{ url }}/update" '
    'hx-trigger="change"><input type="hidden" name="view" value="row">'
    '<input type="hidden" name="_fields" value="assignee"><span class="cell-person">'
    '{% if owner_id %}{{ avatar(name, row["assignee__email"], row["assignee__avatar_color"]) }}'
    '{% else %}<span class="avatar avatar-xs avatar-empty" aria-hidden="true"></span>{% endif %}'
    '{{ select("assignee", "people", owner_id or "", labels["owner"], owner) }}</span></form></td>'
    '{% else %}<td class="cell-owner"><span class="cell-person">'
    '{% if owner_id %}{{ avatar(name, row["assignee__email"], row["assignee__avatar_color"]) }}'
    '{% else %}<span class="avatar avatar-xs avatar-empty" aria-hidden="true"></span>{% endif %}'
    '<span{% if not owner_id %} class="muted"{% endif %}>{{ owner }}</span></span></td>'
    "{% endif %}"
    # due date
    '{% set due = row["due_date"] %}'
    '{% set state = "none" if due is none or done else (due_state(due, today) or "later") %}'
    '{% if can_edit %}<td class="cell-due"><form hx-post="{{ url }}/update" hx-trigger="change">'
    '<input type="hidden" name="view" value="row">'
    '<input type="hidden" name="_fields" value="due_date">'
    '<input type="date" name="due_date" value="{{ due.isoformat() if due else "" }}" '
    'class="cell-date due-{{ state }}" aria-label="{{ labels["due"] }}"></form></td>'
    '{% elif due is none %}<td class="cell-due"><span class="muted">—</span></td>'
    '{% else %}<td class="cell-due"><span class="badge badge-{{ state }}">'
    "{{ short_date(due, today.year, chinese) }}</span></td>{% endif %}"
    # priority
    '{% set priority = row["priority"] %}{% set priority_label = priorities.get(priority, "") %}'
    '{% if can_edit %}<td class="cell-priority"><span class="priority-dot priority-{{ priority }}">'
    '</span><form hx-post="{{ url }}/update" hx-trigger="change">'
    '<input type="hidden" name="view" value="row">'
    '<input type="hidden" name="_fields" value="priority">'
    '{{ select("priority", "priorities", priority, labels["priority"], priority_label,'
    ' " priority-" ~ priority) }}</form></td>'
    '{% elif not priority %}<td class="cell-priority"><span class="muted">—</span></td>'
    '{% else %}<td class="cell-priority"><span class="priority priority-{{ priority }}">'
    "{{ priority_label }}</span></td>{% endif %}"
    # tags
    '<td class="cell-tags"><span class="cell-chips">{% for tag in row["tags"] %}'
    '<span class="tag c-{{ tag.color }}">{{ tag.name }}</span>{% endfor %}</span></td>'
    # custom fields
    '{% set values = row["custom_values"] or {} %}'
    "{% for custom in fields %}{% set value = values.get(custom.pk|string) %}"
    '{% set kind = custom.kind %}<td class="cell-field cell-kind-{{ kind }}">'
    "{% if not has_value(value) %}"
    '{% elif kind == "number" %}{{ value|number }}'
    '{% elif kind == "date" %}{{ value|field_date(today.year, chinese) }}'
    '{% elif kind == "select" or kind == "multi" %}'
    "{% set chosen = value if value is sequence and value is not string else [value] %}"
    '<span class="cell-chips">'
    '{% for option in custom.options or [] if option.get("id") in chosen %}'
    '<span class="tag c-{{ option.get("color") or "gray" }}">{{ option.get("name", "") }}</span>'
    "{% endfor %}</span>"
    '{% elif kind == "member" %}{% set person = member_people.get(value) %}'
    "{% if person is not none %}{% set person_name = person.name or person.email %}"
    '<span class="cell-person">{{ avatar(person_name, person.email, person.avatar_color) }}'
    "<span>{{ person_name }}</span></span>{% endif %}"
    '{% elif kind == "checkbox" %}<span class="cell-checked">✓</span>'
    '{% elif kind == "url" %}{% set link = urlsplit(value|string) %}'
    '{% if link.scheme not in ("http", "https") or not link.netloc %}'
    '<span class="cell-text" title="{{ value }}">{{ value }}</span>'
    '{% else %}<a class="cell-text cell-link" href="{{ value }}" target="_blank" '
    'rel="noopener noreferrer" title="{{ value }}">{{ (link.netloc ~ link.path).rstrip("/") }}</a>'
    "{% endif %}"
    '{% else %}<span class="cell-text" title="{{ value }}">{{ value }}</span>{% endif %}'
    "</td>{% endfor %}</tr>"
)

# A row of My tasks, as my_task_rows.render_my_task_row() writes it.
JINJA_MY_TASK = (
    "{% macro form(task, value, undo=False) %}"
    '{% set url = done_base ~ task["reference"] ~ "/done" %}'
    '<form{% if undo %} class="my-task-undo"{% endif %} method="post" action="{{ url }}" '
    'hx-post="{{ url }}" hx-target="#my-task-{{ task["pk"] }}" hx-swap="outerHTML">'
    '<input type="hidden" name="csrfmiddlewaretoken" value="{{ csrf_token }}">'
    '<input type="hidden" name="done" value="{{ value }}">{% endmacro %}'
    '{% for task in tasks %}{% set ref = task["reference"] %}{% set done = task["done"] %}'
    '<li class="my-task{% if done %} is-done{% endif %}" id="my-task-{{ task["pk"] }}">'
    '{% if task["can_edit"] %}{{ form(task, "0" if done else "1") }}'
    '<button type="submit" class="my-task-check" aria-pressed="{{ "true" if done else "false" }}" '
    'title="{{ _("Reopen") if done else _("Mark as done") }}" aria-label="'
    '{{ _("Reopen %(ref)s", ref=ref) if done else _("Mark %(ref)s as done", ref=ref) }}">'
    "✓</button></form>"
    '{% else %}<span class="my-task-check is-readonly" '
    'title="{{ _("You can view this project but not change it") }}"></span>{% endif %}'
    '<a class="my-task-link" href="{{ task_base }}{{ ref }}" data-kbd-row>'
    '<span class="my-task-main"><span class="my-task-ref">{{ ref }}</span>'
    '{% set parent = task["parent_title"] %}{% if parent %}'
    '<span class="my-task-parent" title="{{ _("Subtask of %(title)s", title=parent) }}">'
    "{{ parent }}</span>"
    '<span class="my-task-sep" aria-hidden="true">›</span>{% endif %}'  # noqa: RUF001
    '<span class="my-task-title">{{ task["title"] }}</span></span>'
    '<span class="my-task-where"><span class="project-dot c-{{ task["project_color"] }}"></span>'
    '<span class="truncate">{{ task["project_name"] }}</span>'
    '<span class="my-task-list-name truncate">{{ task["list_name"] }}</span></span>'
    '<span class="my-task-priority">{% if task["priority"] %}'
    '<span class="priority priority-{{ task["priority"] }}">{{ task["priority_label"] }}</span>'
    '{% endif %}</span><span class="my-task-due">{% if task["due_label"] %}'
    '<span class="badge badge-{{ task["due_state"] }}">{{ task["due_label"] }}</span>{% endif %}'
    "</span></a>"
    '{% if done and task["can_edit"] %}{{ form(task, "0", undo=True) }}'
    '<span class="my-task-done-note">{{ _("Done") }}</span>'
    '<button type="submit" class="link-button">{{ _("Undo") }}</button></form>{% endif %}'
    "</li>{% endfor %}"
)

JINJA_TEMPLATES = {
    "board.html": "{% for card in cards %}" + JINJA_CARD + "{% endfor %}",
    "board_dot.html": "{% for card in cards %}" + JINJA_CARD_DOT + "{% endfor %}",
    "card.html": "{% macro card(card, task_prefix, oob=False) %}" + JINJA_CARD + "{% endmacro %}",
    "board_macro.html": (
        '{% from "card.html" import card as render_card %}'
        "{% for c in cards %}{{ render_card(c, task_prefix) }}{% endfor %}"
    ),
    "rows.html": JINJA_ROW_MACROS + "{% for row in rows %}" + JINJA_ROW + "{% endfor %}",
    "my_tasks.html": JINJA_MY_TASK,
}
DJANGO_BOARD = "{% load i18n %}{% for card in cards %}" + DJANGO_CARD + "{% endfor %}"


# ---------------------------------------------------------------- inputs

SPECIAL_TITLES = [
    '客户说"{problem}"，要求补偿',  # noqa: RUF001
    "{problem} & 补发赠品",
    "<急> {problem}",
    "Amy's order: {problem}",
]
CHANNELS = [("tb", "淘宝", "orange"), ("jd", "京东", "red"), ("dy", "抖音", "gray")]
CHANNELS += [("pdd", "拼多多", "pink")]
CATEGORIES = [("zl", "质量", "purple"), ("wl", "物流", "blue"), ("fw", "服务", "teal")]
CATEGORIES += [("jg", "价格", "yellow")]


def options_of(choices) -> list[dict]:
    return [{"id": key, "name": name, "color": color} for key, name, color in choices]


def make_world(rng: random.Random, today: datetime.date) -> SimpleNamespace:
    """The project, people, lists, tags and custom fields, as unsaved model instances."""
    from baton.accounts.models import User
    from baton.core.colors import color_for
    from baton.projects.models import CustomField, FieldKind, Project, Tag, TaskList
    from baton.projects.services.tags import AFTER_SALES_TAGS

    project = Project(pk=1, key="SH", name="售后处理", color="blue")
    names = [rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(["", *GIVEN]) for _ in range(9)]
    names += ["Li Wei", "Amy O'Neil", ""]
    people = []
    for pk, name in enumerate(names, start=1):
        email = f"kefu{pk:02d}@baton.local"
        people.append(User(pk=pk, name=name, email=email, avatar_color=color_for(email)))
    lists = [
        TaskList(pk=100 + i, project=project, name=name, position=i, is_done=name == DONE_LIST)
        for i, name in enumerate(LIST_NAMES)
    ]
    tags = [
        Tag(pk=200 + i, name=name, color=color) for i, (name, color) in enumerate(AFTER_SALES_TAGS)
    ]
    tags.append(Tag(pk=299, name="VIP&复购", color="pink"))
    kinds = [
        ("订单号", FieldKind.TEXT, True, True, []),
        ("重要性", FieldKind.NUMBER, False, True, []),
        ("渠道", FieldKind.SELECT, False, True, options_of(CHANNELS)),
        ("已回访", FieldKind.CHECKBOX, False, True, []),
        ("跟进人", FieldKind.MEMBER, False, True, []),
        ("问题分类", FieldKind.MULTI, False, False, options_of(CATEGORIES)),
        ("物流链接", FieldKind.URL, False, False, []),
        ("承诺日期", FieldKind.DATE, False, False, []),
    ]
    fields = [
        CustomField(
            pk=11 + i,
            project=project,
            name=name,
            kind=kind.value,  # a plain string, as read from the database
            required=required,
            show_on_card=on_card,
            options=options,
            position=i,
        )
        for i, (name, kind, required, on_card, options) in enumerate(kinds)
    ]
    return SimpleNamespace(
        project=project, people=people, lists=lists, tags=tags, fields=fields, today=today
    )


def title_of(rng: random.Random, number: int) -> str:
    problem = rng.choice(PROBLEMS)
    if rng.random() < 1 / 30:
        return rng.choice(SPECIAL_TITLES).format(problem=problem)
    customer = rng.choice(SURNAMES) + rng.choice(GIVEN)
    order = 2026111100000000 + number
    return rng.choice(
        [
            f"{customer}：{problem}",  # noqa: RUF001
            f"订单 {order} · {customer} · {problem}",
            f"{problem}（{customer}，旺旺 buyer_{number}）",  # noqa: RUF001
        ]
    )


def custom_values_of(rng: random.Random, world, number: int) -> dict:
    f = {field.name: str(field.pk) for field in world.fields}
    values: dict = {}
    if rng.random() < 0.85:
        values[f["订单号"]] = f"{2026112400000 + number * 7}"
    if rng.random() < 0.5:
        values[f["重要性"]] = rng.choice([1, 2, 3, 4, 5, 2.5, 0])
    if rng.random() < 0.7:
        values[f["渠道"]] = rng.choice(CHANNELS)[0]
    if rng.random() < 0.2:
        values[f["已回访"]] = True
    if rng.random() < 0.3:
        values[f["跟进人"]] = rng.choice(world.people).pk
    if rng.random() < 0.4:
        values[f["问题分类"]] = [key for key, _n, _c in rng.sample(CATEGORIES, rng.randint(1, 2))]
    if rng.random() < 0.2:
        values[f["物流链接"]] = rng.choice(
            [f"https://www.kuaidi100.com/chaxun?nu=SF{number:010d}", f"顺丰 SF{number:010d}"]
        )
    if rng.random() < 0.3:
        day = world.today + datetime.timedelta(days=rng.randint(-5, 40))
        values[f["承诺日期"]] = rng.choice([day.isoformat()] * 9 + ["下周一"])
    return values


def make_rows(rng: random.Random, world, n: int) -> list[dict]:
    """N rows of a board with what both queries.CARD_VALUES and table.ROW_VALUES read, plus the
    tags (sorted by name, as both queries order them) and the list (table.build_rows())."""
    now = datetime.datetime.now(datetime.UTC)
    rows = []
    for number in range(1, n + 1):
        task_list = rng.choice(world.lists)
        person = rng.choice(world.people) if rng.random() < 0.9 else None
        total = rng.randint(1, 6) if rng.random() < 0.25 else 0
        days = rng.randint(-10, 20)
        rows.append(
            {
                "id": 10_000 + number,
                "list_id": task_list.pk,
                "number": number,
                "title": title_of(rng, number),
                "priority": rng.choice([0, 0, 0, 1, 2, 2, 3, 4]),
                "position": number * 1024.0,
                "due_date": world.today + datetime.timedelta(days=days)
                if rng.random() < 0.8
                else None,
                "completed_at": now if task_list.is_done else None,
                "archived_at": None,
                "assignee_id": person.pk if person else None,
                "assignee__name": person.name if person else None,
                "assignee__email": person.email if person else None,
                "assignee__avatar_color": person.avatar_color if person else None,
                "subtasks_total": total,
                "subtasks_done": rng.randint(0, total),
                "custom_values": custom_values_of(rng, world, number),
                "version": rng.randint(1, 9),
                "tags": sorted(
                    rng.sample(world.tags, rng.choice([0, 1, 1, 2, 2, 3])), key=tag_name
                ),
                "list": task_list,
            }
        )
    return rows


def tag_name(tag) -> str:
    return tag.name


def make_cards(rows: list[dict], world) -> list[dict]:
    """The card dicts cards_from_rows() would return for `rows` (without its tag query)."""
    from baton.projects.queries import _card, _is_chinese, _priority_labels

    on_card = {
        "shown": [field for field in world.fields if field.show_on_card],
        "required": [field for field in world.fields if field.required],
        "people": {person.pk: person.name for person in world.people},
    }
    chinese, priorities = _is_chinese(), _priority_labels()
    return [
        _card(
            row,
            world.project,
            [{"name": tag.name, "color": tag.color} for tag in row["tags"]],
            world.today,
            chinese,
            priorities,
            on_card,
        )
        for row in rows
    ]


def make_my_tasks(rng: random.Random, world, n: int) -> list[dict]:
    """N rows of My tasks from queries.my_task_row(), over three projects."""
    from baton.projects.models import Project
    from baton.projects.queries import _is_chinese, _priority_labels, my_task_row

    projects = [
        world.project,
        Project(pk=2, key="QD", name="大促前端", color="purple"),
        Project(pk=3, key="YY", name="运营月度计划", color="green"),
    ]
    chinese, priorities = _is_chinese(), _priority_labels()
    now = datetime.datetime.now(datetime.UTC)
    tasks = []
    for number in range(1, n + 1):
        subtask = rng.random() < 0.1
        row = {
            "id": 50_000 + number,
            "number": number,
            "title": title_of(rng, number),
            "priority": rng.choice([0, 0, 1, 2, 2, 3, 4]),
            "due_date": world.today + datetime.timedelta(days=rng.randint(-10, 20))
            if rng.random() < 0.8
            else None,
            "completed_at": now if rng.random() < 0.05 else None,
            "project_id": 1,
            "parent_id": 1 if subtask else None,
            "parent__title": title_of(rng, number + 1) if subtask else None,
            "list__name": rng.choice(LIST_NAMES),
            "parent__list__name": rng.choice(LIST_NAMES) if subtask else None,
        }
        task = my_task_row(row, rng.choice(projects), world.today, chinese, priorities)
        task["can_edit"] = rng.random() < 0.85
        tasks.append(task)
    return tasks


# ---------------------------------------------------------------- engines


def jinja2_backend():
    """Django's Jinja2 backend over the templates above, as a project would configure it."""
    import jinja2
    from django.template.backends.jinja2 import Jinja2
    from django.utils.translation import gettext, ngettext

    from baton.accounts.models import initials_of
    from baton.lib.dates import due_state, short_date
    from baton.projects.presenters import format_number, has_value

    def field_date(value, year: int, chinese: bool) -> str:
        try:
            day = datetime.date.fromisoformat(str(value))
        except ValueError:
            return str(value)
        return short_date(day, year, chinese)

    backend = Jinja2(
        {
            "NAME": "jinja2",
            "DIRS": [],
            "APP_DIRS": False,
            "OPTIONS": {
                "loader": jinja2.DictLoader(JINJA_TEMPLATES),
                "extensions": ["jinja2.ext.i18n"],
            },
        }
    )
    env = backend.env
    assert env.autoescape is True
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    env.globals.update(
        short_date=short_date,
        due_state=due_state,
        initials_of=initials_of,
        urlsplit=urlsplit,
        has_value=has_value,
    )
    env.filters.update(number=format_number, field_date=field_date)
    return backend


def row_page_context(world, rc) -> dict:
    """What every row of a list page shares, for the template (RowContext's, unescaped)."""
    from django.utils.translation import gettext, pgettext

    from baton.projects.models import TITLE_MAX_LENGTH

    labels = {
        "select": gettext("Select"),
        "rename": gettext("Rename"),
        "done": gettext("Mark as done"),
        "reopen": gettext("Reopen"),
        "nobody": gettext("Nobody"),
        "list": gettext("List"),
        "owner": pgettext("task", "Owner"),
        "due": gettext("Due date"),
        "priority": gettext("Priority"),
        "title": gettext("Title"),
        "archived": gettext("Archived"),
        "subtasks": gettext("Subtasks done"),
    }
    return {
        "task_prefix": rc.task_prefix,
        "can_edit": rc.can_edit,
        "key": world.project.key,
        "labels": labels,
        "priorities": rc.priorities,
        "today": rc.today,
        "chinese": rc.chinese,
        "fields": rc.ctx.fields,
        "member_people": rc.ctx.member_people,
        "title_max": TITLE_MAX_LENGTH,
    }


# ---------------------------------------------------------------- comparing and timing


def normalised(html: str) -> str:
    """markupsafe's spelling of two escapes as html.escape writes them."""
    return html.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")


def check_same(what: str, expected: str, got: str, *, exact: bool = False) -> bool:
    """Whether `got` is `expected` byte for byte; stops the run if it differs otherwise too."""
    if got == expected:
        return True
    if not exact and normalised(got) == expected:
        return False
    got = got if exact else normalised(got)
    at = next(i for i, (a, b) in enumerate(zip(expected, got, strict=False)) if a != b)
    sys.exit(
        f"{what}: the HTML differs at {at} (lengths {len(expected)} / {len(got)})\n"
        f"  builder:  {expected[max(0, at - 150) : at + 150]!r}\n"
        f"  template: {got[max(0, at - 150) : at + 150]!r}"
    )


def measure(variants: dict, repeat: int, *, collector: bool = True) -> dict[str, list[float]]:
    """Seconds of each variant per repetition, the variants interleaved (alternating order);
    without the garbage collector while rendering when `collector` is false."""
    for render in variants.values():
        render()  # warm-up
    names = list(variants)
    times: dict[str, list[float]] = {name: [] for name in names}
    for index in range(repeat):
        for name in names if index % 2 == 0 else reversed(names):
            gc.collect()
            if not collector:
                gc.disable()
            start = time.perf_counter()
            variants[name]()
            times[name].append(time.perf_counter() - start)
            gc.enable()
    return times


def summarise(times: dict[str, list[float]], n: int, prefix: str, unit: str) -> dict:
    """`<prefix>_<variant>_<unit>_us` (best repetition, per fragment), `..._ms` (all N, best) and
    `<prefix>_<variant>_vs_builder` (median of the per-repetition ratios)."""
    out = {}
    base = times["builder"]
    for name, values in times.items():
        out[f"{name}_{unit}_us"] = round(min(values) / n * 1e6, 2)
        out[f"{name}_{prefix}_ms"] = round(min(values) * 1e3, 1)
        if name != "builder":
            ratios = [value / b for value, b in zip(values, base, strict=True)]
            out[f"{name}_{prefix}_vs_builder"] = round(statistics.median(ratios), 3)
    return out


# ---------------------------------------------------------------- the benchmark


def benchmark(options) -> dict:
    from django.conf import settings
    from django.db import connection
    from django.template import engines
    from django.utils import timezone, translation

    from baton.projects.cards import render_card
    from baton.projects.my_task_rows import render_my_task_row
    from baton.projects.rows import RowContext, render_rows

    translation.activate("zh-hans")
    rng = random.Random(options.seed)
    world = make_world(rng, timezone.localdate())
    rows = make_rows(rng, world, options.cards)
    cards = make_cards(rows, world)
    my_tasks = make_my_tasks(rng, world, options.cards)
    ctx = SimpleNamespace(
        project=world.project,
        fields=world.fields,
        member_people={person.pk: person for person in world.people},
    )
    rc = RowContext(ctx=ctx, task_prefix=TASK_PREFIX, can_edit=True)
    rc_readonly = RowContext(ctx=ctx, task_prefix=TASK_PREFIX, can_edit=False)

    backend = jinja2_backend()
    board = backend.get_template("board.html")
    board_dot = backend.get_template("board_dot.html")
    board_macro = backend.get_template("board_macro.html")
    rows_template = backend.get_template("rows.html")
    my_tasks_template = backend.get_template("my_tasks.html")
    django_board = engines["django"].from_string(DJANGO_BOARD)
    board_context = {"cards": cards, "task_prefix": TASK_PREFIX}
    size = settings.BATON_BOARD_MAX_PAGE_SIZE
    pages = [cards[start : start + size] for start in range(0, len(cards), size)]
    page = row_page_context(world, rc)
    page_readonly = row_page_context(world, rc_readonly)
    my_tasks_context = {
        "tasks": my_tasks,
        "task_base": MY_TASK_BASE,
        "done_base": MY_TASK_BASE,
        "csrf_token": CSRF_TOKEN,
    }

    def builder_cards() -> str:
        return "".join([render_card(card, task_prefix=TASK_PREFIX) for card in cards])

    def builder_my_tasks() -> str:
        return "".join(
            [
                render_my_task_row(
                    task, task_base=MY_TASK_BASE, done_base=MY_TASK_BASE, csrf_token=CSRF_TOKEN
                )
                for task in my_tasks
            ]
        )

    card_variants = {
        "builder": builder_cards,
        "jinja2": lambda: board.render(board_context),
        "jinja2_paged": lambda: "".join(
            [board.render({"cards": chunk, "task_prefix": TASK_PREFIX}) for chunk in pages]
        ),
        "jinja2_macro": lambda: board_macro.render(board_context),
        "jinja2_dot": lambda: board_dot.render(board_context),
    }
    if not options.no_django:
        card_variants["django_template"] = lambda: django_board.render(board_context)
    row_variants = {
        "builder": lambda: render_rows(rows, rc),
        "jinja2": lambda: rows_template.render({"rows": rows, **page}),
    }
    my_task_variants = {
        "builder": builder_my_tasks,
        "jinja2": lambda: my_tasks_template.render(my_tasks_context),
    }

    def no_queries(execute, sql, params, many, context):
        raise AssertionError(f"the benchmark ran a query: {sql}")

    with connection.execute_wrapper(no_queries):
        expected = builder_cards()
        same_bytes = True
        for name, render in card_variants.items():
            if name != "builder":
                exact = name == "django_template"
                same_bytes &= check_same(f"cards ({name})", expected, render(), exact=exact)
        same_bytes &= check_same(
            "rows", render_rows(rows, rc), rows_template.render({"rows": rows, **page})
        )
        same_bytes &= check_same(
            "read-only rows",
            render_rows(rows, rc_readonly),
            rows_template.render({"rows": rows, **page_readonly}),
        )
        same_bytes &= check_same(
            "my tasks", builder_my_tasks(), my_tasks_template.render(my_tasks_context)
        )
        collector = not options.gc_off
        card_times = measure(card_variants, options.repeat, collector=collector)
        row_times = measure(row_variants, options.repeat, collector=collector)
        my_task_times = measure(my_task_variants, options.repeat, collector=collector)

    result = {
        "cards": options.cards,
        "repeat": options.repeat,
        "board_bytes": len(expected.encode()),
        **summarise(card_times, options.cards, "cards", "card"),
        "jinja2_vs_builder": None,
        **summarise(row_times, options.cards, "rows", "row"),
        **summarise(my_task_times, options.cards, "my_tasks", "my_task_row"),
        "same_html": True,  # the run stops before timing otherwise
        "same_bytes": same_bytes,
        "gc": not options.gc_off,
    }
    result["jinja2_vs_builder"] = result["jinja2_cards_vs_builder"]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=5000, help="cards, rows and My tasks rows")
    parser.add_argument("--repeat", type=int, default=7, help="timed repetitions")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    parser.add_argument(
        "--no-django", action="store_true", help="skip Django's template engine (the slowest)"
    )
    parser.add_argument(
        "--gc-off", action="store_true", help="disable the garbage collector while rendering"
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="baton-bench-") as data_dir:
        os.environ["BATON_DATA_DIR"] = data_dir
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baton.settings")
        import django

        django.setup()
        print(json.dumps(benchmark(options)))


if __name__ == "__main__":
    main()
