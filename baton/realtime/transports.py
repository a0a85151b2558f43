"""How live events cross server processes (BATON_BUS; see bus.py).

A transport has three methods: `start()` (called on every subscribe: the first call starts
listening, in a daemon thread, so only processes holding SSE streams listen), `send(message)`
(called after the writer's commit by the publishing process: tell the others) and `stop()`.
Whatever a transport hears from another process it hands to `bus.deliver()`; messages of this
process (their "origin" is bus.ORIGIN) were delivered here already and are skipped.
"""

import collections
import contextlib
import hashlib
import json
import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connection, connections

log = logging.getLogger(__name__)

CHANNEL = "baton_live"
# PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; a larger message goes out as its id
# alone and listeners read the event from its LiveEvent row.
MAX_PAYLOAD = 7900
# After a reconnect, look again this many ids below the last one seen: on PostgreSQL ids are
# taken before commit, so an event committed during the outage may have a lower id than one
# already heard. Ids delivered recently are remembered, so nothing is delivered twice.
CATCH_UP_MARGIN = 200
REMEMBERED = 5000


def _origin() -> str:
    from baton.realtime.bus import ORIGIN

    return ORIGIN


def encode(message: dict) -> str:
    """The wire form of a message; only the id (and channel) when the event is too large."""
    data = json.dumps({**message, "origin": _origin()}, default=str, separators=(",", ":"))
    if len(data.encode()) > MAX_PAYLOAD:
        data = json.dumps(
            {"id": message["id"], "channel": message["channel"], "origin": _origin()},
            separators=(",", ":"),
        )
    return data


class LocalTransport:
    """One process: the bus's own delivery is all there is."""

    def __init__(self, bus) -> None:
        self.bus = bus

    def start(self) -> None:
        pass

    def send(self, message) -> None:
        pass

    def stop(self) -> None:
        pass


class DatabaseTransport(LocalTransport):
    """Other processes' events, read from the LiveEvent table by one thread per listening process.

    Only a process with listeners (a web process holding SSE streams) starts the thread; workers
    publish and never poll. Needs nothing but the database, and is the default on SQLite.

    Reading "rows with an id above the last one read" is only correct when ids are handed out in
    commit order. On SQLite they are: writes are serialised (one writer at a time, and Baton's
    transactions take the write lock when they begin), so a row with a higher id is always
    committed after one with a lower id. On PostgreSQL they are not: a sequence value is taken at
    INSERT, and a transaction that took id 10 may commit after another one that took id 11 and
    was already read, so event 10 would be skipped. Hence PostgreSQL uses LISTEN/NOTIFY
    (PostgresTransport), whose notifications are sent at commit, in commit order.
    """

    def __init__(self, bus) -> None:
        super().__init__(bus)
        self._thread = None
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self.interval = settings.BATON_BUS_POLL_MS / 1000

    def start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._stopped.clear()
                self._thread = threading.Thread(target=self._run, name="baton-bus", daemon=True)
                self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(5)

    def _run(self) -> None:
        from baton.realtime.models import LiveEvent

        origin = _origin()
        last = None
        if connection.vendor == "postgresql":
            log.warning(
                "BATON_BUS=database on PostgreSQL can miss events committed out of id order; "
                "use BATON_BUS=postgres or redis"
            )
        try:
            while not self._stopped.is_set():
                try:
                    if last is None:
                        newest = LiveEvent.objects.order_by("-id").values_list("id", flat=True)
                        last = newest.first() or 0
                    rows = list(
                        LiveEvent.objects.filter(id__gt=last)
                        .order_by("id")
                        .values_list("id", "channel", "payload", "origin")[:1000]
                    )
                    for ident, channel, payload, sender in rows:
                        if sender != origin:
                            self.bus.deliver({"id": ident, "channel": channel, "event": payload})
                    if rows:
                        last = rows[-1][0]
                    close_old_connections()
                except Exception:
                    log.exception("reading live events failed; retrying")
                    connection.close()
                    self._stopped.wait(1)
                self._stopped.wait(self.interval)
        finally:
            connection.close()


class ListeningTransport(LocalTransport):
    """A transport with one listening connection per process, in a daemon thread started on the
    first subscribe, that reconnects with backoff when the connection drops and then delivers
    what it missed meanwhile from the LiveEvent table. Subclasses connect, listen and send."""

    name = "listener"

    def __init__(self, bus) -> None:
        super().__init__(bus)
        self._thread = None
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self.last_id: int | None = None  # the highest id heard (or read) so far
        self._seen: collections.deque[int] = collections.deque(maxlen=REMEMBERED)
        self._seen_set: set[int] = set()
        self.connected = threading.Event()  # set while listening (tests wait on it)
        self.reconnects = 0

    # ---- in the listening thread

    def start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._stopped.clear()
                self._thread = threading.Thread(
                    target=self._run, name=f"baton-bus-{self.name}", daemon=True
                )
                self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        with self._lock:
            thread, self._thread = self._thread, None
        self._interrupt()
        if thread is not None:
            thread.join(5)

    def _run(self) -> None:
        delay = 0.1
        first = True
        try:
            # Where the first subscriber started: what is committed between now and the moment
            # the connection listens is read from the table once it does.
            baseline = self._newest_id()
        except Exception:
            baseline = None
        while not self._stopped.is_set():
            try:
                self._connect()
                # Listening from here on: what is committed from now is heard, what was
                # committed before is read from the table.
                if first and baseline is None:
                    self.last_id = self._newest_id()
                elif first:
                    self.last_id = baseline
                    self._catch_up(margin=0)
                else:
                    self.reconnects += 1
                    self._catch_up()
                first = False
                delay = 0.1
                self.connected.set()
                self._listen()  # returns when stopped, raises when the connection drops
            except Exception as error:
                self.connected.clear()
                if self._stopped.is_set():
                    break
                log.warning("live bus (%s) lost its connection (%s); retrying", self.name, error)
                self._stopped.wait(delay)
                delay = min(delay * 2, 5.0)
            finally:
                self.connected.clear()
                self._disconnect()
        connections.close_all()

    def _newest_id(self) -> int:
        from baton.realtime.models import LiveEvent

        try:
            return LiveEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        finally:
            connection.close()

    def _catch_up(self, margin: int = CATCH_UP_MARGIN) -> None:
        """Deliver the events other processes published while the connection was down."""
        from baton.realtime.models import LiveEvent

        if self.last_id is None:
            return
        try:
            rows = list(
                LiveEvent.objects.filter(id__gt=self.last_id - margin)
                .exclude(origin=_origin())
                .order_by("id")
                .values_list("id", "channel", "payload")[:5000]
            )
        finally:
            connection.close()
        for ident, channel, payload in rows:
            self._deliver({"id": ident, "channel": channel, "event": payload})

    def received(self, data: str | bytes) -> None:
        """A message heard on the connection."""
        try:
            message = json.loads(data)
            ident = int(message["id"])
        except (ValueError, KeyError, TypeError):
            log.warning("live bus (%s): unreadable message %r", self.name, data[:200])
            return
        if message.get("origin") == _origin():
            return
        if "event" not in message:  # too large for the wire: read it
            from baton.realtime.models import LiveEvent

            try:
                row = LiveEvent.objects.filter(pk=ident).values_list("channel", "payload").first()
            finally:
                connection.close()
            if row is None:
                return
            message["channel"], message["event"] = row
        self._deliver({"id": ident, "channel": message["channel"], "event": message["event"]})

    def _deliver(self, message: dict) -> None:
        ident = message["id"]
        if ident in self._seen_set:
            return
        if len(self._seen) == self._seen.maxlen:
            self._seen_set.discard(self._seen[0])
        self._seen.append(ident)
        self._seen_set.add(ident)
        if self.last_id is None or ident > self.last_id:
            self.last_id = ident
        self.bus.deliver(message)

    # ---- for subclasses

    def _connect(self) -> None:
        raise NotImplementedError

    def _listen(self) -> None:
        raise NotImplementedError

    def _disconnect(self) -> None:
        pass

    def _interrupt(self) -> None:
        """Make a blocked _listen() return soon (it checks _stopped at least every second)."""


class PostgresTransport(ListeningTransport):
    """PostgreSQL LISTEN/NOTIFY on the channel "baton_live".

    `send()` runs `pg_notify` on the publishing thread's own database connection right after the
    writer's commit; PostgreSQL delivers notifications at commit, in commit order, to every
    listening session. Each listening process keeps one extra connection (psycopg 3, autocommit,
    outside Django's pool) in a daemon thread.
    """

    name = "postgres"

    def __init__(self, bus) -> None:
        super().__init__(bus)
        self._conn = None

    def send(self, message) -> None:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, encode(message)])

    def _connect(self) -> None:
        import psycopg

        params = connections["default"].get_connection_params()
        params.pop("pool", None)
        params.pop("cursor_factory", None)
        params.pop("context", None)
        params.pop("prepare_threshold", None)
        params.pop("server_side_binding", None)
        params.setdefault("connect_timeout", 5)
        self._conn = psycopg.connect(**params, autocommit=True)
        self._conn.execute(f"LISTEN {CHANNEL}")

    def _listen(self) -> None:
        conn = self._conn
        next_ping = time.monotonic() + 10
        while not self._stopped.is_set():
            for notify in conn.notifies(timeout=1.0):
                self.received(notify.payload)
            if conn.closed or conn.broken:
                raise ConnectionError("listening connection closed")
            if time.monotonic() >= next_ping:
                # An idle connection whose server went away is only noticed when used.
                conn.execute("SELECT 1")
                next_ping = time.monotonic() + 10

    def _disconnect(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.close()


class RedisTransport(ListeningTransport):
    """Redis PUBLISH / SUBSCRIBE on REDIS_URL.

    Redis channels are shared by every client of the server, whatever database number the URL
    names, so the channel is "baton_live:" plus a digest of the database settings: two sites
    (or a site and its test suite) sharing one Redis never hear each other's events, whose ids
    mean something only in their own LiveEvent table.
    """

    name = "redis"

    def __init__(self, bus) -> None:
        super().__init__(bus)
        self._publisher = None
        self._pubsub = None
        database = connections["default"].settings_dict
        site = "|".join(str(database.get(key) or "") for key in ("ENGINE", "HOST", "PORT", "NAME"))
        self.channel = f"{CHANNEL}:{hashlib.sha256(site.encode()).hexdigest()[:16]}"

    def _client(self, **options):
        import redis

        return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=5, **options)

    def send(self, message) -> None:
        if self._publisher is None:
            self._publisher = self._client()  # a thread-safe connection pool
        self._publisher.publish(self.channel, encode(message))

    def _connect(self) -> None:
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        # No silent reconnects inside redis-py: a dropped connection must reach _run(), which
        # reconnects and reads what was missed meanwhile.
        client = self._client(retry=Retry(NoBackoff(), 0), health_check_interval=10)
        self._pubsub = client.pubsub(ignore_subscribe_messages=True)
        self._pubsub.subscribe(self.channel)
        # Wait for the confirmation so that "connected" means subscribed.
        deadline = time.monotonic() + 5
        while not self._pubsub.subscribed and time.monotonic() < deadline:
            message = self._pubsub.get_message(timeout=0.1)
            if message is not None and message.get("type") == "message":
                self.received(message["data"])
        if not self._pubsub.subscribed:
            raise ConnectionError("Redis did not confirm the subscription")

    def _listen(self) -> None:
        pubsub = self._pubsub
        while not self._stopped.is_set():
            message = pubsub.get_message(timeout=1.0)
            if message is not None and message.get("type") == "message":
                self.received(message["data"])

    def _disconnect(self) -> None:
        pubsub, self._pubsub = self._pubsub, None
        if pubsub is not None:
            with contextlib.suppress(Exception):
                pubsub.close()
