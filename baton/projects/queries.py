"""Reusable reads. Each returns everything its page needs in a fixed number of queries."""

import datetime
from collections import defaultdict
from html import escape
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from baton.accounts.models import initials_of
from baton.activity.models import Activity
from baton.core.prepared import PreparedQuery
from baton.discussion.models import Comment
from baton.discussion.queries import latest_comments
from baton.lib.dates import due_state, short_date
from baton.lib.segment import parse_query
from baton.orgs.models import MANAGER_ROLES, Membership, Role
from baton.orgs.permissions import is_org_manager
from baton.projects.models import (
    CustomField,
    FieldKind,
    Priority,
    Project,
    ProjectMember,
    ProjectRole,
    Tag,
    Task,
    TaskList,
    Visibility,
)
from baton.projects.permissions import editable_projects, visible_projects
from baton.projects.presenters import format_number, has_value
from baton.search.highlight import highlight
from baton.search.services import search as search_entries

# What a card shows, and no more: descriptions stay in the database.
CARD_VALUES = (
    "id",
    "list_id",
    "number",
    "title",
    "priority",
    "position",
    "due_date",
    "completed_at",
    "archived_at",
    "assignee_id",
    "assignee__name",
    "assignee__email",
    "assignee__avatar_color",
    "subtasks_total",
    "subtasks_done",
    "custom_values",
)


def _open_cards():
    return Task.objects.filter(archived_at__isnull=True, parent__isnull=True)


def cards_from_rows(rows: list[dict], project: Project) -> list[dict]:
    """Turn card rows into what the card partial prints, with their tags (one query for all).

    Cards are plain dicts, not model instances: a board renders hundreds of them, and the
    template engine resolves `card.title` on a dict at its first try.
    """
    tags: dict[int, list[dict]] = defaultdict(list)
    if rows:
        through = Task.tags.through.objects.filter(task_id__in=[row["id"] for row in rows])
        for task_id, name, color in through.order_by("tag__name").values_list(
            "task_id", "tag__name", "tag__color"
        ):
            tags[task_id].append({"name": name, "color": color})
    today, chinese, priorities = timezone.localdate(), _is_chinese(), _priority_labels()
    on_card = card_fields(project, rows)
    return [
        _card(row, project, tags[row["id"]], today, chinese, priorities, on_card) for row in rows
    ]


def _is_chinese() -> bool:
    return (get_language() or "").startswith("zh")


def _priority_labels() -> dict[int, str]:
    return {value: str(label) for value, label in Priority.choices}


def _card(
    row: dict, project: Project, tags: list[dict], today, chinese: bool, priorities, on_card=None
) -> dict:
    due, done = row["due_date"], row["completed_at"] is not None
    assignee = None
    if row["assignee_id"]:
        assignee = {
            "name": row["assignee__name"],
            "avatar_color": row["assignee__avatar_color"],
            "initials": initials_of(row["assignee__name"], row["assignee__email"]),
        }
    return {
        "pk": row["id"],
        "list_id": row["list_id"],
        "number": row["number"],
        "reference": f"{project.key}-{row['number']}",
        "title": row["title"],
        "position": row["position"],
        "done": done,
        # Shown only when a filter asks for archived cards ("Show archived").
        "archived": row.get("archived_at") is not None,
        "priority": row["priority"],
        "priority_label": priorities.get(row["priority"], ""),
        "due_label": short_date(due, today.year, chinese) if due else "",
        "due_state": "" if due is None or done else due_state(due, today),
        "assignee": assignee,
        "tags": tags,
        "subtasks_total": row["subtasks_total"],
        "subtasks_done": row["subtasks_done"],
        **_card_values(row.get("custom_values"), on_card),
    }


def _cards(card_filter=None):
    """Top-level cards without the archived ones, or those a filter (filters.CardFilter) keeps."""
    if card_filter is None:
        return _open_cards()
    return card_filter.apply(Task.objects.filter(parent__isnull=True), board=True)


def board(project: Project, *, page_size: int | None = None, card_filter=None) -> list:
    """The open lists of a board, each with its first `page_size` open cards and its card count.

    One query for the lists with their counts, one per list for its first cards (each walks the
    (list, archived_at, position) index and stops after `page_size` rows, so a list of 5,000 cards
    costs what a list of 20 does), and one for the tags of every card shown. Nothing grows with
    the number of cards.

    With a `card_filter` that narrows the board, each list shows the cards it keeps, and one more
    query counts them per list: `card_count` is then the matching cards, `total_count` all of them.
    """
    page_size = page_size or settings.BATON_BOARD_PAGE_SIZE
    lists = list(
        TaskList.objects.filter(project=project, archived_at__isnull=True)
        .annotate(
            card_count=Count(
                "tasks", filter=Q(tasks__archived_at__isnull=True, tasks__parent__isnull=True)
            )
        )
        .order_by("position", "id")
    )
    rows: list[dict] = []
    for task_list in lists:
        task_list.project = project
        rows.extend(
            _cards(card_filter)
            .filter(list=task_list)
            .order_by("position", "id")
            .values(*CARD_VALUES)[:page_size]
        )
    if card_filter is not None and card_filter.narrows:
        matching = dict(
            _cards(card_filter)
            .filter(list_id__in=[task_list.pk for task_list in lists])  # the list index
            .order_by()
            .values("list_id")
            .annotate(n=Count("pk"))
            .values_list("list_id", "n")
        )
        for task_list in lists:
            task_list.total_count = task_list.card_count
            task_list.card_count = matching.get(task_list.pk, 0)
            task_list.filtered = True
    by_list: dict[int, list[dict]] = defaultdict(list)
    for card in cards_from_rows(rows, project):
        by_list[card["list_id"]].append(card)
    for task_list in lists:
        task_list.cards = by_list[task_list.pk]
        task_list.has_more = task_list.card_count > len(task_list.cards)
    return lists


def next_page_size(shown: int) -> int:
    """How many cards the next page of a list brings when `shown` are on screen: as many again
    (pages double), from the first page's size up to BATON_BOARD_MAX_PAGE_SIZE."""
    first = settings.BATON_BOARD_PAGE_SIZE
    return max(first, min(shown, settings.BATON_BOARD_MAX_PAGE_SIZE))


def more_cards(
    task_list: TaskList,
    *,
    after_position: float,
    after_id: int,
    page_size: int | None = None,
    card_filter=None,
) -> list[dict]:
    """The next page of a long list after the last card already shown (one more row than a page,
    so the caller knows whether yet another page follows); only cards `card_filter` keeps."""
    page_size = page_size or settings.BATON_BOARD_PAGE_SIZE
    rows = list(
        _cards(card_filter)
        .filter(list=task_list)
        .filter(Q(position__gt=after_position) | Q(position=after_position, id__gt=after_id))
        .order_by("position", "id")
        .values(*CARD_VALUES)[: page_size + 1]
    )
    return cards_from_rows(rows, task_list.project)


def card_for(task: Task, project: Project, *, tags: list | None = None) -> dict:
    """The card of a task already in memory (its assignee loaded). `tags`: the task's tags when
    the caller has them (a task just created from a title has none); otherwise one query."""
    if tags is None:
        tags = list(task.tags.all())
    assignee = task.assignee if task.assignee_id else None
    row = {
        "id": task.pk,
        "list_id": task.list_id,
        "number": task.number,
        "title": task.title,
        "priority": task.priority,
        "position": task.position,
        "due_date": task.due_date,
        "completed_at": task.completed_at,
        "archived_at": task.archived_at,
        "assignee_id": task.assignee_id,
        "assignee__name": assignee.name if assignee else "",
        "assignee__email": assignee.email if assignee else "",
        "assignee__avatar_color": assignee.avatar_color if assignee else "",
        "subtasks_total": task.subtasks_total,
        "subtasks_done": task.subtasks_done,
        "custom_values": task.custom_values,
    }
    tag_dicts = [{"name": tag.name, "color": tag.color} for tag in sorted(tags, key=_tag_name)]
    today, on_card = timezone.localdate(), card_fields(project, [row])
    return _card(row, project, tag_dicts, today, _is_chinese(), _priority_labels(), on_card)


def _tag_name(tag) -> str:
    return tag.name


def subtasks_of(task: Task) -> list[Task]:
    """A card's checklist in order (archived subtasks left out); empty for a subtask."""
    if task.parent_id:
        return []
    return list(
        task.subtasks.filter(archived_at__isnull=True)
        .select_related("assignee")
        .order_by("position", "id")
    )


def parent_of(task: Task) -> Task | None:
    """The card a subtask belongs to (title and number, for the panel's breadcrumb)."""
    if not task.parent_id:
        return None
    return Task.objects.only("pk", "number", "title", "project_id").get(pk=task.parent_id)


def timeline(
    task: Task, *, user_id: int | None = None, moderator: bool = False, limit: int = 200
) -> list:
    """Comments and changes of a task, oldest first (the newest at the bottom, beside the box
    to write the next comment): the last `limit` of each, in three queries. `user_id` (someone
    who may write on the card) edits and deletes their own comments, a `moderator` anyone's."""
    comments = latest_comments(task, limit=limit)
    for comment in comments:
        comment.kind = "comment"
        mine = user_id is not None and comment.author_id == user_id
        comment.editable = mine
        comment.deletable = mine or (user_id is not None and moderator)
    changes = task_history(task, limit=limit)
    for entry in changes:
        entry.kind = "change"
    return sorted([*comments, *changes], key=_when)


def _when(entry):
    return entry.created_at


def task_history(task: Task, limit: int = 200) -> list[Activity]:
    return list(
        Activity.objects.filter(target_type="task", target_id=task.pk)
        .exclude(verb__in=["comment.added", "comment.edited"])  # the comment itself shows
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )


def project_people(project: Project):
    """Everyone who may be assigned in the project: its members, the organization's owners and
    admins, and for an organization-wide project every non-guest member of the organization."""
    org_members = Membership.objects.filter(organization_id=project.organization_id)
    allowed = Q(pk__in=org_members.filter(role__in=MANAGER_ROLES).values("user_id")) | Q(
        pk__in=ProjectMember.objects.filter(project=project).values("user_id")
    )
    if project.visibility == Visibility.ORGANIZATION:
        allowed |= Q(pk__in=org_members.exclude(role=Role.GUEST).values("user_id"))
    return get_user_model().objects.filter(allowed).order_by("name")


def search_tasks(user, organization, query: str, *, limit: int = 20) -> list[dict]:
    """The tasks of `organization` matching `query` that `user` may see, best first: one row per
    task (a task found by its title and by a comment appears once, with its best hit).

    A fixed number of queries: the visible projects, the search, the comments' tasks, the tasks.
    Archived cards and cards of archived projects are left out.
    """

    projects = {p.pk: p for p in visible_projects(user, organization).filter(archived_at=None)}
    if not projects:
        return []
    # Twice the rows asked for: some may be archived cards or a second hit on the same task.
    hits = search_entries(
        organization_id=organization.pk,
        project_ids=list(projects),
        query=query,
        kinds=["task", "comment"],
        limit=limit * 2,
    )
    comment_ids = [hit.object_id for hit in hits if hit.kind == "comment"]
    # Only cards' comments are indexed: their owner is the card.
    task_of_comment = dict(
        Comment.objects.filter(pk__in=comment_ids).values_list("pk", "owner_id")
        if comment_ids
        else []
    )
    hit_tasks = [
        (hit, hit.object_id if hit.kind == "task" else task_of_comment.get(hit.object_id))
        for hit in hits
    ]
    task_ids = {task_id for _hit, task_id in hit_tasks if task_id is not None}
    tasks = Task.objects.filter(pk__in=task_ids, archived_at=None).select_related("list", "parent")
    by_id = {task.pk: task for task in tasks}
    terms = parse_query(query)
    results, seen = [], set()
    for hit, task_id in hit_tasks:
        task = by_id.get(task_id) if task_id is not None else None
        if task is None or task_id in seen:
            continue
        seen.add(task_id)
        task.project = projects[task.project_id]
        title_html = hit.title_html if hit.kind == "task" else highlight(task.title, terms)
        reasons = match_reasons(hit.labels, terms)
        results.append({"hit": hit, "task": task, "title_html": title_html, "reasons": reasons})
        if len(results) == limit:
            break
    return results


def tags_with_counts(project: Project) -> list[Tag]:
    """The project's tags by name, each with `cards`: how many cards carry it (one query)."""
    return list(Tag.objects.filter(project=project).annotate(cards=Count("tasks")).order_by("name"))


# How a card's search entry names its labels (services/indexing.py writes them, language-free).
TAG_LABEL = "tag"
FIELD_LABEL = "field:"


def match_reasons(labels, terms) -> list[SafeString]:
    """Why a card was found when it was by its labels (see services/indexing.py), worded for the
    reader with the match marked ("Tag: <mark>refund</mark>", "Field Type: <mark>return</mark>")."""
    reasons = []
    for label, value in labels:
        value_html = highlight(value, terms)
        if label == TAG_LABEL:
            text = _("Tag: %(value)s") % {"value": value_html}
        elif label.startswith(FIELD_LABEL):
            name = escape(label.removeprefix(FIELD_LABEL))
            text = _("Field %(field)s: %(value)s") % {"field": name, "value": value_html}
        else:
            continue
        reasons.append(mark_safe(text))  # the name is escaped, the value marked and escaped
    return reasons


def destination_lists(user, organization) -> list[dict]:
    """The open lists a card may be copied or moved to, by project: [{project, lists}]."""
    projects = editable_projects(user, organization)
    lists = (
        TaskList.objects.filter(project__in=projects, archived_at=None)
        .select_related("project")
        .order_by("project__name", "project_id", "position", "id")
    )
    groups: dict[int, dict] = {}
    for task_list in lists:
        group = groups.setdefault(task_list.project_id, {"project": task_list.project, "lists": []})
        group["lists"].append(task_list)
    return list(groups.values())


# ---------------------------------------------------------------- custom fields


def custom_fields(project: Project) -> list[CustomField]:
    """The project's custom fields in their settings order.

    One query, then the list is kept on `project` for the rest of the request: the board, its
    cards, the quick-add form and the task panel all read the same list. The field services
    forget it (forget_custom_fields) when they change a field.
    """
    cache = project.__dict__
    if "_custom_fields" not in cache:
        cache["_custom_fields"] = _CUSTOM_FIELDS.all(project_id=project.pk)
    return cache["_custom_fields"]


# Read by every quick-add and board page: its SQL is written once per process (core/prepared.py).
_CUSTOM_FIELDS = PreparedQuery(
    lambda project_id: CustomField.objects.filter(project_id=project_id).order_by("position", "id"),
    project_id=int,
)


def forget_custom_fields(project: Project) -> None:
    project.__dict__.pop("_custom_fields", None)


def field_value_counts(project: Project) -> dict[int, int]:
    """How many cards (and subtasks) of the project hold a value for each field: one query."""
    fields = custom_fields(project)
    if not fields:
        return {}
    counts = Task.objects.filter(project_id=project.pk).aggregate(
        **{
            f"f{field.pk}": Count("pk", filter=Q(custom_values__has_key=str(field.pk)))
            for field in fields
        }
    )
    return {field.pk: counts[f"f{field.pk}"] for field in fields}


def field_option(field: CustomField, option_id) -> dict | None:
    """The option {"id", "name", "color"} of a select field with this id, or None."""
    return next((option for option in field.options if option["id"] == option_id), None)


def field_chips(field: CustomField, value) -> list[dict]:
    """The chosen options of a select or multi-select value, in the field's order: what a
    coloured chip shows ({"id", "name", "color"}). Options removed since are left out."""
    if field.kind not in (FieldKind.SELECT, FieldKind.MULTI) or value in (None, "", []):
        return []
    chosen = set(value) if isinstance(value, list) else {value}
    return [option for option in field.options if option["id"] in chosen]


def display_value(field: CustomField, value, people_by_id: dict | None = None) -> str:
    """A card's stored value of `field` as plain text, "" when it has none.

    Text and URL as stored; numbers without a trailing .0 (format_number); dates as
    YYYY-MM-DD; select options by name (a multi-select's joined with "、" in Chinese, ", "
    otherwise; options removed since are left out); a checked box as "✓"; a member by name,
    looked up in `people_by_id` ({user id: user or name}, e.g. built once from
    project_people(project) for a whole page) — without it, or for someone not in it, "".
    Read `Task.custom_values[str(field.pk)]` for `value`.
    """
    if not has_value(value):
        return ""
    match field.kind:
        case FieldKind.NUMBER:
            return format_number(value)
        case FieldKind.SELECT | FieldKind.MULTI:
            separator = "、" if _is_chinese() else ", "
            return separator.join(option["name"] for option in field_chips(field, value))
        case FieldKind.CHECKBOX:
            return "✓"
        case FieldKind.MEMBER:
            person = (people_by_id or {}).get(value)
            return "" if person is None else str(getattr(person, "name", person))
        case _:
            return str(value)


def card_fields(project: Project, rows: list[dict]) -> dict:
    """What cards need of the custom fields, once for all `rows`: the fields shown on cards,
    the required ones (a card missing one is marked incomplete) and the names of the people
    that member fields on cards hold (one query, only when there are some)."""
    fields = custom_fields(project)
    shown = [field for field in fields if field.show_on_card]
    people: dict[int, str] = {}
    members = [field for field in shown if field.kind == FieldKind.MEMBER]
    if members:
        values = ((row.get("custom_values") or {}).get(str(f.pk)) for row in rows for f in members)
        ids = {value for value in values if value is not None}
        if ids:
            people = dict(get_user_model().objects.filter(pk__in=ids).values_list("pk", "name"))
    return {"shown": shown, "required": [f for f in fields if f.required], "people": people}


def _card_values(values: dict | None, on_card: dict | None) -> dict:
    """A card's custom fields as the card prints them: [{"name", "text", "chips"}] and whether
    it lacks a required value (with the names of the fields it lacks)."""
    if not on_card:
        return {"fields": [], "missing": []}
    values = values or {}
    shown = []
    for field in on_card["shown"]:
        value = values.get(str(field.pk))
        if not has_value(value):
            continue
        chips = field_chips(field, value)
        text = "" if chips else display_value(field, value, on_card["people"])
        if chips or text:
            shown.append({"name": field.name, "kind": field.kind, "text": text, "chips": chips})
    missing = [field.name for field in on_card["required"] if str(field.pk) not in values]
    return {"fields": shown, "missing": missing}


# ---------------------------------------------------------------- my tasks

MY_TASKS_LIMIT = 500
MY_TASK_TABS = ("assigned", "following", "created")
MY_TASK_GROUPS = ("overdue", "today", "week", "later", "none")
MY_TASK_VALUES = (
    "id",
    "number",
    "title",
    "priority",
    "due_date",
    "completed_at",
    "project_id",
    "parent_id",
    "parent__title",
    "list__name",
    "parent__list__name",
)


def my_tasks(user, organization, today, *, tab: str = "assigned") -> dict:
    """The open tasks of `organization` that are `user`'s (assigned to them, followed, or created
    by them, after `tab`), in the projects they may see, grouped by due date as seen on `today`
    (the user's own date): overdue, today, the rest of this week (through Sunday), later, no date.

    Subtasks are included (with their card's title); archived cards, subtasks of archived cards
    and cards of archived projects or lists are left out. A subtask stands in its card's list.

    Two queries: the projects with the user's role in each, and the tasks. Past MY_TASKS_LIMIT
    tasks, two more: the first MY_TASKS_LIMIT by due date, and the groups' counts.
    """
    member_role = ProjectMember.objects.filter(project=OuterRef("pk"), user_id=user.pk)
    projects = {
        project.pk: project
        for project in visible_projects(user, organization)
        .filter(archived_at__isnull=True)
        .annotate(my_role=Subquery(member_role.values("role")[:1]))
        .only("pk", "key", "name", "color")
    }
    groups: dict[str, dict[str, Any]] = {
        name: {"name": name, "tasks": [], "count": 0} for name in MY_TASK_GROUPS
    }
    result: dict[str, Any] = {"groups": [], "total": 0, "truncated": False}
    if not projects:
        return result
    tasks = _open_tasks_of(user, tab).filter(project_id__in=list(projects))
    # Unordered, then sorted here: with an ORDER BY, PostgreSQL overestimates someone's open
    # tasks (it cannot know most of theirs are finished) and starts a parallel worker that costs
    # more than the query. Only past the limit does the database choose which come first.
    rows = list(tasks.order_by().values(*MY_TASK_VALUES)[: MY_TASKS_LIMIT + 1])
    if len(rows) > MY_TASKS_LIMIT:
        ordered = tasks.order_by(F("due_date").asc(nulls_last=True), "-priority", "id")
        rows = list(ordered.values(*MY_TASK_VALUES)[:MY_TASKS_LIMIT])
        result["truncated"] = True
    rows.sort(key=_by_due_date)
    manager = is_org_manager(user, organization)
    week_end = today + datetime.timedelta(days=6 - today.weekday())
    chinese, priorities = _is_chinese(), _priority_labels()
    for row in rows:
        project = projects[row["project_id"]]
        task = my_task_row(row, project, today, chinese, priorities)
        task["can_edit"] = manager or project.my_role in (ProjectRole.MEMBER, ProjectRole.ADMIN)
        groups[due_group(row["due_date"], today, week_end)]["tasks"].append(task)
    if result["truncated"]:
        counts = tasks.aggregate(
            overdue=Count("pk", filter=Q(due_date__lt=today)),
            today=Count("pk", filter=Q(due_date=today)),
            week=Count("pk", filter=Q(due_date__gt=today, due_date__lte=week_end)),
            later=Count("pk", filter=Q(due_date__gt=week_end)),
            none=Count("pk", filter=Q(due_date__isnull=True)),
        )
    else:
        counts = {name: len(group["tasks"]) for name, group in groups.items()}
    for name, group in groups.items():
        group["count"] = counts[name]
        group["hidden"] = counts[name] - len(group["tasks"])
        # Dated groups come soonest due first (the query's order); undated ones by priority.
        if name == "none":
            group["tasks"].sort(key=_by_priority)
    result["groups"] = [group for group in groups.values() if group["count"]]
    result["total"] = sum(counts.values())
    return result


def _open_tasks_of(user, tab: str):
    tasks = Task.objects.filter(
        completed_at__isnull=True,
        archived_at__isnull=True,
        # A LEFT JOIN: true for cards (no parent) and for subtasks of cards not archived.
        parent__archived_at__isnull=True,
    ).filter(
        Q(parent__isnull=True, list__archived_at__isnull=True)
        | Q(parent__isnull=False, parent__list__archived_at__isnull=True)
    )
    if tab == "following":
        return tasks.filter(participants=user)
    if tab == "created":
        return tasks.filter(created_by=user)
    return tasks.filter(assignee=user)


def _by_due_date(row: dict):
    due = row["due_date"]
    return (due is None, due or datetime.date.min, -row["priority"], row["id"])


def _by_priority(task: dict):
    return (-task["priority"], task["project_name"], task["number"])


def due_group(due, today, week_end) -> str:
    """Which group of My tasks a due date falls in, seen on `today` (a week ends on Sunday)."""
    if due is None:
        return "none"
    if due < today:
        return "overdue"
    if due == today:
        return "today"
    return "week" if due <= week_end else "later"


def my_task_row(row: dict, project: Project, today, chinese: bool, priorities) -> dict:
    """One row of My tasks from MY_TASK_VALUES (plain dicts: a page may show hundreds)."""
    due, done = row["due_date"], row["completed_at"] is not None
    return {
        "pk": row["id"],
        "number": row["number"],
        "reference": f"{project.key}-{row['number']}",
        "title": row["title"],
        "done": done,
        "priority": row["priority"],
        "priority_label": priorities.get(row["priority"], ""),
        "due_label": short_date(due, today.year, chinese) if due else "",
        "due_state": "" if due is None or done else due_state(due, today),
        "project_name": project.name,
        "project_color": project.color,
        "list_name": row["parent__list__name"] if row["parent_id"] else row["list__name"],
        "parent_title": row["parent__title"] or "",
        "can_edit": True,
    }


def my_task_row_of(task: Task) -> dict:
    """The row of a task already loaded with its project and list (after a quick complete):
    one more query for a subtask's card."""
    row = {
        "id": task.pk,
        "number": task.number,
        "title": task.title,
        "priority": task.priority,
        "due_date": task.due_date,
        "completed_at": task.completed_at,
        "parent_id": task.parent_id,
        "parent__title": None,
        "list__name": task.list.name,
        "parent__list__name": None,
    }
    if task.parent_id:
        parent = (
            Task.objects.select_related("list").only("title", "list__name").get(pk=task.parent_id)
        )
        row["parent__title"], row["parent__list__name"] = parent.title, parent.list.name
    today = timezone.localdate()
    return my_task_row(row, task.project, today, _is_chinese(), _priority_labels())


def app_page(user, org, **context) -> dict:
    """What every page on app.html needs from its view: the organization (the sidebar reads its
    projects itself, templatetags/sidebar.py; the bell and the switcher come from context
    processors)."""
    return {"org": org, **context}
