"""Two real `baton serve` processes on the test database: a change made through server A reaches
a browser connected to server B over the live-update bus.

The bus is the suite's database's own ("postgres" on PostgreSQL, "database" on SQLite), and
"redis" when a Redis server is listening.
"""

import contextlib
import http.client
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

CHECKOUT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    """The test database (not the one settings name) as a DATABASE_URL for the servers."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    credentials = f"{user}{password}@" if user else ""
    host = f"{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
    return f"postgres://{credentials}{host}/{db['NAME']}"


def redis_listening() -> bool:
    from redis import Redis

    try:
        return bool(Redis.from_url(settings.REDIS_URL, socket_connect_timeout=0.5).ping())
    except Exception:
        return False


class Server:
    """`baton serve --workers 1` in a subprocess; stop() always kills it."""

    def __init__(self, env: dict, log: Path) -> None:
        self.port = free_port()
        self.log_path = log
        self.log = log.open("w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "baton.cli",
                "serve",
                "--workers",
                "1",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            cwd=CHECKOUT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_healthy(self, seconds: float = 30.0) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"baton serve exited:\n{self.output()}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                url = f"http://127.0.0.1:{self.port}/healthz"
                if urllib.request.urlopen(url, timeout=2).status == 200:
                    return
            time.sleep(0.1)
        raise AssertionError(f"baton serve did not answer in {seconds:.0f} s:\n{self.output()}")

    def output(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.log.close()


class EventStream:
    """GET /events/ over a raw socket; a thread collects what arrives."""

    def __init__(self, port: int, channel: str, cookie: str) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.sock.sendall(
            f"GET /events/?channel={channel} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Cookie: {cookie}\r\nAccept: text/event-stream\r\n\r\n".encode()
        )
        self.received = b""
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        with contextlib.suppress(OSError):
            while chunk := self.sock.recv(65536):
                with self.lock:
                    self.received += chunk

    def wait_for(self, text: str, seconds: float) -> float:
        """Seconds until `text` arrived; fails after `seconds`."""
        start = time.monotonic()
        while time.monotonic() - start < seconds:
            with self.lock:
                if text.encode() in self.received:
                    return time.monotonic() - start
            time.sleep(0.01)
        raise AssertionError(f"{text!r} did not arrive in {seconds} s; got:\n{self.received!r}")

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()


@pytest.fixture
def two_servers(tmp_path):
    """two_servers(bus) -> (server A, server B) on the test database, killed afterwards."""
    started: list[Server] = []

    def start(bus: str) -> tuple[Server, Server]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
        env.update(
            DATABASE_URL=database_url(),
            BATON_DATA_DIR=str(settings.DATA_DIR),
            BATON_SECRET_KEY=settings.SECRET_KEY,
            BATON_BUS=bus,
            REDIS_URL=settings.REDIS_URL,
            BATON_SERVE_WORKER="0",  # no background jobs on the test database
            BATON_LOG_LEVEL="WARNING",
            DJANGO_SETTINGS_MODULE="baton.settings",
            PYTHONPATH=str(CHECKOUT),
        )
        for name in ("a", "b"):
            started.append(Server(env, tmp_path / f"server-{name}.log"))
        for server in started:
            server.wait_healthy()
        return started[0], started[1]

    yield start
    for server in started:
        server.stop()


def rename_list_through(server: Server, *, session: str, project, task_list, name: str) -> int:
    csrf = secrets.token_hex(16)
    path = f"/o/{project.organization.slug}/p/{project.key}/lists/{task_list.pk}/update"
    body = urllib.parse.urlencode({"name": name})
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.request(
            "POST",
            path,
            body=body,
            headers={
                "Cookie": f"sessionid={session}; csrftoken={csrf}",
                "X-CSRFToken": csrf,
                "Content-Type": "application/x-www-form-urlencoded",
                "HX-Request": "true",
            },
        )
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def a_change_through_a_reaches_a_stream_on_b(two_servers, bus, project, lists, alice, bob):
    server_a, server_b = two_servers(bus)
    listening, writing = Client(), Client()
    listening.force_login(bob)  # listens on B
    writing.force_login(alice)  # writes through A
    listener = EventStream(
        server_b.port, f"project:{project.pk}", f"sessionid={listening.cookies['sessionid'].value}"
    )
    try:
        listener.wait_for(": connected", 10)
        status = rename_list_through(
            server_a,
            session=writing.cookies["sessionid"].value,
            project=project,
            task_list=lists[1],
            name="跨进程",
        )
        assert status == 200, server_a.output()
        seconds = listener.wait_for(f'"list_id": {lists[1].pk}', 5)
        assert seconds < 5
        assert b'"type": "list.updated"' in listener.received
    finally:
        listener.close()
    lists[1].refresh_from_db()
    assert lists[1].name == "跨进程"


def test_a_change_made_through_server_a_reaches_a_browser_on_server_b(
    two_servers, project, lists, alice, bob
):
    bus = "postgres" if connection.vendor == "postgresql" else "database"
    a_change_through_a_reaches_a_stream_on_b(two_servers, bus, project, lists, alice, bob)


def test_the_same_across_servers_on_the_redis_bus(two_servers, project, lists, alice, bob):
    if not redis_listening():
        pytest.skip(f"Redis is not listening at {settings.REDIS_URL}")
    a_change_through_a_reaches_a_stream_on_b(two_servers, "redis", project, lists, alice, bob)


def test_an_outsider_gets_404_from_either_server(two_servers, project, mallory, other_org):
    bus = "postgres" if connection.vendor == "postgresql" else "database"
    server_a, server_b = two_servers(bus)
    client = Client()
    client.force_login(mallory)
    for server in (server_a, server_b):
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        conn.request(
            "GET",
            f"/events/?channel=project:{project.pk}",
            headers={"Cookie": f"sessionid={client.cookies['sessionid'].value}"},
        )
        assert conn.getresponse().status == 404
        conn.close()
