"""The list view's reads: one row per top-level card, filtered, sorted, grouped, a page at a time.

    ?sort=due / ?sort=-priority / ?sort=cf_<id>     the column to sort by; "-" reverses it
    ?group=list|owner|priority|tag|cf_<id>          group rows (cf_<id>: a single-select field)

Default order: the board's (lists in board order, then the cards of each list as on the board).
Empty values sort last in both directions; the task id breaks ties, so the order is total and a
page boundary never moves while nothing changes. Pages are offsets of PAGE_SIZE rows (a card
added meanwhile may shift the next page by one row; the offset is cheaper than keyset
pagination on a sort by any column and is as fast for the first pages, which is what people read).

Grouping by tag puts a card with two tags in both groups (as Linear and Teambition do): the rows
are then (card, tag) pairs, cards without a tag come last under "No tag".

A page costs a fixed number of queries: the count, the groups' counts (grouped only), the rows
(with their owners joined), their tags; plus what the FilterContext fetches once (lists, tags,
people, custom fields). Nothing grows with the number of rows.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.lookups import Exact
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from baton.projects.field_sql import FieldValue
from baton.projects.models import FieldKind, Priority, Task

PAGE_SIZE = 100
COLUMNS = ("number", "title", "list", "owner", "due", "priority", "tags", "done")
GROUPS = ("list", "owner", "priority", "tag")
DEFAULT_SORT = "list"
ROW_VALUES = (
    "id",
    "number",
    "title",
    "list_id",
    "assignee_id",
    "assignee__name",
    "assignee__email",
    "assignee__avatar_color",
    "due_date",
    "priority",
    "completed_at",
    "archived_at",
    "custom_values",
    "version",
    "subtasks_total",
    "subtasks_done",
)


@dataclass
class Sort:
    key: str = DEFAULT_SORT  # a column of COLUMNS or cf_<id>
    descending: bool = False

    @property
    def param(self) -> str:
        """The `sort` parameter for the URL ("" for the default order)."""
        if self.key == DEFAULT_SORT and not self.descending:
            return ""
        return f"-{self.key}" if self.descending else self.key

    def toggled(self, key: str) -> str:
        """The `sort` value a click on the header of column `key` asks for."""
        if key == self.key:
            return key if self.descending else f"-{key}"
        return key


@dataclass
class Table:
    rows: list
    total: int
    sort: Sort
    group: str
    offset: int
    has_more: bool
    groups: dict = field(default_factory=dict)  # group key -> {"label", "count", "color"}

    @property
    def next_offset(self) -> int:
        return self.offset + len(self.rows)


def parse_sort(value: str | None, ctx) -> Sort:
    """The sort a `sort` parameter asks for; anything unknown gives the default order."""
    value = (value or "").strip()
    descending = value.startswith("-")
    key = value.removeprefix("-")
    if key in COLUMNS or (key.startswith("cf_") and key[3:] in ctx.field_by_id):
        return Sort(key, descending)
    return Sort()


def parse_group(value: str | None, ctx) -> str:
    """The grouping a `group` parameter asks for ("" for none, and for anything unknown)."""
    value = (value or "").strip()
    if value in GROUPS:
        return value
    if value.startswith("cf_"):
        custom = ctx.field_by_id.get(value[3:])
        if custom is not None and custom.kind == FieldKind.SELECT:
            return value
    return ""


def group_choices(ctx) -> list[tuple[str, str]]:
    """What rows may be grouped by, for the menu: (parameter, label)."""
    choices = [
        ("list", _("List")),
        ("owner", pgettext("task", "Owner")),
        ("priority", _("Priority")),
        ("tag", _("Tag")),
    ]
    choices += [(f"cf_{c.pk}", c.name) for c in ctx.fields if c.kind == FieldKind.SELECT]
    return choices


# ---------------------------------------------------------------- ordering


def _ranked(pairs: list[tuple], default=None) -> Case | Value:
    """CASE WHEN <condition> THEN <rank> …: an order given in Python (lists by position, select
    options in their order, people by name) as an expression the database sorts by."""
    whens = [When(condition, then=Value(rank)) for rank, condition in enumerate(pairs)]
    if not whens:
        return Value(default, output_field=IntegerField())
    return Case(*whens, default=Value(default), output_field=IntegerField())


def _list_rank(ctx):
    return _ranked([Q(list_id=task_list.pk) for task_list in ctx.all_lists])


def _option_rank(custom, value):
    return _ranked([Exact(value, str(o.get("id"))) for o in custom.options or [] if o.get("id")])


def _people_rank(ctx, value):
    return _ranked([Exact(value, person.pk) for person in ctx.people])


def _sort_terms(sort: Sort, ctx) -> list:
    """The expressions of one sort column, in the asked direction, empty values last."""
    key = sort.key
    match key:
        case "number":
            terms = [F("number")]
        case "title":
            terms = [F("title")]
        case "list":
            terms = [_list_rank(ctx), F("position")]
        case "owner":
            terms = [F("assignee__name")]
        case "due":
            terms = [F("due_date")]
        case "priority":
            terms = [F("priority")]
        case "tags":
            first = Task.tags.through.objects.filter(task_id=OuterRef("pk")).order_by("tag__name")
            terms = [Subquery(first.values("tag__name")[:1])]
        case "done":
            terms = [F("completed_at")]
        case _:
            terms = [_field_term(ctx.field_by_id[key[3:]], ctx)]
    if key == "done":  # open cards first, then the done ones by when they were done
        flag = Case(When(completed_at__isnull=True, then=Value(0)), default=Value(1))
        terms = [flag, *terms]
    if sort.descending:
        return [term.desc(nulls_last=True) for term in terms]
    return [term.asc(nulls_last=True) for term in terms]


def _field_term(custom, ctx):
    match custom.kind:
        case FieldKind.NUMBER:
            return FieldValue(custom.pk, "number")
        case FieldKind.SELECT:
            return _option_rank(custom, FieldValue(custom.pk))
        case FieldKind.MULTI:
            return _option_rank(custom, FieldValue(custom.pk, "first"))
        case FieldKind.MEMBER:
            return _people_rank(ctx, FieldValue(custom.pk, "number"))
        case FieldKind.CHECKBOX:
            return Case(When(FieldValue(custom.pk, "true"), then=Value(1)), default=Value(None))
        case _:  # text, URL, date ("YYYY-MM-DD" sorts as text)
            return FieldValue(custom.pk)


def _group_terms(group: str, ctx):
    """(annotations, order terms, group key name) of a grouping."""
    match group:
        case "list":
            return {"group_key": F("list_id")}, [_list_rank(ctx).asc(nulls_last=True)]
        case "owner":
            order = [F("assignee__name").asc(nulls_last=True), F("assignee_id").asc()]
            return {"group_key": F("assignee_id")}, order
        case "priority":
            return {"group_key": F("priority")}, [F("priority").desc()]
        case "tag":
            annotations = {"group_key": F("tags__id"), "group_name": F("tags__name")}
            order = [F("group_name").asc(nulls_last=True), F("group_key").asc()]
            return annotations, order
        case _:
            custom = ctx.field_by_id[group[3:]]
            key = FieldValue(custom.pk)
            return {"group_key": key}, [_option_rank(custom, key).asc(nulls_last=True)]


def _group_labels(group: str, ctx, counts: dict) -> dict:
    labels: dict = {}
    match group:
        case "list":
            for task_list in ctx.all_lists:
                labels[task_list.pk] = {"label": task_list.name}
        case "owner":
            for person in ctx.people:
                labels[person.pk] = {"label": person.name or person.email}
            labels[None] = {"label": _("Nobody")}
        case "priority":
            for value, label in Priority.choices:
                labels[value] = {"label": str(label)}
        case "tag":
            for tag in ctx.tags:
                labels[tag.pk] = {"label": tag.name, "color": tag.color}
            labels[None] = {"label": _("No tag")}
        case _:
            custom = ctx.field_by_id[group[3:]]
            for option in custom.options or []:
                labels[str(option.get("id"))] = {
                    "label": option.get("name", ""),
                    "color": option.get("color", ""),
                }
            labels[None] = {"label": _("No value")}
    groups = {}
    for key, count in counts.items():
        info = labels.get(key) or {"label": str(key)}
        groups[key] = {"label": info["label"], "color": info.get("color", ""), "count": count}
    return groups


# ---------------------------------------------------------------- the table


def cards_of(card_filter, project):
    """The top-level cards of `project` that `card_filter` lets through."""
    return card_filter.apply(Task.objects.filter(project=project, parent__isnull=True))


def task_table(
    card_filter,
    ctx,
    *,
    sort: Sort | None = None,
    group: str = "",
    offset: int = 0,
    page_size: int = PAGE_SIZE,
    with_counts: bool = True,
) -> Table:
    """A page of the list view. `with_counts`: count the cards and the groups (the first page
    shows them; the next pages, loaded as the user scrolls, do not need them again)."""
    sort = sort or Sort()
    base = cards_of(card_filter, ctx.project)
    total = base.count() if with_counts else 0
    rows_qs = base
    order = []
    groups = {}
    if group:
        annotations, order = _group_terms(group, ctx)
        rows_qs = rows_qs.annotate(**annotations)
        if with_counts:
            counts = base.annotate(**annotations).values("group_key").annotate(n=Count("pk"))
            counts = {row["group_key"]: row["n"] for row in counts.order_by()}
            groups = _group_labels(group, ctx, counts)
    order += [*_sort_terms(sort, ctx), F("id").asc()]
    names = [*ROW_VALUES, "group_key"] if group else ROW_VALUES
    rows = list(rows_qs.order_by(*order).values(*names)[offset : offset + page_size + 1])
    has_more = len(rows) > page_size
    rows = build_rows(rows[:page_size], ctx)
    return Table(rows, total, sort, group, offset, has_more, groups)


def rows_for(ctx, task_ids: list[int]) -> list[dict]:
    """The rows of some cards, whatever a filter says (a row answering an inline edit)."""
    queryset = Task.objects.filter(project=ctx.project, pk__in=task_ids)
    return build_rows(list(queryset.order_by("id").values(*ROW_VALUES)), ctx)


def build_rows(rows: list[dict], ctx) -> list[dict]:
    """Attach what the row partial prints beyond the row's own values: its tags (one query for
    the page), its list's name and the people its member fields name (one more query only for
    people who may no longer be assigned)."""
    tags: dict[int, list] = defaultdict(list)
    if rows:
        through = Task.tags.through.objects.filter(task_id__in=[row["id"] for row in rows])
        tag_by_id = {tag.pk: tag for tag in ctx.tags}
        for task_id, tag_id in through.values_list("task_id", "tag_id"):
            if tag_id in tag_by_id:
                tags[task_id].append(tag_by_id[tag_id])
    lists = {task_list.pk: task_list for task_list in ctx.all_lists}
    for row in rows:
        row["tags"] = sorted(tags[row["id"]], key=_tag_name)
        row["list"] = lists.get(row["list_id"])
    _attach_member_names(rows, ctx)
    return rows


def _tag_name(tag) -> str:
    return tag.name


def _attach_member_names(rows: list[dict], ctx) -> None:
    members = [c for c in ctx.fields if c.kind == FieldKind.MEMBER]
    people = {person.pk: person for person in ctx.people}
    wanted = {
        (row["custom_values"] or {}).get(str(custom.pk)) for row in rows for custom in members
    }
    missing = {pk for pk in wanted if isinstance(pk, int) and pk not in people}
    if missing:
        extra = get_user_model().objects.filter(pk__in=missing)
        people.update({person.pk: person for person in extra})
    ctx.member_people = people
