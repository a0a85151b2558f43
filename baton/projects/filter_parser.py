"""Reading a filter from a page's query string into a CardFilter, facet by facet.

Each facet reads its parameters (the grammar is in filters.py), keeps the valid values as
canonical pairs, turns each into a chip for the filter bar (an error chip for a value that does
not fit) and adds its condition on tasks. Values of one facet combine with OR, facets with AND.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.db.models.lookups import (
    Exact,
    GreaterThanOrEqual,
    IContains,
    In,
    IsNull,
    LessThanOrEqual,
)
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from baton.core.validation import parse_int
from baton.projects.field_sql import FieldHasAny, FieldValue
from baton.projects.filters import MAX_TEXT, CardFilter, Chip, FilterContext
from baton.projects.models import FieldKind, Priority, Task

DUE_BUCKETS = ("overdue", "today", "week", "none")
STATES = ("open", "done", "all")
DASH = "\u2013"
MAX_VALUES = 50  # values of one facet; more is not a filter anyone clicked together


def parse_filter(params, ctx: FilterContext, *, default_state: str = "all") -> CardFilter:
    """Read the filter parameters of `params` (a QueryDict or a dict of lists) against `ctx`."""
    result = CardFilter(state=default_state, ctx=ctx)
    _Parser(params, ctx, result).run()
    return result


def _getlist(params, name: str) -> list[str]:
    values = params.getlist(name) if hasattr(params, "getlist") else params.get(name, [])
    if isinstance(values, str):
        values = [values]
    seen, unique = set(), []
    for value in values:
        value = str(value).replace("\x00", "").strip()  # PostgreSQL refuses NUL in text
        if value and value not in seen:
            seen.add(value)
            unique.append(value)
    return unique[:MAX_VALUES]


class _Parser:
    def __init__(self, params, ctx: FilterContext, result: CardFilter):
        self.params, self.ctx, self.result = params, ctx, result

    def run(self) -> None:
        self.owner()
        self.participant()
        self.tag()
        self.priority()
        self.due()
        self.state()
        self.lists()
        names = self.params.keys() if hasattr(self.params, "keys") else ()
        if any(name.startswith("cf_") for name in names):
            for custom in self.ctx.fields:
                self.custom(custom)
            self.unknown_fields()
        if self.params.get("archived") in ("1", "yes", "true", "on"):
            self.keep("archived", "1")
            self.result.include_archived = True

    # -------------------------------------------------------- helpers

    def keep(self, name: str, value: str) -> tuple:
        pair = (name, value)
        self.result.pairs.append(pair)
        self.result.selected.setdefault(name, []).append(value)
        return pair

    def chip(self, facet: str, label: str, *pairs, color: str = "") -> None:
        self.result.chips.append(Chip(facet, str(label), tuple(pairs), color=color))

    def error(self, facet: str, message: str) -> None:
        self.result.chips.append(Chip(facet, message, (), error=True))

    def any_of(self, *conditions) -> None:
        """One condition: any of `conditions` (falsy ones left out); nothing when none is left."""
        kept = [condition for condition in conditions if condition]
        if not kept:
            return
        combined = kept[0]
        for condition in kept[1:]:
            combined |= condition
        self.result.conditions.append(combined)

    def person(self, value: str):
        if value == "me":
            return self.ctx.user.pk, _("Me")
        person = self.ctx.person_by_id.get(value)
        if person is None:
            return None, None
        return person.pk, person.name or person.email

    # -------------------------------------------------------- facets

    def owner(self) -> None:
        facet, ids, nobody = pgettext("task", "Owner"), [], False
        for value in _getlist(self.params, "owner"):
            if value == "nobody":
                nobody = True
                self.chip(facet, _("Nobody"), self.keep("owner", value))
                continue
            pk, label = self.person(value)
            if pk is None:
                self.error(facet, _("Unknown person: %(value)s") % {"value": value[:40]})
                continue
            ids.append(pk)
            self.chip(facet, label, self.keep("owner", value))
        self.any_of(ids and Q(assignee_id__in=ids), nobody and Q(assignee__isnull=True))

    def participant(self) -> None:
        facet, ids = _("Participant"), []
        for value in _getlist(self.params, "participant"):
            pk, label = self.person(value)
            if pk is None:
                self.error(facet, _("Unknown person: %(value)s") % {"value": value[:40]})
                continue
            ids.append(pk)
            self.chip(facet, label, self.keep("participant", value))
        if ids:
            through = Task.participants.through.objects.filter(
                task_id=OuterRef("pk"), user_id__in=ids
            )
            self.result.conditions.append(Q(Exists(through)))

    def tag(self) -> None:
        facet, ids, untagged = _("Tag"), [], False
        for value in _getlist(self.params, "tag"):
            if value == "none":
                untagged = True
                self.chip(facet, _("No tag"), self.keep("tag", value))
                continue
            tag = self.ctx.tag_by_id.get(value)
            if tag is None:
                self.error(facet, _("Unknown tag: %(value)s") % {"value": value[:40]})
                continue
            ids.append(tag.pk)
            self.chip(facet, tag.name, self.keep("tag", value), color=tag.color)
        through = Task.tags.through.objects.filter(task_id=OuterRef("pk"))
        self.any_of(
            ids and Q(Exists(through.filter(tag_id__in=ids))), untagged and ~Q(Exists(through))
        )

    def priority(self) -> None:
        facet, values = _("Priority"), []
        labels = dict(Priority.choices)
        for value in _getlist(self.params, "priority"):
            try:
                number = parse_int(value, field="priority")
            except ValidationError:
                number = None
            if number not in labels:
                self.error(facet, _("Unknown priority: %(value)s") % {"value": value[:40]})
                continue
            values.append(number)
            self.chip(facet, labels[number], self.keep("priority", value))
        if values:
            self.result.conditions.append(Q(priority__in=values))

    def due(self) -> None:
        facet, today = _("Due"), self.ctx.today
        labels = {
            "overdue": _("Overdue"),
            "today": _("Today"),
            "week": _("This week"),
            "none": _("No date"),
        }
        monday = today - datetime.timedelta(days=today.weekday())
        buckets = {
            "overdue": Q(due_date__lt=today, completed_at__isnull=True),
            "today": Q(due_date=today),
            "week": Q(due_date__gte=monday, due_date__lte=monday + datetime.timedelta(days=6)),
            "none": Q(due_date__isnull=True),
        }
        chosen = []
        for value in _getlist(self.params, "due"):
            if value not in buckets:
                self.error(facet, _("Unknown due date filter: %(value)s") % {"value": value[:40]})
                continue
            chosen.append(buckets[value])
            self.chip(facet, labels[value], self.keep("due", value))
        self.any_of(*chosen)
        self.date_range(facet, "due_from", "due_to", self.due_range)

    def due_range(self, start, end) -> Q:
        condition = Q()
        if start:
            condition &= Q(due_date__gte=start)
        if end:
            condition &= Q(due_date__lte=end)
        return condition

    def date_range(self, facet: str, from_name: str, to_name: str, make) -> None:
        """A from/to pair of dates: one chip for both; a bad date is an error chip of its own."""
        bounds, pairs = {}, []
        for name in (from_name, to_name):
            values = _getlist(self.params, name)
            if not values:
                continue
            try:
                bounds[name] = datetime.date.fromisoformat(values[0])
            except ValueError:
                self.error(facet, _("Not a date: %(value)s") % {"value": values[0][:40]})
                continue
            pairs.append(self.keep(name, values[0]))
        if not bounds:
            return
        start, end = bounds.get(from_name), bounds.get(to_name)
        if start and end:
            label = f"{start.isoformat()} {DASH} {end.isoformat()}"
        elif start:
            label = _("from %(date)s") % {"date": start.isoformat()}
        else:
            label = _("until %(date)s") % {"date": end.isoformat()}
        self.chip(facet, label, *pairs)
        self.result.conditions.append(make(start, end))

    def state(self) -> None:
        values = _getlist(self.params, "state")
        if not values:
            return
        value = values[0]
        if value not in STATES:
            self.error(_("Status"), _("Unknown status: %(value)s") % {"value": value[:40]})
            return
        self.result.state = value
        pair = self.keep("state", value)
        labels = {"open": _("Open"), "done": _("Done"), "all": _("Open and done")}
        self.chip(_("Status"), labels[value], pair)
        if value == "open":
            self.result.conditions.append(Q(completed_at__isnull=True))
        elif value == "done":
            self.result.conditions.append(Q(completed_at__isnull=False))

    def lists(self) -> None:
        facet, ids = _("List"), []
        for value in _getlist(self.params, "list"):
            task_list = self.ctx.list_by_id.get(value)
            if task_list is None:
                self.error(facet, _("Unknown list: %(value)s") % {"value": value[:40]})
                continue
            ids.append(task_list.pk)
            self.chip(facet, task_list.name, self.keep("list", value))
        if ids:
            self.result.conditions.append(Q(list_id__in=ids))

    def unknown_fields(self) -> None:
        names = self.params.keys() if hasattr(self.params, "keys") else ()
        for name in names:
            if not name.startswith("cf_"):
                continue
            key = name[3:].removesuffix("_from").removesuffix("_to")
            if key not in self.ctx.field_by_id and _getlist(self.params, name):
                self.error(_("Field"), _("Unknown field: %(value)s") % {"value": name[:40]})

    # -------------------------------------------------------- custom fields

    def custom(self, custom) -> None:
        name = f"cf_{custom.pk}"
        values = _getlist(self.params, name)
        match custom.kind:
            case FieldKind.TEXT | FieldKind.URL:
                if values:
                    text = values[0][:MAX_TEXT]
                    self.chip(custom.name, f"“{text}”", self.keep(name, text))
                    self.result.conditions.append(Q(IContains(FieldValue(custom.pk), text)))
            case FieldKind.NUMBER:
                self.number(custom, name, values)
            case FieldKind.DATE:
                self.date_range(
                    custom.name,
                    f"{name}_from",
                    f"{name}_to",
                    lambda start, end: self.text_range(custom, start, end),
                )
            case FieldKind.SELECT | FieldKind.MULTI:
                self.options(custom, name, values)
            case FieldKind.MEMBER:
                ids = []
                for value in values:
                    pk, label = self.person(value)
                    if pk is None:
                        message = _("Unknown person: %(value)s") % {"value": value[:40]}
                        self.error(custom.name, message)
                        continue
                    ids.append(pk)
                    self.chip(custom.name, label, self.keep(name, value))
                if ids:
                    value = FieldValue(custom.pk, "number")
                    self.result.conditions.append(Q(In(value, ids)))
            case FieldKind.CHECKBOX:
                if values:
                    value = values[0]
                    if value not in ("yes", "no"):
                        message = _("Choose yes or no: %(value)s") % {"value": value[:40]}
                        self.error(custom.name, message)
                        return
                    checked = Q(FieldValue(custom.pk, "true"))
                    self.result.conditions.append(checked if value == "yes" else ~checked)
                    label = _("Yes") if value == "yes" else _("No")
                    self.chip(custom.name, label, self.keep(name, value))

    def text_range(self, custom, start, end) -> Q:
        condition, value = Q(), FieldValue(custom.pk)
        if start:
            condition &= Q(GreaterThanOrEqual(value, start.isoformat()))
        if end:
            condition &= Q(LessThanOrEqual(value, end.isoformat()))
        return condition

    def number(self, custom, name: str, values: list[str]) -> None:
        value = FieldValue(custom.pk, "number")
        if values:
            number = _number(values[0])
            if number is None:
                self.error(custom.name, _("Not a number: %(value)s") % {"value": values[0][:40]})
            else:
                self.chip(custom.name, f"= {values[0]}", self.keep(name, values[0]))
                self.result.conditions.append(Q(Exact(value, number)))
        bounds, pairs = {}, []
        for suffix in ("_from", "_to"):
            raw = _getlist(self.params, name + suffix)
            if not raw:
                continue
            number = _number(raw[0])
            if number is None:
                self.error(custom.name, _("Not a number: %(value)s") % {"value": raw[0][:40]})
                continue
            bounds[suffix] = (number, raw[0])
            pairs.append(self.keep(name + suffix, raw[0]))
        if not bounds:
            return
        condition = Q()
        if "_from" in bounds:
            condition &= Q(GreaterThanOrEqual(value, bounds["_from"][0]))
        if "_to" in bounds:
            condition &= Q(LessThanOrEqual(value, bounds["_to"][0]))
        low, high = bounds.get("_from", (None, "…"))[1], bounds.get("_to", (None, "…"))[1]
        self.chip(custom.name, f"{low} {DASH} {high}", *pairs)
        self.result.conditions.append(condition)

    def options(self, custom, name: str, values: list[str]) -> None:
        by_id = {str(option.get("id")): option for option in custom.options or []}
        ids, empty = [], False
        for value in values:
            if value == "none":
                empty = True
                self.chip(custom.name, _("No value"), self.keep(name, value))
                continue
            option = by_id.get(value)
            if option is None:
                self.error(custom.name, _("Unknown option: %(value)s") % {"value": value[:40]})
                continue
            ids.append(value)
            chip_color = option.get("color") or ""
            self.chip(
                custom.name, option.get("name", value), self.keep(name, value), color=chip_color
            )
        if not (ids or empty):
            return
        if custom.kind == FieldKind.MULTI:
            if empty and not by_id:  # no options at all: every card is without one
                return
            chosen = ids and Q(FieldHasAny(custom.pk, ids))
            blank = empty and ~Q(FieldHasAny(custom.pk, list(by_id)))
        else:
            chosen = ids and Q(In(FieldValue(custom.pk), ids))
            blank = empty and Q(IsNull(FieldValue(custom.pk), True))
        self.any_of(chosen, blank)


def _number(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None
