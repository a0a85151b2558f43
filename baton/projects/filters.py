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

This module holds what a filter may name (FilterContext) and the parsed filter (CardFilter: its
condition on tasks, its chips and canonical query string); filter_parser.py reads the parameters
into one, facet by facet. Custom field values are read with the expressions of field_sql.py.
"""

import datetime
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import parse_qsl, urlencode

from django.db.models import Q
from django.utils import timezone

from baton.core.validation import parse_id
from baton.projects.models import CustomField, Tag, TaskList
from baton.projects.queries import project_people

FACETS = ("owner", "participant", "tag", "priority", "due", "due_from", "due_to", "state", "list")
MAX_TEXT = 200


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


def _url(base_url: str, query: str) -> str:
    return f"{base_url}?{query}" if query else base_url


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
