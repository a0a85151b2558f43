"""Documents (在线文档): Markdown texts in folders, with every saved version kept.

A Document holds its newest title and body whole (opening it reads one row) and `version`, the
number of its newest saved version: an edit carries the version it started from, and a save from
an older one is a conflict, never an overwrite. DocumentVersion rows keep every saved version,
stored as a full text now and then and line deltas in between (see versions.py).

Typing is autosaved as a private DocumentDraft per person until they save a version. Deleting
moves a document to the trash (`deleted_at`), from which it can be restored for 30 days.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _

from baton.files.models import attachment_path
from baton.orgs.models import Grant, grant_constraints

# The largest body a document may have, in characters (about 2 MB of Chinese Markdown in UTF-8).
BODY_MAX_LENGTH = 700_000
TITLE_MAX_LENGTH = 120
NOTE_MAX_LENGTH = 200
TRASH_DAYS = 30


class DocumentVisibility(models.TextChoices):
    ORGANIZATION = "org", _("Whole organization")
    PROJECT = "project", _("Project members")
    MEMBERS = "members", _("Chosen members and teams")


class DocumentRole(models.TextChoices):
    EDITOR = "editor", _("Can edit")
    VIEWER = "viewer", _("Read only")


class Folder(models.Model):
    """A folder of documents, in the organization or in one project; folders nest."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="document_folders"
    )
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="document_folders",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    name = models.CharField(_("name"), max_length=60)
    position = models.FloatField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class Document(models.Model):
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="documents"
    )
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="documents",
    )
    folder = models.ForeignKey(
        Folder, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    body = models.TextField(_("text"), blank=True)
    version = models.PositiveIntegerField(default=1)  # 0: created empty, nothing saved yet
    visibility = models.CharField(
        _("who can see it"),
        max_length=10,
        choices=DocumentVisibility.choices,
        default=DocumentVisibility.ORGANIZATION,
    )
    # What the organization's (or the project's) members may do when the visibility lets them in.
    access = models.CharField(
        _("their access"), max_length=10, choices=DocumentRole.choices, default=DocumentRole.EDITOR
    )
    position = models.FloatField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now_add=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)  # in the trash since
    followers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="DocumentFollower", related_name="followed_documents"
    )
    # Its talk and files (baton.discussion, baton.files): deleting it deletes them.
    comments = GenericRelation(
        "discussion.Comment",
        content_type_field="owner_type",
        object_id_field="owner_id",
        related_query_name="document",
    )
    attachments = GenericRelation(
        "files.Attachment",
        content_type_field="owner_type",
        object_id_field="owner_id",
        related_query_name="document",
    )
    # The reader's role, set on listed documents by permissions.mark_document_roles().
    role: str

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["organization", "folder", "deleted_at"])]

    def __str__(self) -> str:
        return self.title


class DocumentVersion(models.Model):
    """One saved version: number, title, author, time, note (版本说明) and the stored text."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    note = models.CharField(_("version note"), max_length=NOTE_MAX_LENGTH, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    restored_from = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveIntegerField(default=0)  # characters
    added = models.PositiveIntegerField(default=0)  # lines, against the version before
    removed = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=5)  # versions.FULL or versions.DELTA
    data = models.BinaryField()

    # The version's text, rebuilt from its keyframe and deltas by queries.version_text().
    body: str

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="unique_document_version")
        ]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.number}"


class DocumentDraft(models.Model):
    """What one person has typed and not yet saved as a version (autosaved every few seconds)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="drafts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=TITLE_MAX_LENGTH, blank=True)
    body = models.TextField(blank=True)
    base_version = models.PositiveIntegerField()  # the version the typing started from
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "user"], name="unique_document_draft")
        ]

    def __str__(self) -> str:
        return f"draft of {self.document_id} by {self.user_id}"


class DocumentMember(Grant):
    """Who may see or edit a document beyond its visibility: a person or a whole team."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(
        _("role"), max_length=10, choices=DocumentRole.choices, default=DocumentRole.VIEWER
    )

    # Set by queries.sharing(): whether the person is a guest of the organization.
    is_guest: bool

    class Meta:
        constraints = grant_constraints("document")

    def __str__(self) -> str:
        return f"{self.user_id or self.team_id} on {self.document_id} ({self.role})"


class DocumentFollower(models.Model):
    """A person who follows a document: they hear of its new versions and comments."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "user"], name="unique_document_follower")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.document_id}"


class DocumentPresence(models.Model):
    """Who has a document open, and whether they are typing in it; refreshed every few seconds
    by the page, so it works across server processes. Old rows simply stop counting."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="presence")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    editing = models.BooleanField(default=False)
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "user"], name="unique_document_presence")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.document_id}"


class DocumentTaskLink(models.Model):
    """A task a document refers to: named in its text (`SH-12`, kept in step with each saved
    version) or linked by hand from the card."""

    MENTION, LINK = "mention", "link"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="task_links")
    task = models.ForeignKey(
        "projects.Task", on_delete=models.CASCADE, related_name="document_links"
    )
    kind = models.CharField(max_length=8, default=MENTION)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document", "task", "kind"], name="unique_document_task_link"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.task_id} ({self.kind})"


def document_file_path(attachment, filename: str) -> str:
    """Named by the migrations that made the old document files table (files.Attachment's
    now): the same generated name."""
    return attachment_path(attachment, filename)
