"""Writes to custom fields: their definitions (project admins) and a card's values (members).

Values live in `Task.custom_values`, keyed by str(field id), in the shapes the CustomField
docstring fixes. Every value that enters goes through clean_custom_values(), so a card never
holds a number as "5", a date that does not exist or an option that was removed.

A field's type is fixed once it is created: a value of one type rarely means anything in
another (a 单选 option id is not a 数字), so update_custom_field refuses a new type with a
message saying to create a new field instead.
"""

import datetime
import math
import secrets
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from baton.accounts.models import User
from baton.core.colors import COLOR_NAMES
from baton.core.positions import GAP, renumbered
from baton.core.validation import parse_id, required_text
from baton.projects import queries
from baton.projects.models import CustomField, FieldKind, Project, ProjectRole, Task
from baton.projects.permissions import require_project_role
from baton.projects.services import indexing
from baton.projects.services.base import publish, record

NAME_MAX_LENGTH = 40
OPTION_NAME_MAX_LENGTH = 40
MAX_OPTIONS = 50
TEXT_MAX_LENGTH = 2000
SELECT_KINDS = (FieldKind.SELECT, FieldKind.MULTI)
# Numbers beyond this lose digits as JSON numbers (doubles); nobody's 重要性 needs more.
NUMBER_LIMIT = 10**15
TRUE_WORDS = {"1", "on", "true", "yes"}
FALSE_WORDS = {"", "0", "off", "false", "no"}


def value_key(field: CustomField | int) -> str:
    """The key of a field's values in Task.custom_values, and of its errors (cf_<key>)."""
    return str(getattr(field, "pk", field))


def error_key(field: CustomField | int) -> str:
    """Where a field's messages go in a ValidationError's dict: "cf_12"."""
    return f"cf_{value_key(field)}"


# ---------------------------------------------------------------- definitions


def create_custom_field(
    *,
    actor: User,
    project: Project,
    name: str,
    kind: str,
    options: list[dict] | None = None,
    required: bool = False,
    show_on_card: bool = False,
) -> CustomField:
    """Add a field at the end of the project's fields (project admins only).

    `options` (select and multi-select only, at least one): [{"name": "高", "color": "red"}]
    in order; blank names are skipped, ids are given here.
    """
    require_project_role(actor, project, ProjectRole.ADMIN)
    errors: dict[str, list[str]] = {}
    name = _collect(errors, _clean_name, project, name)
    if kind not in FieldKind.values:
        errors["kind"] = [_("Choose a type.")]
    elif kind in SELECT_KINDS:
        options = _collect(errors, _clean_options, options or [])
    elif any((option.get("name") or "").strip() for option in options or []):
        errors["options"] = [_("Only select fields have options.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        last = CustomField.objects.filter(project=project).aggregate(m=Max("position"))["m"]
        field = CustomField.objects.create(
            project=project,
            name=name,
            kind=kind,
            options=options if kind in SELECT_KINDS else [],
            required=bool(required),
            show_on_card=bool(show_on_card),
            position=(last or 0) + GAP,
        )
        record(actor, "field.created", field, project, {"name": name, "kind": kind})
        publish(project, "fields.changed", field_id=field.pk, actor=actor)
    queries.forget_custom_fields(project)
    return field


def update_custom_field(
    *,
    actor: User,
    field: CustomField,
    name: str | None = None,
    kind: str | None = None,
    required: bool | None = None,
    show_on_card: bool | None = None,
    options: list[dict] | None = None,
) -> CustomField:
    """Rename a field, make it required or not, show it on cards or not, or change its options
    (project admins only). None leaves a property as it is.

    `options` is the whole new list, in order: [{"id": "k3f9" or "" for a new one, "name",
    "color"}]. An existing option left out is removed, and with it every card's choice of it
    (a multi-select keeps the other choices), in the same transaction. The type cannot change.
    """
    project = field.project
    require_project_role(actor, project, ProjectRole.ADMIN)
    errors: dict[str, list[str]] = {}
    diff: list[dict[str, Any]] = []
    if kind is not None and kind != field.kind:
        errors["kind"] = [
            _(
                "The type of a field cannot change: its values would not mean the same. "
                "Create a new field of the other type instead."
            )
        ]
    if name is not None:
        name = _collect(errors, _clean_name, project, name, exclude_pk=field.pk)
        if name is not None and name != field.name:
            diff.append({"field": "name", "old": field.name, "new": name})
    removed: set[str] = set()
    if options is not None and field.kind in SELECT_KINDS:
        options = _collect(errors, _clean_options, options, existing=field.options)
        if options is not None and options != field.options:
            removed = {o["id"] for o in field.options} - {o["id"] for o in options}
            diff.append(
                {
                    "field": "options",
                    "old": [o["name"] for o in field.options],
                    "new": [o["name"] for o in options],
                }
            )
    elif options and any((option.get("name") or "").strip() for option in options):
        errors["options"] = [_("Only select fields have options.")]
    if errors:
        raise ValidationError(errors)
    for prop, value in (("required", required), ("show_on_card", show_on_card)):
        if value is not None and bool(value) != getattr(field, prop):
            diff.append({"field": prop, "old": getattr(field, prop), "new": bool(value)})
    if not diff:
        return field
    with transaction.atomic():
        changed = {change["field"] for change in diff}
        if "name" in changed and name is not None:
            field.name = name
        if "options" in changed:
            field.options = options
        if "required" in changed:
            field.required = bool(required)
        if "show_on_card" in changed:
            field.show_on_card = bool(show_on_card)
        field.save(update_fields=["name", "options", "required", "show_on_card"])
        # The entries of the cards with a value name the field and its options.
        with_value = _cards_with_value(field) if changed & {"name", "options"} else []
        cleared = _remove_options_from_cards(field, removed) if removed else 0
        indexing.index_tasks_by_id(project, with_value)
        data: dict[str, Any] = {"name": field.name, "changes": diff}
        if cleared:
            data["cards"] = cleared
        record(actor, "field.updated", field, project, data)
        publish(project, "fields.changed", field_id=field.pk, actor=actor)
    queries.forget_custom_fields(project)
    return field


def move_custom_field(
    *, actor, field: CustomField, after_id: int | None = None, before_id: int | None = None
) -> CustomField:
    """Put a field right after the field `after_id` (or right before `before_id`; with
    neither, first). A project has a few dozen fields at most: they are renumbered."""
    project = field.project
    require_project_role(actor, project, ProjectRole.ADMIN)
    with transaction.atomic():
        siblings = list(
            CustomField.objects.filter(project=project)
            .exclude(pk=field.pk)
            .order_by("position", "id")
        )
        ids = [sibling.pk for sibling in siblings]
        anchor = after_id or before_id
        if anchor is not None and anchor not in ids:
            raise ValidationError({"position": _("That field is not in this project.")})
        if after_id is not None:
            index = ids.index(after_id) + 1
        elif before_id is not None:
            index = ids.index(before_id)
        else:
            index = 0
        siblings.insert(index, field)
        CustomField.objects.bulk_update(renumbered(siblings), ["position"])
        record(actor, "field.moved", field, project, {"name": field.name, "index": index})
        publish(project, "fields.changed", field_id=field.pk, actor=actor)
    queries.forget_custom_fields(project)
    return field


def delete_custom_field(*, actor: User, field: CustomField) -> int:
    """Delete a field and its value on every card, in one transaction (project admins only).
    Returns how many cards held a value."""
    project = field.project
    require_project_role(actor, project, ProjectRole.ADMIN)
    key = value_key(field)
    with transaction.atomic():
        tasks = list(
            Task.objects.select_for_update()
            .filter(project=project, custom_values__has_key=key)
            .only("pk", "number", "title", "description", "custom_values", "project_id")
        )
        for task in tasks:
            task.custom_values.pop(key, None)
            task.project = project
        Task.objects.bulk_update(tasks, ["custom_values"], batch_size=500)
        record(
            actor,
            "field.deleted",
            field,
            project,
            {"name": field.name, "kind": field.kind, "cards": len(tasks)},
        )
        publish(project, "fields.changed", field_id=field.pk, actor=actor)
        field.delete()
        if field.kind in (*indexing.TEXT_KINDS, *indexing.SELECT_KINDS):
            indexing.index_tasks(tasks)  # their entries no longer hold the value
    queries.forget_custom_fields(project)
    return len(tasks)


def _cards_with_value(field: CustomField) -> list[int]:
    if field.kind not in SELECT_KINDS:
        return []
    tasks = Task.objects.filter(
        project_id=field.project_id, custom_values__has_key=value_key(field)
    )
    return list(tasks.values_list("pk", flat=True))


def _remove_options_from_cards(field: CustomField, removed: set[str]) -> int:
    """Drop removed options from every card's value of `field` (in the caller's transaction)."""
    key = value_key(field)
    changed = []
    tasks = (
        Task.objects.select_for_update()
        .filter(project_id=field.project_id, custom_values__has_key=key)
        .only("pk", "custom_values")
    )
    for task in tasks:
        value = task.custom_values.get(key)
        if isinstance(value, list):
            kept = [option_id for option_id in value if option_id not in removed]
            if kept == value:
                continue
            if kept:
                task.custom_values[key] = kept
            else:
                del task.custom_values[key]
        elif value in removed:
            del task.custom_values[key]
        else:
            continue
        changed.append(task)
    Task.objects.bulk_update(changed, ["custom_values"], batch_size=500)
    return len(changed)


def _collect(errors: dict, clean, *args, **kwargs):
    """Run a cleaning step, gathering its messages instead of stopping at the first."""
    try:
        return clean(*args, **kwargs)
    except ValidationError as error:
        for key, messages in error.message_dict.items():
            errors.setdefault(key, []).extend(messages)
        return None


def _clean_name(project: Project, name: str, *, exclude_pk: int | None = None) -> str:
    name = required_text(name, field="name", max_length=NAME_MAX_LENGTH)
    clash = CustomField.objects.filter(project=project, name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError(
            {"name": _("This project already has a field named %(name)s.") % {"name": name}}
        )
    return name


def _clean_options(options: list[dict], *, existing: Sequence[dict] = ()) -> list[dict]:
    """Options in order with their ids: kept for existing ones, new for the others."""
    existing_ids = {option["id"] for option in existing}
    taken = set(existing_ids)
    cleaned: list[dict] = []
    names: set[str] = set()
    for raw in options:
        option_id = str(raw.get("id") or "")
        name = (raw.get("name") or "").strip()
        if not name:
            if option_id in existing_ids:
                raise ValidationError(
                    {"options": _("Every option needs a name (remove an option to delete it).")}
                )
            continue  # an empty row of the form
        if len(name) > OPTION_NAME_MAX_LENGTH:
            raise ValidationError(
                {
                    "options": _("An option name has at most %(n)d characters: %(name)s")
                    % {"n": OPTION_NAME_MAX_LENGTH, "name": name}
                }
            )
        if name.casefold() in names:
            raise ValidationError(
                {"options": _("Two options are named %(name)s.") % {"name": name}}
            )
        names.add(name.casefold())
        color = raw.get("color") or COLOR_NAMES[len(cleaned) % len(COLOR_NAMES)]
        if color not in COLOR_NAMES:
            raise ValidationError({"options": _("Unknown colour.")})
        if option_id not in existing_ids:
            option_id = _new_option_id(taken)
        taken.add(option_id)
        cleaned.append({"id": option_id, "name": name, "color": color})
    if not cleaned:
        raise ValidationError({"options": _("A select field needs at least one option.")})
    if len(cleaned) > MAX_OPTIONS:
        raise ValidationError({"options": _("At most %(n)d options.") % {"n": MAX_OPTIONS}})
    return cleaned


def _new_option_id(taken: set[str]) -> str:
    while True:
        option_id = secrets.token_hex(3)
        if option_id not in taken:
            return option_id


# ---------------------------------------------------------------- values


def set_custom_values(*, actor: User, task: Task, values: dict) -> Task:
    """Set some of a card's field values: `values` is {field id: raw value}, raw as a form sends
    it ("5", "2026-11-11", an option id, a list of option ids, a user id, "1" for a checked box)
    or already typed (5, a date, True). An empty value clears the field; clearing a required
    field is refused. One Activity row (task.updated) lists every change by field name.
    """
    project = task.project
    require_project_role(actor, project, ProjectRole.MEMBER)
    fields = {field.pk: field for field in queries.custom_fields(project)}
    cleaned = clean_custom_values(project, values, fields=fields)
    errors = {
        error_key(pk): [_("%(field)s is required.") % {"field": fields[pk].name}]
        for pk, value in cleaned.items()
        if value is None and fields[pk].required
    }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = Task.objects.select_for_update().only("custom_values", "version").get(pk=task.pk)
        stored = dict(current.custom_values or {})
        diff = []
        for pk, value in cleaned.items():
            key = value_key(pk)
            old = stored.get(key)
            if old == value:
                continue
            if value is None:
                del stored[key]
            else:
                stored[key] = value
            diff.append((fields[pk], old, value))
        if not diff:
            task.custom_values = stored
            return task
        people = _people_names(
            [v for field, *pair in diff if field.kind == FieldKind.MEMBER for v in pair if v]
        )
        changes = [
            {
                "field": f"custom:{field.pk}",
                "custom": field.name,
                "old": queries.display_value(field, old, people) or None,
                "new": queries.display_value(field, new, people) or None,
            }
            for field, old, new in diff
        ]
        task.custom_values = stored
        task.version = current.version + 1
        task.save(update_fields=["custom_values", "version", "updated_at"])
        indexing.index_task(task)
        record(actor, "task.updated", task, project, {"changes": changes})
        publish(project, "task.updated", task_id=task.pk, list_id=task.list_id, actor=actor)
    return task


def clean_custom_values(project: Project, values: dict, *, fields: dict | None = None) -> dict:
    """{field id: value as stored, or None for no value}; every problem is raised at once,
    under cf_<field id>, with a message that names the field."""
    if fields is None:
        fields = {field.pk: field for field in queries.custom_fields(project)}
    cleaned: dict[int, Any] = {}
    errors: dict[str, list[str]] = {}
    for raw_key, raw in values.items():
        field = fields.get(parse_id(raw_key))
        if field is None:
            errors.setdefault("custom_values", []).append(_("Unknown field."))
            continue
        try:
            cleaned[field.pk] = _clean_value(project, field, raw)
        except ValidationError as error:
            errors[error_key(field)] = error.messages
    if errors:
        raise ValidationError(errors)
    return cleaned


def values_for_new_task(project: Project, values: dict | None) -> dict[str, Any]:
    """The custom_values of a card being created: cleaned, and every required field filled
    (subtasks are created without this check). Raises one error per problem."""
    fields = {field.pk: field for field in queries.custom_fields(project)}
    errors: dict[str, list[str]] = {}
    cleaned: dict[int, Any] = {}
    try:
        cleaned = clean_custom_values(project, values or {}, fields=fields)
    except ValidationError as error:
        errors.update(error.message_dict)
    for field in fields.values():
        key = error_key(field)
        if field.required and cleaned.get(field.pk) is None and key not in errors:
            errors[key] = [_("%(field)s is required.") % {"field": field.name}]
    if errors:
        raise ValidationError(errors)
    return {value_key(pk): value for pk, value in cleaned.items() if value is not None}


def missing_required(project: Project, custom_values: dict) -> list[CustomField]:
    """The required fields a card holds no value for."""
    return [
        field
        for field in queries.custom_fields(project)
        if field.required and value_key(field) not in (custom_values or {})
    ]


def _clean_value(project: Project, field: CustomField, raw) -> Any:
    """One raw value of `field` as stored, None for no value."""
    if isinstance(raw, str):
        raw = raw.strip()
    if field.kind == FieldKind.MULTI:
        return _clean_multi(field, raw)
    if isinstance(raw, list | tuple):
        raw = raw[-1] if raw else ""
        if isinstance(raw, str):
            raw = raw.strip()
    if raw is None or raw == "":
        return None
    name = {"field": field.name}
    match field.kind:
        case FieldKind.TEXT:
            text = str(raw)
            if len(text) > TEXT_MAX_LENGTH:
                raise ValidationError(
                    _("%(field)s has at most %(n)d characters (this has %(m)d).")
                    % {**name, "n": TEXT_MAX_LENGTH, "m": len(text)}
                )
            return text
        case FieldKind.NUMBER:
            return _clean_number(field, raw)
        case FieldKind.DATE:
            if isinstance(raw, datetime.datetime):
                raw = raw.date()
            if isinstance(raw, datetime.date):
                return raw.isoformat()
            try:
                return datetime.date.fromisoformat(str(raw)).isoformat()
            except ValueError:
                raise ValidationError(
                    _("%(field)s must be a date like 2026-11-11.") % name
                ) from None
        case FieldKind.SELECT:
            if queries.field_option(field, str(raw)) is None:
                raise ValidationError(_("Choose one of the options of %(field)s.") % name)
            return str(raw)
        case FieldKind.MEMBER:
            return _clean_member(project, field, raw)
        case FieldKind.CHECKBOX:
            if isinstance(raw, bool):
                return True if raw else None
            word = str(raw).lower()
            if word in TRUE_WORDS:
                return True
            if word in FALSE_WORDS:
                return None
            raise ValidationError(_("%(field)s is either checked or not.") % name)
        case FieldKind.URL:
            url = str(raw)
            if len(url) > TEXT_MAX_LENGTH:
                raise ValidationError(
                    _("%(field)s has at most %(n)d characters (this has %(m)d).")
                    % {**name, "n": TEXT_MAX_LENGTH, "m": len(url)}
                )
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError:
                raise ValidationError(
                    _("%(field)s must be a web address starting with http:// or https://.") % name
                ) from None
            return url
    raise ValidationError(_("Unknown field."))


def _clean_number(field: CustomField, raw) -> int | float:
    message = _("%(field)s must be a number.") % {"field": field.name}
    if isinstance(raw, bool):
        raise ValidationError(message)
    if isinstance(raw, int):
        number: Decimal | int | float = raw
    elif isinstance(raw, float):
        if not math.isfinite(raw):
            raise ValidationError(message)
        number = raw
    else:
        try:
            number = Decimal(str(raw).replace(",", "").replace("，", ""))  # noqa: RUF001
        except InvalidOperation:
            raise ValidationError(message) from None
        if not number.is_finite():
            raise ValidationError(message)
    if not -NUMBER_LIMIT < number < NUMBER_LIMIT:
        raise ValidationError(_("%(field)s is too large a number.") % {"field": field.name})
    if number == int(number):
        return int(number)
    return float(number)


def _clean_multi(field: CustomField, raw) -> list[str] | None:
    if raw in (None, ""):
        return None
    given = raw if isinstance(raw, list | tuple) else [raw]
    chosen = {str(option_id).strip() for option_id in given} - {""}
    known = {option["id"] for option in field.options}
    if chosen - known:
        raise ValidationError(_("Choose among the options of %(field)s.") % {"field": field.name})
    # Stored in the field's order, so the same choices always compare equal.
    ordered = [option["id"] for option in field.options if option["id"] in chosen]
    return ordered or None


def _clean_member(project: Project, field: CustomField, raw) -> int:
    message = _("%(field)s must be someone in this project.") % {"field": field.name}
    user_id = parse_id(raw)
    if user_id is None or not queries.project_people(project).filter(pk=user_id).exists():
        raise ValidationError(message)
    return user_id


def _people_names(ids: list) -> dict[int, str]:
    if not ids:
        return {}
    users = get_user_model().objects.filter(pk__in=set(ids)).values_list("pk", "name")
    return dict(users)
