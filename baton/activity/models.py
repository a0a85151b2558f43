from django.conf import settings
from django.db import models


class Activity(models.Model):
    """One row per write. History, notifications, webhooks and live updates all derive from it.

    `target_type`/`target_id` name the object written ("task", 42); `data` holds what changed,
    e.g. {"field": "due_date", "old": "2026-11-01", "new": "2026-11-11"}.
    """

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+"
    )
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=40)
    target_type = models.CharField(max_length=30)
    target_id = models.BigIntegerField()
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    # Set by the timelines that show changes beside comments.
    kind: str

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["target_type", "target_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.verb} {self.target_type}:{self.target_id}"
