"""The live-update bus. Services call publish_on_commit(); SSE streams subscribe.

A published event is written to the LiveEvent table inside the writer's transaction, then, once
that commits, handed to this process's listeners at once and to the other server processes by
the transport BATON_BUS names:

- "local": none; one process only (tests, `baton serve --workers 1` without a worker).
- "database": each listening process reads new LiveEvent rows every BATON_BUS_POLL_MS; works on
  SQLite and needs nothing else (the default on SQLite).
- "postgres": NOTIFY after commit, LISTEN in each process (the default on PostgreSQL).
- "redis": PUBLISH / SUBSCRIBE on REDIS_URL.

Every message carries its LiveEvent id, so a listener can skip what it has already seen, and the
transports add this process's ORIGIN, so a process skips its own messages (it delivered them
already). See transports.py.
"""

import logging
import secrets
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from baton.realtime.channels import project_channel  # noqa: F401  (services import it from here)
from baton.realtime.models import LiveEvent

log = logging.getLogger(__name__)

# A message: {"id": 12, "channel": "project:3", "event": {"type": "task.moved", ...}}
Message = dict[str, Any]
Listener = Callable[[Message], None]

# Identifies this process's messages, so a transport that echoes them back can drop them.
ORIGIN = secrets.token_hex(8)

TRANSPORTS = {
    "local": "baton.realtime.transports.LocalTransport",
    "database": "baton.realtime.transports.DatabaseTransport",
    "postgres": "baton.realtime.transports.PostgresTransport",
    "redis": "baton.realtime.transports.RedisTransport",
}


class Bus:
    def __init__(self) -> None:
        self._listeners: dict[str, set[Listener]] = {}
        self._lock = threading.Lock()
        self._transport = None
        self._transport_name = None

    @property
    def transport(self):
        """Created on first use, so settings (BATON_BUS) are read after Django is configured;
        made anew when the setting changes (tests override it)."""
        name = settings.BATON_BUS
        if self._transport_name != name:
            old = None
            with self._lock:
                if self._transport_name != name:
                    old = self._transport
                    self._transport = import_string(TRANSPORTS[name])(self)
                    self._transport_name = name
            if old is not None:
                old.stop()
        return self._transport

    def publish(self, message: Message) -> None:
        """Deliver here now, and to the other processes through the transport."""
        self.deliver(message)
        try:
            self.transport.send(message)
        except Exception:
            # The change is committed and LiveEvent keeps the event for reconnecting browsers.
            log.exception("live event %s not sent to other processes", message["id"])

    def deliver(self, message: Message) -> None:
        with self._lock:
            listeners = list(self._listeners.get(message["channel"], ()))
        for listener in listeners:
            try:
                listener(message)
            except Exception:
                log.exception("live listener failed on %s", message["channel"])

    def subscribe(self, channel: str, listener: Listener) -> Callable[[], None]:
        self.transport.start()
        with self._lock:
            self._listeners.setdefault(channel, set()).add(listener)

        def unsubscribe() -> None:
            with self._lock:
                listeners = self._listeners.get(channel)
                if listeners is not None:
                    listeners.discard(listener)
                    if not listeners:
                        del self._listeners[channel]

        return unsubscribe

    def listening(self) -> int:
        with self._lock:
            return sum(len(listeners) for listeners in self._listeners.values())


bus = Bus()


def publish_on_commit(channel: str, event: dict[str, Any]) -> None:
    """Record the event with the surrounding write and publish it once that commits, so nobody
    hears of a rolled-back change and a reconnecting browser can be sent what it missed."""
    publish_many_on_commit([(channel, event)])


def publish_many_on_commit(events: list[tuple[str, dict[str, Any]]]) -> None:
    """publish_on_commit() for several (channel, event) pairs with one INSERT (a change told to
    the 50 followers of a card)."""
    rows = LiveEvent.objects.bulk_create(
        [LiveEvent(channel=channel, payload=event, origin=ORIGIN) for channel, event in events]
    )
    messages = [{"id": row.pk, "channel": row.channel, "event": row.payload} for row in rows]

    def publish() -> None:
        for message in messages:
            bus.publish(message)

    transaction.on_commit(publish)
