"""The Server-Sent Events endpoint: GET /events/?channel=project:3&channel=user:5

A plain ASGI application rather than a Django view: a stream lives for hours and does nothing
most of the time, and Django's handler would hold a thread for each one (its per-request
thread-sensitive executor). Here an idle stream is a coroutine and a queue, so one process holds
thousands. The database is touched only to authenticate, to check access, to replay missed
events and for presence, on a small thread pool.

Protocol: every event is `id: <LiveEvent id>` and `data: <JSON>`; a reconnecting browser sends
Last-Event-ID (or `?last=`) and first receives what it missed on its channels. When more was
missed than the replay window holds, it receives `event: refresh` and reloads what it shows.
"""

import asyncio
import json
import logging
import secrets
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from http.cookies import SimpleCookie
from importlib import import_module
from urllib.parse import parse_qs

from django.conf import settings
from django.contrib.auth import get_user
from django.core.exceptions import ValidationError
from django.db import close_old_connections
from django.http import HttpRequest
from django.utils import timezone

from baton.core.validation import MAX_ID, parse_int
from baton.realtime.bus import bus, publish_on_commit
from baton.realtime.channels import PRESENCE_KINDS, may_listen, parse_channel
from baton.realtime.models import LiveEvent, Presence

log = logging.getLogger(__name__)

MAX_CHANNELS = 8
REPLAY_LIMIT = 500
KEEPALIVE_SECONDS = 15
# How often a stream refreshes its presence and checks again that its person may still listen
# (a member removed from a project stops hearing it within this time at the latest).
RECHECK_SECONDS = 30
PRESENCE_STALE = timedelta(seconds=75)

_db = ThreadPoolExecutor(max_workers=4, thread_name_prefix="baton-sse")


async def in_db_thread(function, *args):
    def call():
        try:
            return function(*args)
        finally:
            close_old_connections()

    return await asyncio.get_running_loop().run_in_executor(_db, call)


def authenticate(cookie_header: str):
    """The signed-in user of the session cookie, or None."""
    cookies = SimpleCookie()
    try:
        cookies.load(cookie_header)
    except Exception:
        return None
    morsel = cookies.get(settings.SESSION_COOKIE_NAME)
    if morsel is None:
        return None
    request = HttpRequest()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore(morsel.value)
    user = get_user(request)
    return user if user.is_authenticated else None


def all_allowed(user, channels: list[str]) -> bool:
    return all(may_listen(user, channel) for channel in channels)


def missed_events(channels: list[str], last: int) -> list[dict] | None:
    """Events after `last` on these channels, or None when more were missed than are replayed."""
    rows = list(
        LiveEvent.objects.filter(channel__in=channels, id__gt=last)
        .order_by("id")
        .values_list("id", "channel", "payload")[: REPLAY_LIMIT + 1]
    )
    if len(rows) > REPLAY_LIMIT or (rows and not _window_covers(last)):
        return None
    return [{"id": ident, "channel": channel, "event": payload} for ident, channel, payload in rows]


def _window_covers(last: int) -> bool:
    """Whether event `last` is still within the kept window (older events have been pruned)."""
    oldest = LiveEvent.objects.order_by("id").values_list("id", flat=True).first()
    return oldest is not None and oldest <= last + 1


def enter_presence(user, channels: list[str], connection: str) -> None:
    now = timezone.now()
    Presence.objects.bulk_create(
        [Presence(channel=c, user=user, connection=connection, seen_at=now) for c in channels]
    )
    for channel in channels:
        publish_on_commit(channel, {"type": "presence.changed"})


def refresh_presence(connection: str) -> None:
    Presence.objects.filter(connection=connection).update(seen_at=timezone.now())


def leave_presence(channels: list[str], connection: str) -> None:
    Presence.objects.filter(connection=connection).delete()
    for channel in channels:
        publish_on_commit(channel, {"type": "presence.changed"})


def present_users(channel: str, *, exclude_user_id: int | None = None) -> list:
    """Who has a live connection to `channel` now (one query)."""
    from django.contrib.auth import get_user_model

    since = timezone.now() - PRESENCE_STALE
    ids = Presence.objects.filter(channel=channel, seen_at__gte=since).values("user_id")
    people = get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("name", "pk")
    if exclude_user_id is not None:
        people = people.exclude(pk=exclude_user_id)
    return list(people)


def prune_live_events(keep: timedelta = timedelta(minutes=15)) -> int:
    """Forget events older than the replay window, and presence of processes that died."""
    now = timezone.now()
    deleted, _ = LiveEvent.objects.filter(created_at__lt=now - keep).delete()
    Presence.objects.filter(seen_at__lt=now - PRESENCE_STALE * 4).delete()
    return deleted


def frame(message: dict) -> bytes:
    data = json.dumps({"channel": message["channel"], **message["event"]}, default=str)
    return f"id: {message['id']}\ndata: {data}\n\n".encode()


async def respond(send, status: int, text: str) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": text.encode()})


def parse_request(scope) -> tuple[list[str], int | None, str]:
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    channels = list(dict.fromkeys(query.get("channel", [])))
    headers = dict(scope.get("headers") or [])
    last = headers.get(b"last-event-id", b"").decode("latin-1") or (query.get("last") or [""])[0]
    cookie = headers.get(b"cookie", b"").decode("latin-1")
    return channels, _event_id(last), cookie


def _event_id(value: str) -> int | None:
    """The last event the browser saw; anything that cannot be an event's id is none at all."""
    try:
        return parse_int(value, field="last", maximum=MAX_ID)
    except ValidationError:
        return None


async def application(scope, receive, send) -> None:
    if scope["type"] != "http":
        return
    if scope["method"] != "GET":
        await respond(send, 405, "GET only.")
        return
    channels, last, cookie = parse_request(scope)
    known = all(parse_channel(channel) is not None for channel in channels)
    if not channels or len(channels) > MAX_CHANNELS or not known:
        await respond(send, 400, f"Ask for 1 to {MAX_CHANNELS} known channels.")
        return
    user = await in_db_thread(authenticate, cookie)
    if user is None:
        await respond(send, 403, "Sign in first.")
        return
    if not await in_db_thread(all_allowed, user, channels):
        await respond(send, 404, "No such channel.")
        return
    await Stream(user, channels, last, receive, send).run()


class Stream:
    def __init__(self, user, channels: list[str], last: int | None, receive, send) -> None:
        self.user = user
        self.channels = channels
        self.last = last
        self.replayed: set[int] = set()
        self.receive = receive
        self.send = send
        self.queue: asyncio.Queue = asyncio.Queue()
        self.connection = secrets.token_hex(8)
        self.presence = [c for c in channels if c.partition(":")[0] in PRESENCE_KINDS]

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        unsubscribes = [
            bus.subscribe(c, lambda m: loop.call_soon_threadsafe(self.queue.put_nowait, m))
            for c in self.channels
        ]
        disconnected = asyncio.ensure_future(self._wait_for_disconnect())
        try:
            await self.send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [
                        (b"content-type", b"text/event-stream; charset=utf-8"),
                        (b"cache-control", b"no-cache"),
                        (b"x-accel-buffering", b"no"),
                    ],
                }
            )
            await self._write(b"retry: 2000\n: connected\n\n")
            if self.last is not None:
                await self._replay()
            if self.presence:
                await in_db_thread(enter_presence, self.user, self.presence, self.connection)
            await self._pump(disconnected)
        except OSError:
            pass  # the client went away mid-write
        finally:
            for unsubscribe in unsubscribes:
                unsubscribe()
            disconnected.cancel()
            if self.presence:
                await in_db_thread(leave_presence, self.presence, self.connection)

    async def _replay(self) -> None:
        missed = await in_db_thread(missed_events, self.channels, self.last)
        if missed is None:
            await self._write(b"event: refresh\ndata: {}\n\n")
            return
        for message in missed:
            self.replayed.add(message["id"])
            await self._write(frame(message))

    async def _pump(self, disconnected: asyncio.Future) -> None:
        loop = asyncio.get_running_loop()
        next_check = loop.time() + RECHECK_SECONDS
        next_keepalive = loop.time() + KEEPALIVE_SECONDS
        getter = None
        try:
            while not disconnected.done():
                if getter is None:
                    getter = asyncio.ensure_future(self.queue.get())
                timeout = max(0.0, min(next_check, next_keepalive) - loop.time())
                done, _ = await asyncio.wait(
                    {getter, disconnected}, timeout=timeout, return_when="FIRST_COMPLETED"
                )
                if getter in done:
                    message, getter = getter.result(), None
                    await self._emit(message)
                    while not self.queue.empty():
                        await self._emit(self.queue.get_nowait())
                    next_keepalive = loop.time() + KEEPALIVE_SECONDS
                if disconnected.done():
                    return
                now = loop.time()
                if now >= next_keepalive:
                    await self._write(b": keepalive\n\n")
                    next_keepalive = now + KEEPALIVE_SECONDS
                if now >= next_check:
                    next_check = now + RECHECK_SECONDS
                    if not await in_db_thread(all_allowed, self.user, self.channels):
                        return
                    if self.presence:
                        await in_db_thread(refresh_presence, self.connection)
        finally:
            if getter is not None:
                getter.cancel()

    async def _emit(self, message: dict) -> None:
        # Subscribing comes before the replay, so an event may arrive both ways: send it once.
        # (Ids need not arrive in order: on PostgreSQL they are taken before commits.)
        if message["id"] in self.replayed:
            return
        await self._write(frame(message))

    async def _write(self, body: bytes) -> None:
        await self.send({"type": "http.response.body", "body": body, "more_body": True})

    async def _wait_for_disconnect(self) -> None:
        while (await self.receive())["type"] != "http.disconnect":
            pass
