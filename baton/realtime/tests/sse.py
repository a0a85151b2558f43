"""Drive the SSE endpoint (stream.application) directly with fake ASGI receive/send.

The test runs the whole scenario under async_to_sync, so `db()` (sync_to_async, thread
sensitive) runs ORM code on the test's own thread and connection, while the endpoint touches the
database from its own thread pool: the tests use `transactional_db` so both see committed rows.
"""

import asyncio
import contextlib
import json
import re

from asgiref.sync import sync_to_async
from django.test import Client

from baton.realtime import stream


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def db(function, *args, **kwargs):
    return sync_to_async(function, thread_sensitive=True)(*args, **kwargs)


class FakeClient:
    """One SSE request to stream.application: collects what it sends."""

    def __init__(self, channels, cookie: str = "", *, last: int | None = None, headers=()):
        query = "&".join(f"channel={c}" for c in channels)
        all_headers = [(b"cookie", cookie.encode())] if cookie else []
        if last is not None:
            all_headers.append((b"last-event-id", str(last).encode()))
        all_headers.extend(headers)
        self.scope = {
            "type": "http",
            "method": "GET",
            "path": "/events/",
            "query_string": query.encode(),
            "headers": all_headers,
        }
        self.status: int | None = None
        self.body = bytearray()
        self.finished = False
        self._gone = asyncio.Event()
        self._changed = asyncio.Event()
        self.task: asyncio.Task | None = None

    async def receive(self):
        await self._gone.wait()
        return {"type": "http.disconnect"}

    async def send(self, message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
        else:
            self.body.extend(message.get("body", b""))
            if not message.get("more_body"):
                self.finished = True
        self._changed.set()

    def start(self) -> "FakeClient":
        self.task = asyncio.ensure_future(stream.application(self.scope, self.receive, self.send))
        self.task.add_done_callback(lambda _task: self._changed.set())
        return self

    async def run(self) -> "FakeClient":
        """For requests that are answered at once (errors)."""
        await asyncio.wait_for(stream.application(self.scope, self.receive, self.send), 5)
        return self

    @property
    def text(self) -> str:
        return self.body.decode()

    def events(self) -> list[dict]:
        """The data of every event frame so far, with its id."""
        found = []
        for block in self.text.split("\n\n"):
            ident = re.search(r"^id: (\d+)$", block, re.M)
            data = re.search(r"^data: (.*)$", block, re.M)
            if data:
                found.append(
                    {"id": int(ident.group(1)) if ident else None, **json.loads(data.group(1))}
                )
        return found

    def types(self, *, presence: bool = False) -> list[str]:
        """Event types so far, without "presence.changed" (every join sends one) unless asked."""
        types = [event.get("type") for event in self.events()]
        return types if presence else [t for t in types if t != "presence.changed"]

    async def wait_for(self, predicate, timeout: float = 5.0) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate(self):
            if self.task is not None and self.task.done():
                self.task.result()  # raise what the endpoint raised
                raise AssertionError(f"the stream ended first; it sent:\n{self.text}")
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"timed out; the stream sent:\n{self.text}")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)

    async def connected(self) -> "FakeClient":
        await self.wait_for(lambda c: ": connected" in c.text)
        return self

    async def disconnect(self) -> None:
        self._gone.set()
        if self.task is not None:
            await asyncio.wait_for(self.task, 5)
