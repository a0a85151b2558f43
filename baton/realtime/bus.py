"""The live-update bus. Services call publish_on_commit(); listeners (the SSE endpoint) subscribe.

The in-process backend serves one server process. Backends for several processes (PostgreSQL
LISTEN/NOTIFY, Redis) plug in behind the same two functions.
"""

import json
import threading
from collections.abc import Callable
from typing import Any

from django.db import transaction

Listener = Callable[[str, dict[str, Any]], None]


class InProcessBus:
    def __init__(self) -> None:
        self._listeners: dict[str, list[Listener]] = {}
        self._lock = threading.Lock()

    def publish(self, channel: str, event: dict[str, Any]) -> None:
        # Serialise once here so a listener can never receive something JSON cannot carry.
        payload = json.loads(json.dumps(event, default=str))
        with self._lock:
            listeners = list(self._listeners.get(channel, ()))
        for listener in listeners:
            listener(channel, payload)

    def subscribe(self, channel: str, listener: Listener) -> Callable[[], None]:
        with self._lock:
            self._listeners.setdefault(channel, []).append(listener)

        def unsubscribe() -> None:
            with self._lock:
                self._listeners.get(channel, []).remove(listener)

        return unsubscribe


bus = InProcessBus()


def project_channel(project_id: int) -> str:
    return f"project:{project_id}"


def publish_on_commit(channel: str, event: dict[str, Any]) -> None:
    """Publish after the surrounding transaction commits, so nobody hears of a rolled-back write."""
    transaction.on_commit(lambda: bus.publish(channel, event))
