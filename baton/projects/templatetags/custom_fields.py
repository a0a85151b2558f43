"""What the custom-field templates need: the panel's rows, the quick-add's required fields and
the settings section's list. Each reads the project's fields through queries.custom_fields(),
which keeps them on the project for the request, so a board with twenty lists still reads them
once.
"""

from django import template
from django.contrib.auth import get_user_model

from baton.core.colors import PALETTE
from baton.projects import queries
from baton.projects.models import FieldKind
from baton.projects.presenters import format_number

register = template.Library()

SELECT_KINDS = (FieldKind.SELECT, FieldKind.MULTI)


def _key(field) -> str:
    return f"cf_{field.pk}"


def _people(context, ids: set) -> dict:
    """The people behind member values: from the panel's `people` when it has them (editors),
    else one query."""
    people = {person.pk: person for person in context.get("people") or []}
    missing = ids - set(people)
    if missing:
        people.update(
            (person.pk, person) for person in get_user_model().objects.filter(pk__in=missing)
        )
    return people


@register.simple_tag(takes_context=True)
def task_field_rows(context) -> list[dict]:
    """One row per custom field of the panel's task: the stored value, what the editor shows
    (the value typed before a refused save, when there was one) and the field's messages."""
    task, project = context["task"], context["project"]
    fields = queries.custom_fields(project)
    if not fields:
        return []
    values = task.custom_values or {}
    errors, typed = context.get("errors") or {}, context.get("typed") or {}
    member_ids = {
        values.get(str(field.pk)) for field in fields if field.kind == FieldKind.MEMBER
    } - {None}
    people = _people(context, member_ids) if member_ids else {}
    rows = []
    for field in fields:
        key = _key(field)
        value = values.get(str(field.pk))
        was_typed = key in typed
        shown = typed[key] if was_typed else value
        if field.kind == FieldKind.MULTI:
            chosen = set(shown or []) if isinstance(shown, list) else {shown} - {None}
        else:
            chosen = {str(shown)} if shown not in (None, "") else set()
        rows.append(
            {
                "field": field,
                "key": key,
                "value": value,
                "display": queries.display_value(field, value, people),
                "chips": queries.field_chips(field, value),
                "person": people.get(value) if field.kind == FieldKind.MEMBER else None,
                "link": _link(field, value),
                "input": _input_value(field, shown),
                "options": [
                    {**option, "checked": option["id"] in chosen} for option in field.options
                ],
                "checked": bool(shown) and str(shown).lower() not in ("0", "false", "off"),
                "errors": errors.get(key, []),
                "missing": field.required and value in (None, "", []),
            }
        )
    return rows


def _link(field, value) -> str:
    """A URL field's address, when it is one a link may point to (the service lets in only
    http and https; this guards against anything written around it)."""
    if field.kind != FieldKind.URL or not isinstance(value, str):
        return ""
    return value if value.lower().startswith(("http://", "https://")) else ""


def _input_value(field, shown) -> str:
    """What a text, number, URL, date or member input holds."""
    if shown in (None, "", [], False):
        return ""
    if field.kind == FieldKind.NUMBER and isinstance(shown, int | float):
        return format_number(shown)
    return str(shown)


@register.simple_tag(takes_context=True)
def quick_add_fields(context, project) -> dict:
    """The required fields a card must be created with, and the people for member fields."""
    fields = [field for field in queries.custom_fields(project) if field.required]
    people = []
    if any(field.kind == FieldKind.MEMBER for field in fields):
        # Kept on the project like its fields: one query for every list's form.
        if "_quick_add_people" not in project.__dict__:
            project.__dict__["_quick_add_people"] = list(queries.project_people(project))
        people = project.__dict__["_quick_add_people"]
    return {"fields": fields, "people": people}


@register.simple_tag(takes_context=True)
def field_settings(context, project) -> list[dict]:
    """The settings section's fields: each with how many cards hold a value, and the values its
    edit form shows (what was typed, when a save of this field was refused)."""
    fields = queries.custom_fields(project)
    counts = queries.field_value_counts(project)
    edit_id, typed = context.get("edit_field_id"), context.get("field_typed") or {}
    rows = []
    for field in fields:
        editing = field.pk == edit_id
        form = typed if editing else {}
        options = form.get("options", field.options)
        rows.append(
            {
                "field": field,
                "count": counts.get(field.pk, 0),
                "editing": editing,
                "errors": (context.get("field_errors") or {}) if editing else {},
                "name": form.get("name", field.name),
                "required": form.get("required", field.required),
                "show_on_card": form.get("show_on_card", field.show_on_card),
                "has_options": field.kind in SELECT_KINDS,
                "options": options,
                "next_index": len(options) + 1,
            }
        )
    return rows


@register.simple_tag
def field_kinds():
    return FieldKind.choices


@register.simple_tag
def palette():
    return PALETTE


@register.filter
def option_color(option: dict, index: int) -> str:
    """An option's colour, or for a new row the palette colour its place suggests."""
    if option and option.get("color"):
        return option["color"]
    return PALETTE[int(index) % len(PALETTE)][0]
