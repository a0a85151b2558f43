"""Reusable reads. Each returns everything its page needs in a fixed number of queries."""

from django.conf import settings
from django.db.models import Count, Prefetch, Q, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import get_language

from baton.activity.models import Activity
from baton.projects.models import Priority, Project, Tag, Task, TaskList

CARD_FIELDS = (
    "id",
    "project_id",
    "list_id",
    "number",
    "title",
    "assignee_id",
    "due_date",
    "priority",
    "position",
    "completed_at",
    "archived_at",
    "version",
    "assignee__id",
    "assignee__name",
    "assignee__email",
    "assignee__avatar_color",
)


def decorate_cards(tasks, project: Project) -> list[Task]:
    """Attach what a card prints, computed once in Python rather than per card in the template:
    the project (no query per card), the due badge's label and state, the priority's label."""
    today = timezone.localdate()
    this_year = today.year
    chinese = (get_language() or "").startswith("zh")
    priorities = {value: str(label) for value, label in Priority.choices}
    for task in tasks:
        task.project = project
        task.priority_label = priorities.get(task.priority, "")
        due = task.due_date
        if due is None:
            task.due_label = task.due_state = ""
            continue
        task.due_label = _short_date(due, this_year, chinese)
        if task.completed_at:
            task.due_state = ""
        elif due < today:
            task.due_state = "overdue"
        elif due == today:
            task.due_state = "today"
        elif (due - today).days <= 2:
            task.due_state = "soon"
        else:
            task.due_state = ""
    return tasks


def _short_date(value, this_year: int, chinese: bool) -> str:
    if chinese:
        prefix = "" if value.year == this_year else f"{value.year}年"
        return f"{prefix}{value.month}月{value.day}日"
    text = f"{MONTHS[value.month - 1]} {value.day}"
    return text if value.year == this_year else f"{text}, {value.year}"


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def card_queryset():
    """Tasks with what a card shows, and no more (descriptions stay in the database)."""
    return (
        Task.objects.select_related("assignee")
        .only(*CARD_FIELDS)
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.only("id", "name", "color")))
    )


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
    shown: list[Task] = []
    for task_list in lists:
        task_list.project = project
        task_list.cards = list(
            Task.objects.select_related("assignee")
            .only(*CARD_FIELDS)
            .filter(list=task_list, archived_at__isnull=True, parent__isnull=True)
            .order_by("position", "id")[:page_size]
        )
        task_list.has_more = task_list.card_count > len(task_list.cards)
        shown.extend(task_list.cards)
    prefetch_related_objects(
        shown, Prefetch("tags", queryset=Tag.objects.only("id", "name", "color"))
    )
    decorate_cards(shown, project)
    return lists


def more_cards(
    task_list: TaskList, *, after_position: float, after_id: int, page_size: int | None = None
) -> list[Task]:
    """The next page of a long list, after the last card already shown."""
    page_size = page_size or settings.BATON_BOARD_PAGE_SIZE
    tasks = list(
        card_queryset()
        .filter(list=task_list, archived_at__isnull=True, parent__isnull=True)
        .filter(Q(position__gt=after_position) | Q(position=after_position, id__gt=after_id))
        .order_by("position", "id")[: page_size + 1]
    )
    return decorate_cards(tasks, task_list.project)


def card(task_id: int, project: Project) -> Task:
    return decorate_cards([card_queryset().get(pk=task_id, project=project)], project)[0]


def task_history(task: Task) -> list[Activity]:
    return list(
        Activity.objects.filter(target_type="task", target_id=task.pk)
        .select_related("actor")
        .order_by("-created_at", "-id")[:200]
    )


def project_people(project: Project):
    """Everyone who may be assigned in the project: its members, the organization's owners and
    admins, and for an organization-wide project every non-guest member of the organization."""
    from django.contrib.auth import get_user_model

    from baton.orgs.models import MANAGER_ROLES, Membership, Role
    from baton.projects.models import ProjectMember, Visibility

    org_members = Membership.objects.filter(organization_id=project.organization_id)
    allowed = Q(pk__in=org_members.filter(role__in=MANAGER_ROLES).values("user_id")) | Q(
        pk__in=ProjectMember.objects.filter(project=project).values("user_id")
    )
    if project.visibility == Visibility.ORGANIZATION:
        allowed |= Q(pk__in=org_members.exclude(role=Role.GUEST).values("user_id"))
    return get_user_model().objects.filter(allowed).order_by("name")
