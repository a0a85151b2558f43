import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


def attachment_path(attachment: "Attachment", filename: str) -> str:
    """A generated name: nothing the uploader typed reaches the file system."""
    return f"attachments/{attachment.organization_id}/{secrets.token_urlsafe(16)}"


class Attachment(models.Model):
    """A file on a task, an event or a document (its `owner`), and, when `comment` is set, on
    one of the owner's comments. `name` is what the uploader called it, shown and offered on
    download; the stored file has a generated name. Owners reach their files through a
    GenericRelation named `attachments` (deleting the owner deletes them)."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+"
    )
    owner_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    owner_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("owner_type", "owner_id")
    comment = models.ForeignKey(
        "discussion.Comment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(upload_to=attachment_path, max_length=255)
    name = models.CharField(_("name"), max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    # Images get a small preview, stored beside the file, and their size in pixels.
    thumbnail = models.FileField(upload_to=attachment_path, max_length=255, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Set for the panels by storage.decorate(): the icon, the label, who may delete it; and by
    # the access helpers of events: the occurrence shown.
    kind: str
    label: str
    deletable: bool

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["owner_type", "owner_id", "created_at"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return bool(self.thumbnail)
