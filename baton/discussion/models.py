from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

COMMENT_MAX_LENGTH = 20_000


class Comment(models.Model):
    """A message on a task, an event or a document (its `owner`), in Markdown. People named
    with @ are kept in `mentions` (the notifications read them); only the author edits it, and
    an edit is marked. Documents' comments can be resolved. Owners reach their comments through
    a GenericRelation named `comments` (deleting the owner deletes them)."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+"
    )
    owner_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    owner_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("owner_type", "owner_id")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Set by the queries that show comments: the rendered body and what the reader may do.
    kind: str
    html: str
    editable: bool
    deletable: bool
    resolvable: bool
    files: list

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["owner_type", "owner_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.owner_type_id}:{self.owner_id}: {self.body[:40]}"
