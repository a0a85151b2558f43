"""Filters of a project's cards, read from a page's query string: `?owner=me&tag=12&due=overdue`.

The board and the list view share them (and a saved view stores them), so a filtered view can
be shared as a link and reloads the same. Parameters:

    owner=me|nobody|<user id>       several: any of them
    participant=me|<user id>        any of them
    tag=<tag id>|none               any of them (none: cards without tags)
    priority=0..4                   any of them
    due=overdue|today|week|none     any of them (overdue: before today and not done;
                                    week: Monday to Sunday of this week)
    due_from=YYYY-MM-DD, due_to=…   a range (either end may be left open)
    state=open|done|all             default `all` in both views: the board shows every card
                                    of its lists (done ones too), and the list view the same
                                    cards, so switching between them shows the same set
    list=<list id>                  any of them
    archived=1                      archived cards (and cards of archived lists) too
    cf_<field id>=…                 custom fields, by kind: text and URL contain (ignoring
                                    case); number equals, or cf_<id>_from / cf_<id>_to; date
                                    cf_<id>_from / cf_<id>_to; select and multi-select option
                                    ids (any of; `none` for no value); member me|<user id>;
                                    checkbox yes|no

Facets combine with AND, values of one facet with OR. A parameter that does not fit (an unknown
tag, another project's list, `due_from=abc`) filters nothing and shows as an error chip; ids are
only ever looked up among this project's own lists, tags, people and fields.

Custom field values are read with the expressions of field_sql.py.
"""

import datetime
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import parse_qsl, urlencode

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
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from baton.core.validation import parse_id, parse_int
from baton.projects.field_sql import FieldHasAny, FieldValue
from baton.projects.models import CustomField, FieldKind, Priority, Tag, Task, TaskList
from baton.projects.queries import project_people

FACETS = ("owner", "participant", "tag", "priority", "due", "due_from", "due_to", "state", "list")
DUE_BUCKETS = ("overdue", "today", "week", "none")
STATES = ("open", "done", "all")
MAX_TEXT = 200
DASH = "\u2013"
MAX_VALUES = 50  # values of one facet; more is not a filter anyone clicked together


# ---------------------------------------------------------------- what a filter may name


class FilterContext:
    """What the filters of one project may refer to: its lists, tags, the people who may be
    assigned and its custom fields. Each is fetched (one query) the first time it is read, so
    a board without filters pays nothing for them."""

    def __init__(self, project, user, *, today: datetime.date | None = None):
        self.project, self.user = project, user
        self.today = today or timezone.localdate()

    @cached_property
    def all_lists(self) -> list:
        return list(
            TaskList.objects.filter(project=self.project)
            .order_by("position", "id")
            .only("pk", "name", "position", "archived_at", "is_done", "project_id")
        )

    @cached_property
    def lists(self) -> list:
        """The open lists, in board order."""
        return [task_list for task_list in self.all_lists if task_list.archived_at is None]

    @cached_property
    def tags(self) -> list:
        return list(Tag.objects.filter(project=self.project).order_by("name", "id"))

    @cached_property
    def people(self) -> list:
        return list(project_people(self.project).only("pk", "name", "email", "avatar_color"))

    @cached_property
    def fields(self) -> list:
        return list(CustomField.objects.filter(project=self.project).order_by("position", "id"))

    @cached_property
    def list_by_id(self) -> dict:
        return {str(task_list.pk): task_list for task_list in self.lists}

    @cached_property
    def tag_by_id(self) -> dict:
        return {str(tag.pk): tag for tag in self.tags}

    @cached_property
    def person_by_id(self) -> dict:
        return {str(person.pk): person for person in self.people}

    @cached_property
    def field_by_id(self) -> dict:
        return {str(custom.pk): custom for custom in self.fields}


def filter_context(project, user, *, today: datetime.date | None = None) -> FilterContext:
    return FilterContext(project, user, today=today)


# ---------------------------------------------------------------- the parsed filter


@dataclass
class Chip:
    """One active filter value as the filter bar shows it, with the query string that drops it."""

    facet: str
    label: str
    drop: tuple = ()  # the (name, value) pairs removing this chip takes away
    color: str = ""
    error: bool = False
    url: str = ""


@dataclass
class CardFilter:
    """A parsed filter: the condition on tasks, the chips, and the canonical parameters."""

    pairs: list = field(default_factory=list)  # valid (name, value) pairs, canonical order
    conditions: list = field(default_factory=list)
    chips: list = field(default_factory=list)
    include_archived: bool = False
    state: str = "all"
    ctx: object = None
    selected: dict = field(default_factory=dict)  # name -> [values], for the filter form

    @property
    def active(self) -> bool:
        """Whether anything is asked for (an error chip counts: the bar shows it)."""
        return bool(self.pairs or self.chips)

    @property
    def narrows(self) -> bool:
        """Whether some cards of the plain board could be left out, or others added."""
        return bool(self.pairs)

    @property
    def has_errors(self) -> bool:
        return any(chip.error for chip in self.chips)

    def q(self) -> Q:
        condition = Q()
        for part in self.conditions:
            condition &= part if isinstance(part, Q) else Q(part)
        return condition

    def apply(self, queryset, *, board: bool = False):
        """Narrow a queryset of tasks. On the board (`board`) each list asks for its own cards,
        so the cards of archived lists need no excluding."""
        queryset = queryset.filter(self.q())
        if not self.include_archived:
            queryset = queryset.filter(archived_at__isnull=True)
            if not board:
                queryset = queryset.filter(list_id__in=[t.pk for t in self.ctx.lists])
        return queryset

    def query(self, extra: list | tuple = (), *, without: tuple = ()) -> str:
        """The canonical query string of this filter (plus `extra` pairs such as sort), leaving
        out the pairs in `without`."""
        pairs = [pair for pair in self.pairs if pair not in without]
        return urlencode([*pairs, *extra])

    def link(self, base_url: str, extra: list | tuple = ()) -> None:
        """Give every chip the URL that drops it, and the filter the URL that drops them all
        (`extra`, such as the list view's sort, is kept in both)."""
        for chip in self.chips:
            chip.url = _url(base_url, self.query(extra, without=chip.drop))
        self.clear_url = _url(base_url, urlencode(list(extra)))
        self.url = _url(base_url, self.query(extra))

    def value(self, name: str) -> str:
        values = self.selected.get(name) or [""]
        return values[0]

    def has(self, name: str, value) -> bool:
        return str(value) in self.selected.get(name, ())


def parse_filter(params, ctx: FilterContext, *, default_state: str = "all") -> CardFilter:
    """Read the filter parameters of `params` (a QueryDict or a dict of lists) against `ctx`."""
    result = CardFilter(state=default_state, ctx=ctx)
    _Parser(params, ctx, result).run()
    return result


def _url(base_url: str, query: str) -> str:
    return f"{base_url}?{query}" if query else base_url


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


# ---------------------------------------------------------------- query strings


def clean_query(query: str, *, allowed_extra: tuple = ("sort", "group")) -> str:
    """A query string reduced to the parameters a view understands (filters, custom fields,
    `archived` and `allowed_extra`), without empty values: what a saved view stores."""
    names = {*FACETS, "archived", *allowed_extra}
    kept = []
    for name, value in parse_qsl(query or "", keep_blank_values=False):
        value = value.strip()
        if not value:
            continue
        if name in names or _is_field_param(name):
            kept.append((name, value[:MAX_TEXT]))
    return urlencode(kept)


def _is_field_param(name: str) -> bool:
    if not name.startswith("cf_"):
        return False
    key = name[3:].removesuffix("_from").removesuffix("_to")
    return parse_id(key) is not None
