"""Reusable reads. Each returns everything its page needs in a fixed number of queries."""

from collections import defaultdict
from html import escape

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from baton.accounts.models import initials_of
from baton.activity.models import Activity
from baton.lib.dates import due_state, short_date
from baton.lib.markdown import render_markdown
from baton.orgs.models import MANAGER_ROLES, Membership, Role
from baton.projects.models import Priority, Project, ProjectMember, Task, TaskList, Visibility

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
    "assignee_id",
    "assignee__name",
    "assignee__email",
    "assignee__avatar_color",
    "subtasks_total",
    "subtasks_done",
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
    return [_card(row, project, tags[row["id"]], today, chinese, priorities) for row in rows]


def _is_chinese() -> bool:
    return (get_language() or "").startswith("zh")


def _priority_labels() -> dict[int, str]:
    return {value: str(label) for value, label in Priority.choices}


def _card(row: dict, project: Project, tags: list[dict], today, chinese: bool, priorities) -> dict:
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
        "priority": row["priority"],
        "priority_label": priorities.get(row["priority"], ""),
        "due_label": short_date(due, today.year, chinese) if due else "",
        "due_state": "" if due is None or done else due_state(due, today),
        "assignee": assignee,
        "tags": tags,
        "subtasks_total": row["subtasks_total"],
        "subtasks_done": row["subtasks_done"],
    }


def board(project: Project, *, page_size: int | None = None) -> list[TaskList]:
    """The open lists of a board, each with its first `page_size` open cards and its card count.

    One query for the lists with their counts, one per list for its first cards (each walks the
    (list, archived_at, position) index and stops after `page_size` rows, so a list of 5,000 cards
    costs what a list of 20 does), and one for the tags of every card shown. Nothing grows with
    the number of cards.
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
            _open_cards()
            .filter(list=task_list)
            .order_by("position", "id")
            .values(*CARD_VALUES)[:page_size]
        )
    by_list: dict[int, list[dict]] = defaultdict(list)
    for card in cards_from_rows(rows, project):
        by_list[card["list_id"]].append(card)
    for task_list in lists:
        task_list.cards = by_list[task_list.pk]
        task_list.has_more = task_list.card_count > len(task_list.cards)
    return lists


def more_cards(
    task_list: TaskList, *, after_position: float, after_id: int, page_size: int | None = None
) -> list[dict]:
    """The next page of a long list after the last card already shown (one more row than a page,
    so the caller knows whether yet another page follows)."""
    page_size = page_size or settings.BATON_BOARD_PAGE_SIZE
    rows = list(
        _open_cards()
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
        "assignee_id": task.assignee_id,
        "assignee__name": assignee.name if assignee else "",
        "assignee__email": assignee.email if assignee else "",
        "assignee__avatar_color": assignee.avatar_color if assignee else "",
        "subtasks_total": task.subtasks_total,
        "subtasks_done": task.subtasks_done,
    }
    tag_dicts = [{"name": tag.name, "color": tag.color} for tag in sorted(tags, key=_tag_name)]
    return _card(row, project, tag_dicts, timezone.localdate(), _is_chinese(), _priority_labels())


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


def timeline(task: Task, limit: int = 200) -> list:
    """Comments and changes of a task, oldest first (the newest at the bottom, beside the box
    to write the next comment): the last `limit` of each, in three queries."""
    comments = list(
        task.comments.select_related("author")
        .prefetch_related("mentions")
        .order_by("-created_at", "-id")[:limit]
    )
    for comment in comments:
        comment.kind = "comment"
        comment.html = highlight_mentions(
            render_markdown(comment.body), [person.name for person in comment.mentions.all()]
        )
    changes = task_history(task, limit=limit)
    for entry in changes:
        entry.kind = "change"
    return sorted([*comments, *changes], key=_when)


def _when(entry):
    return entry.created_at


def highlight_mentions(html: str, names: list[str]) -> SafeString:
    """Mark the @names of the people a comment mentions in its (already sanitised) HTML."""
    for name in sorted(names, key=len, reverse=True):
        token = escape(f"@{name}")
        html = html.replace(token, f'<span class="mention">{token}</span>')
    return mark_safe(html)


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
