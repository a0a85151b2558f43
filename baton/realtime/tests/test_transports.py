"""The transports that carry live events between processes, each against its real service."""

import json
import socket
import threading
import time

import pytest
from django.db import connection

from baton.realtime import transports
from baton.realtime.bus import ORIGIN, Bus, publish_on_commit
from baton.realtime.models import LiveEvent

pytestmark = pytest.mark.django_db(transaction=True)

ELSEWHERE = "elsewhere"  # the origin of "another process"


class FakeBus:
    def __init__(self) -> None:
        self.messages: list[dict] = []
        self.arrived = threading.Condition()

    def deliver(self, message) -> None:
        with self.arrived:
            self.messages.append(message)
            self.arrived.notify_all()

    def wait_for(self, count: int, timeout: float = 5.0) -> list[dict]:
        deadline = time.monotonic() + timeout
        with self.arrived:
            while len(self.messages) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"{len(self.messages)} of {count} arrived")
                self.arrived.wait(remaining)
            return list(self.messages)


def other_process_event(channel: str, event: dict) -> dict:
    """A LiveEvent row as another process would have written it, as a message."""
    row = LiveEvent.objects.create(channel=channel, payload=event, origin=ELSEWHERE)
    return {"id": row.pk, "channel": channel, "event": event}


def wire(message: dict, origin: str = ELSEWHERE) -> str:
    return json.dumps({**message, "origin": origin})


def redis_listening() -> bool:
    from django.conf import settings
    from redis import Redis

    try:
        return bool(Redis.from_url(settings.REDIS_URL, socket_connect_timeout=0.5).ping())
    except Exception:
        return False


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"


# ---------------------------------------------------------------- the wire form


def test_a_message_travels_whole_with_this_process_as_origin():
    data = json.loads(transports.encode({"id": 7, "channel": "project:1", "event": {"type": "x"}}))
    assert data == {"id": 7, "channel": "project:1", "event": {"type": "x"}, "origin": ORIGIN}


def test_a_message_too_large_for_notify_travels_as_its_id():
    big = {"id": 8, "channel": "document:1", "event": {"type": "document.saved", "t": "字" * 5000}}
    data = transports.encode(big)
    assert len(data.encode()) < 8000
    assert json.loads(data) == {"id": 8, "channel": "document:1", "origin": ORIGIN}


# ---------------------------------------------------------------- the bus


def test_the_bus_makes_a_new_transport_when_the_setting_changes(settings):
    bus = Bus()
    settings.BATON_BUS = "local"
    assert type(bus.transport) is transports.LocalTransport
    settings.BATON_BUS = "database"
    assert type(bus.transport) is transports.DatabaseTransport


def test_a_listener_failing_does_not_stop_the_others(settings):
    settings.BATON_BUS = "local"
    bus, heard = Bus(), []

    def broken(message):
        raise RuntimeError("boom")

    bus.subscribe("user:1", broken)
    bus.subscribe("user:1", heard.append)
    bus.publish({"id": 1, "channel": "user:1", "event": {"type": "x"}})
    assert len(heard) == 1


# ---------------------------------------------------------------- database


def test_the_database_transport_delivers_other_processes_rows_and_skips_its_own(settings):
    settings.BATON_BUS_POLL_MS = 20
    bus = FakeBus()
    transport = transports.DatabaseTransport(bus)
    transport.start()
    try:
        time.sleep(0.2)  # it starts after the newest row
        publish_on_commit("user:1", {"type": "mine"})  # this process: delivered by the bus
        first = other_process_event("user:1", {"type": "theirs", "n": 1})
        second = other_process_event("user:2", {"type": "theirs", "n": 2})
        messages = bus.wait_for(2)
        assert messages == [first, second]
        time.sleep(0.1)
        assert len(bus.messages) == 2
    finally:
        transport.stop()


# ---------------------------------------------------------------- PostgreSQL


@pytest.fixture
def postgres_transport():
    if not on_postgresql():
        pytest.skip("LISTEN/NOTIFY needs PostgreSQL (run the suite with DATABASE_URL=postgres://…)")
    bus = FakeBus()
    transport = transports.PostgresTransport(bus)
    transport.start()
    assert transport.connected.wait(5)
    yield bus, transport
    transport.stop()


def notify(data: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_notify(%s, %s)", [transports.CHANNEL, data])


def test_postgres_delivers_other_processes_notifications(postgres_transport):
    bus, _transport = postgres_transport
    message = other_process_event("project:1", {"type": "task.moved", "task_id": 3})
    notify(wire(message))
    assert bus.wait_for(1) == [message]


def test_postgres_skips_this_process_own_notifications(postgres_transport):
    bus, transport = postgres_transport
    mine = {"id": 10**9, "channel": "user:1", "event": {"type": "mine"}}
    transport.send(mine)  # a real send: origin is this process
    theirs = other_process_event("user:1", {"type": "theirs"})
    notify(wire(theirs))
    assert bus.wait_for(1) == [theirs]
    time.sleep(0.1)
    assert len(bus.messages) == 1


def test_postgres_reads_a_large_event_from_its_row(postgres_transport):
    bus, _transport = postgres_transport
    message = other_process_event("document:1", {"type": "document.saved", "body": "话术" * 3000})
    data = transports.encode(message).replace(ORIGIN, ELSEWHERE)
    assert "话术" not in data
    notify(data)
    assert bus.wait_for(1) == [message]


def test_postgres_reconnects_and_delivers_what_it_missed(postgres_transport):
    bus, transport = postgres_transport
    before = other_process_event("user:1", {"type": "before"})
    notify(wire(before))
    bus.wait_for(1)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE query LIKE 'LISTEN%%' AND pid <> pg_backend_pid()"
        )
    missed = other_process_event("user:1", {"type": "missed while down"})
    notify(wire(missed))  # nobody listens
    messages = bus.wait_for(2, timeout=10)
    assert messages == [before, missed]
    assert transport.reconnects >= 1
    after = other_process_event("user:1", {"type": "after"})
    notify(wire(after))
    assert bus.wait_for(3)[-1] == after
    time.sleep(0.1)
    assert len(bus.messages) == 3  # nothing twice


# ---------------------------------------------------------------- Redis


@pytest.fixture
def redis_transport(settings):
    if not redis_listening():
        pytest.skip(f"Redis is not listening at {settings.REDIS_URL}")
    bus = FakeBus()
    transport = transports.RedisTransport(bus)
    transport.start()
    assert transport.connected.wait(5)
    yield bus, transport
    transport.stop()


def publish(transport, data: str) -> None:
    from django.conf import settings
    from redis import Redis

    Redis.from_url(settings.REDIS_URL).publish(transport.channel, data)


def test_redis_delivers_other_processes_messages_and_skips_its_own(redis_transport):
    bus, transport = redis_transport
    transport.send({"id": 10**9, "channel": "user:1", "event": {"type": "mine"}})
    message = other_process_event("project:1", {"type": "task.moved", "task_id": 3})
    publish(transport, wire(message))
    assert bus.wait_for(1) == [message]
    time.sleep(0.1)
    assert len(bus.messages) == 1


def test_redis_reconnects_and_delivers_what_it_missed(redis_transport):
    from django.conf import settings
    from redis import Redis

    bus, transport = redis_transport
    before = other_process_event("user:1", {"type": "before"})
    publish(transport, wire(before))
    bus.wait_for(1)
    host, port = transport._pubsub.connection._sock.getsockname()[:2]
    Redis.from_url(settings.REDIS_URL).client_kill(f"{host}:{port}")  # only this one
    missed = other_process_event("user:1", {"type": "missed while down"})
    messages = bus.wait_for(2, timeout=15)
    assert messages == [before, missed]
    assert transport.reconnects >= 1


def test_a_listener_whose_server_is_down_keeps_retrying_without_raising(settings):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.REDIS_URL = f"redis://127.0.0.1:{port}/0"
    transport = transports.RedisTransport(FakeBus())
    transport.start()
    try:
        time.sleep(0.5)
        assert not transport.connected.is_set()
        assert transport._thread.is_alive()
    finally:
        transport.stop()


# ---------------------------------------------------------------- the default


@pytest.mark.parametrize(
    ("database_url", "expected"),
    [(None, "database"), ("postgres://postgres@127.0.0.1:5432/unused", "postgres")],
    ids=["sqlite", "postgresql"],
)
def test_the_default_bus_follows_the_database(database_url, expected, tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("BATON_BUS", "DATABASE_URL")}
    env.update(BATON_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="baton.settings")
    if database_url:
        env["DATABASE_URL"] = database_url
    code = "from django.conf import settings; print(settings.BATON_BUS)"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == expected, result.stderr


def test_an_unknown_bus_is_refused_at_start(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "BATON_BUS": "kafka", "BATON_DATA_DIR": str(tmp_path)}
    env["DJANGO_SETTINGS_MODULE"] = "baton.settings"
    code = "from django.conf import settings; settings.BATON_BUS"
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "BATON_BUS='kafka'" in result.stderr
