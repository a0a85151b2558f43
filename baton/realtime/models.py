from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class LiveEvent(models.Model):
    """Every published live event, kept for a few minutes.

    The row is written in the same transaction as the change it announces, so its id orders events
    across server processes: a browser that reconnects sends the last id it saw (Last-Event-ID)
    and is sent what it missed. The database bus also reads new rows from here.
    """

    channel = models.CharField(max_length=60)
    payload = models.JSONField(encoder=DjangoJSONEncoder)
    # The publishing process: buses that hear their own messages back skip them.
    origin = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["channel", "id"])]

    def __str__(self) -> str:
        return f"{self.pk} {self.channel} {self.payload.get('type')}"


class Presence(models.Model):
    """One open live connection of a person to a channel: who else is looking at this board or
    card. A connection refreshes `seen_at` while it lives; rows of a process that died age out."""

    channel = models.CharField(max_length=60)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    connection = models.CharField(max_length=32)
    seen_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["channel", "seen_at"]),
            models.Index(fields=["connection"]),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.channel}"
