from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from baton.core.colors import PALETTE
from baton.files.models import attachment_path as files_attachment_path

KEY_VALIDATOR = RegexValidator(
    r"^[A-Z]{2,10}$", _("A key is 2 to 10 capital letters, like SH or CRM.")
)
TITLE_MAX_LENGTH = 200


class Visibility(models.TextChoices):
    MEMBERS = "members", _("Project members only")
    ORGANIZATION = "org", _("Whole organization")


class ProjectRole(models.TextChoices):
    ADMIN = "admin", _("Admin")
    MEMBER = "member", _("Member")
    VIEWER = "viewer", _("Viewer")


# Higher rank includes the rights of the lower ones.
ROLE_RANK: dict[str, int] = {ProjectRole.VIEWER: 1, ProjectRole.MEMBER: 2, ProjectRole.ADMIN: 3}


class Priority(models.IntegerChoices):
    NONE = 0, _("No priority")
    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")
    URGENT = 4, _("Urgent")


class Project(models.Model):
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="projects"
    )
    name = models.CharField(_("name"), max_length=80)
    key = models.CharField(_("key"), max_length=10, validators=[KEY_VALIDATOR])
    description = models.TextField(_("description"), blank=True, max_length=5000)
    color = models.CharField(_("colour"), max_length=16, choices=PALETTE, default="blue")
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    # The last task number handed out; only ever incremented (see services.allocate_task_number).
    task_counter = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="ProjectMember", related_name="projects"
    )
    # Set by the access helpers (permissions._checked): whose role was fetched with the project.
    _viewer_id: int
    _viewer_member_role: str | None

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="unique_project_key")
        ]

    def __str__(self) -> str:
        return self.name


class ProjectMember(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_memberships"
    )
    role = models.CharField(
        _("role"), max_length=10, choices=ProjectRole.choices, default=ProjectRole.MEMBER
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="unique_project_member")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.project} ({self.role})"


class TaskList(models.Model):
    """A board column: a stage such as 客户反馈 or 处理中."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="lists")
    name = models.CharField(_("name"), max_length=60)
    position = models.FloatField(default=0)
    wip_limit = models.PositiveIntegerField(_("WIP limit"), null=True, blank=True)
    is_done = models.BooleanField(_("done list"), default=False)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # A board's reads (queries.board) set these: the cards shown, the unfiltered count beside
    # the count of matching cards (`card_count`, annotated), and whether more cards follow.
    total_count: int
    filtered: bool
    cards: list[dict]
    has_more: bool

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["project", "position"])]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(_("name"), max_length=30)
    color = models.CharField(_("colour"), max_length=16, choices=PALETTE, default="blue")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="unique_tag_name")]

    def __str__(self) -> str:
        return self.name


class Task(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tasks")
    list = models.ForeignKey(TaskList, on_delete=models.PROTECT, related_name="tasks")
    number = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("description"), blank=True, max_length=100_000)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tasks",
        verbose_name=_("owner"),
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="participating_tasks",
        verbose_name=_("participants"),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NONE
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="tasks", verbose_name=_("tags"))
    # A subtask is a task one level down: its own number, owner, due date and done state, ordered
    # among its siblings by `position`. It keeps the list its parent had when it was added; boards
    # and views show top-level cards only.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="subtasks"
    )
    # The card's checklist progress (3/7), kept by the subtask services so a board reads no more.
    subtasks_total = models.PositiveIntegerField(default=0)
    subtasks_done = models.PositiveIntegerField(default=0)
    position = models.FloatField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    custom_values = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    # The card's talk and files (baton.discussion, baton.files): deleting the card deletes them.
    comments = GenericRelation(
        "discussion.Comment",
        content_type_field="owner_type",
        object_id_field="owner_id",
        related_query_name="task",
    )
    attachments = GenericRelation(
        "files.Attachment",
        content_type_field="owner_type",
        object_id_field="owner_id",
        related_query_name="task",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="unique_task_number")
        ]
        indexes = [
            # Serves the board (first cards of a list, in order) and the lists' card counts,
            # index-only.
            models.Index(fields=["list", "archived_at", "parent", "position"]),
            # My tasks: someone's open tasks without reading the thousands they finished.
            models.Index(fields=["assignee", "completed_at"], name="projects_task_assignee_open"),
            # The calendar: a project's tasks due in a month.
            models.Index(fields=["project", "due_date"], name="projects_task_project_due"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        """SH-42: the project key and the number fixed at creation."""
        return f"{self.project.key}-{self.number}"

    @property
    def is_done(self) -> bool:
        return self.completed_at is not None


class FieldKind(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    SELECT = "select", _("Single select")
    MULTI = "multi", _("Multi-select")
    MEMBER = "member", _("Member")
    CHECKBOX = "checkbox", _("Checkbox")
    URL = "url", _("URL")


class CustomField(models.Model):
    """A project's own field on its cards (订单号, 重要性 …).

    A card's values live in `Task.custom_values`, keyed by str(field id). Stored shapes: text and
    URL a string, number a JSON number, date "YYYY-MM-DD", single select an option id, multi-select
    a list of option ids, member a user id, checkbox true (false is stored as no value). `options`
    holds select choices as [{"id": "k3f9", "name": "高", "color": "red"}]; ids never change, so
    renaming an option keeps every card's choice.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="custom_fields")
    name = models.CharField(_("name"), max_length=40)
    kind = models.CharField(_("type"), max_length=10, choices=FieldKind.choices)
    options = models.JSONField(default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    show_on_card = models.BooleanField(_("show on card"), default=False)
    position = models.FloatField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="unique_custom_field_name")
        ]

    def __str__(self) -> str:
        return self.name


class SavedView(models.Model):
    """A named view of a project's cards, shared with its members: the layout (board or list) and
    the query string that holds its filters, sort and grouping, exactly as in the page's URL."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="saved_views")
    name = models.CharField(_("name"), max_length=60)
    layout = models.CharField(max_length=10, default="board")
    query = models.CharField(max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="unique_saved_view_name")
        ]

    def __str__(self) -> str:
        return self.name


def attachment_path(attachment, filename: str) -> str:
    """Named by the migrations that made the old task attachments table (files.Attachment's
    now): the same generated name."""
    return files_attachment_path(attachment, filename)
