"""Live updates: from a write's commit to the event at 200 SSE clients, in one process and across
two; and the memory of one server process holding 1,000 idle SSE connections.

    .venv/bin/python bench/realtime.py        # SQLite: one process, the "database" bus, Redis
    .venv/bin/python bench/realtime.py --database-url postgres://postgres@127.0.0.1:5432/postgres

Steps: a fresh site (temporary data directory, `baton migrate`, and a throwaway PostgreSQL database
with --database-url), seeded in this process (a user, an organization, the project SH with four
lists, a login session). Then for each scenario real `baton serve --workers 1` processes on free
loopback ports (BATON_SERVE_WORKER=0: no background jobs):

- one_process: 200 clients (`--clients`) stream /events/?channel=project:<id> from server A; the
  benchmark renames a list through A (`POST …/lists/<id>/update`, as the board does) `--writes`
  times, one every 250 ms, and notes when each client receives each `list.updated` event.
- two_process_<bus>: the clients stream from server B, the writes go to server A; the bus is
  "postgres" on PostgreSQL, "database" on SQLite, and "redis" when Redis answers at REDIS_URL.
- idle: one server, 1,000 connections (`--idle`) streaming the user's own channel (no presence),
  held for 3 s; the server's resident memory (VmRSS) before and with them.

Latency is measured from the LiveEvent row's `created_at` (taken by the writing server inside the
write's transaction, just before it commits: a slight overestimate) to the moment the benchmark's
asyncio client read the frame (both on this machine's wall clock). The clients are plain asyncio
sockets in this process; they share the machine's two cores with the servers.

Prints one JSON line (times in milliseconds): `<scenario>_p50_ms`, `<scenario>_p99_ms`,
`<scenario>_missed` (events that did not reach a client within 5 s), `idle_rss_mb`,
`idle_rss_before_mb`, `idle_kb_per_connection`, and the notification fan-out figures
(`measure_fanout`, which runs bench/fanout.py).
"""

import argparse
import asyncio
import contextlib
import json
import os
import re
import resource
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from board import CHECKOUT, Server, free_port, fresh_site, make_client, ms, percentile

FRAME_ID = re.compile(rb"id: (\d+)\n")
MARKER = b'"type": "list.updated"'


class LiveServer(Server):
    """`baton serve --workers 1` with the given bus (board.Server, one process)."""

    def __init__(self, env: dict, log_path: Path, *, bus: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log_path.open("w")
        self.log_path = log_path
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
            env={**env, "BATON_BUS": bus, "BATON_SERVE_WORKER": "0"},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
        raise RuntimeError("no VmRSS")


@contextlib.contextmanager
def servers(env: dict, workdir: Path, bus: str, count: int):
    started = []
    try:
        for n in range(count):
            started.append(LiveServer(env, workdir / f"server-{bus}-{n}.log", bus=bus))
        for server in started:
            server.wait_healthy()
        yield started
    finally:
        for server in started:
            server.stop()


# ---------------------------------------------------------------- seeding (in this process)


def seed() -> dict:
    import django

    django.setup()
    from django.conf import settings

    from baton.accounts.models import User
    from baton.orgs.services import create_organization
    from baton.projects.services import create_project

    user = User.objects.create_user("live@baton.local", None, name="实时压测", language="zh-hans")
    org = create_organization(actor=user, name="实时压测店")
    project = create_project(
        actor=user,
        organization=org,
        name="大促筹备",
        key="SH",
        lists=["收件箱", "要做", "进行中", "已完成"],
    )
    from board import session_for

    return {
        "slug": org.slug,
        "key": project.key,
        "project_id": project.pk,
        "user_id": user.pk,
        "lists": list(project.lists.order_by("position").values_list("pk", flat=True)),
        "session": session_for(user),
        "db": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
    }


def created_at(ids: list[int]) -> dict[int, float]:
    from baton.realtime.models import LiveEvent

    rows = LiveEvent.objects.filter(pk__in=ids).values_list("pk", "created_at")
    return {pk: when.timestamp() for pk, when in rows}


# ---------------------------------------------------------------- the asyncio SSE client


class Listener:
    def __init__(self) -> None:
        self.arrivals: dict[int, float] = {}
        self.last_read = time.monotonic()
        self.task: asyncio.Task | None = None
        self.writer = None

    async def connect(self, port: int, channel: str, session: str) -> None:
        reader, self.writer = await asyncio.open_connection("127.0.0.1", port)
        self.writer.write(
            f"GET /events/?channel={channel} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Cookie: sessionid={session}\r\nAccept: text/event-stream\r\n\r\n".encode()
        )
        await self.writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split()[1])
        if status != 200:
            raise RuntimeError(f"/events/ answered {status}")
        self.task = asyncio.ensure_future(self._read(reader))

    async def _read(self, reader) -> None:
        pending = b""
        with contextlib.suppress(OSError, asyncio.CancelledError):
            while chunk := await reader.read(65536):
                now = time.time()
                self.last_read = time.monotonic()
                *frames, pending = (pending + chunk).split(b"\n\n")
                for frame in frames:
                    if MARKER in frame and (found := FRAME_ID.search(frame)):
                        self.arrivals.setdefault(int(found.group(1)), now)

    def close(self) -> None:
        if self.task is not None:
            self.task.cancel()
        if self.writer is not None:
            self.writer.close()


async def open_listeners(port: int, channel: str, session: str, count: int) -> list[Listener]:
    listeners = [Listener() for _ in range(count)]
    gate = asyncio.Semaphore(50)

    async def one(listener: Listener) -> None:
        async with gate:
            await listener.connect(port, channel, session)

    await asyncio.gather(*(one(listener) for listener in listeners))
    return listeners


async def quiet(listeners: list[Listener], seconds: float = 1.0, limit: float = 60.0) -> None:
    """Wait until nothing has arrived for `seconds` (the presence storm of 200 joins is over)."""
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if time.monotonic() - max(lst.last_read for lst in listeners) >= seconds:
            return
        await asyncio.sleep(0.1)


def latency(read_port: int, write_base: str, data: dict, clients: int, writes: int) -> dict:
    """Writes through `write_base`, `clients` listeners on `read_port`: p50 / p99 / missed."""
    channel = f"project:{data['project_id']}"
    csrf = secrets.token_hex(16)
    path = f"/o/{data['slug']}/p/{data['key']}/lists/{data['lists'][0]}/update"
    headers = {"X-CSRFToken": csrf, "HX-Request": "true"}

    async def run() -> tuple[list[Listener], list[int]]:
        listeners = await open_listeners(read_port, channel, data["session"], clients)
        await quiet(listeners)
        statuses = []
        with make_client(write_base, data["session"], csrf) as client:
            # Two writes first that are not measured: the first event sets up connections
            # (the writer's to Redis, say) that every later one reuses.
            for n in range(2):
                await asyncio.to_thread(client.post, path, {"name": f"预热 {n}"}, headers)
                await asyncio.sleep(0.25)
            await asyncio.sleep(0.5)
            for listener in listeners:
                listener.arrivals.clear()
            for n in range(writes):
                response = await asyncio.to_thread(
                    client.post, path, {"name": f"要做 {n} {secrets.token_hex(2)}"}, headers
                )
                statuses.append(response.status_code)
                await asyncio.sleep(0.25)
        await asyncio.sleep(1.0)
        for listener in listeners:
            listener.close()
        return listeners, statuses

    listeners, statuses = asyncio.run(run())
    if any(status != 200 for status in statuses):
        raise RuntimeError(f"renaming a list answered {sorted(set(statuses))}")
    ids = sorted({ident for listener in listeners for ident in listener.arrivals})
    committed = created_at(ids)
    samples, missed = [], 0
    for ident in ids:
        for listener in listeners:
            if ident in listener.arrivals:
                samples.append(listener.arrivals[ident] - committed[ident])
            else:
                missed += 1
    missed += (writes - len(ids)) * clients
    if not samples:
        raise RuntimeError("no event arrived")
    return {
        "p50_ms": ms(statistics.median(samples)),
        "p99_ms": ms(percentile(samples, 99)),
        "missed": missed,
    }


def idle_memory(env: dict, workdir: Path, bus: str, data: dict, count: int) -> dict:
    with servers(env, workdir, bus, 1) as (server,):
        channel = f"user:{data['user_id']}"

        async def run() -> tuple[float, float]:
            warm = await open_listeners(server.port, channel, data["session"], 10)
            await asyncio.sleep(0.5)
            for listener in warm:
                listener.close()
            await asyncio.sleep(0.5)
            before = server.rss_mb()
            listeners = await open_listeners(server.port, channel, data["session"], count)
            await asyncio.sleep(3.0)
            during = server.rss_mb()
            if server.proc.poll() is not None:
                raise RuntimeError(f"the server died:\n{server.tail()}")
            for listener in listeners:
                listener.close()
            return before, during

        before, during = asyncio.run(run())
    return {
        "idle_connections": count,
        "idle_rss_before_mb": before,
        "idle_rss_mb": during,
        "idle_kb_per_connection": round((during - before) * 1024 / count, 1),
    }


def measure_fanout(options) -> dict:
    """One change to a card with 50 followers: the fan-out job's work (bench/fanout.py, on its
    own fresh SQLite database; target ≤ 20 ms)."""
    script = Path(__file__).resolve().parent / "fanout.py"
    result = subprocess.run(
        [sys.executable, str(script), "--followers", "50"],
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    return {f"fanout_50_followers_{key}": value for key, value in figures.items()}


def redis_listening(url: str) -> bool:
    try:
        from redis import Redis

        return bool(Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except Exception:
        return False


def benchmark(options) -> dict:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = min(hard, max(soft, 4 * options.idle + 1000))
    resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    figures: dict = {"clients": options.clients, "writes": options.writes}
    with fresh_site(options.database_url, prefix="baton-bench-live-") as (env, workdir):
        os.environ.update(env)
        data = seed()
        figures["db"] = {"sqlite3": "sqlite"}.get(data["db"], data["db"])
        database_bus = "postgres" if data["db"] == "postgresql" else "database"

        with servers(env, workdir, database_bus, 1) as (server,):
            for name, value in latency(
                server.port, server.base, data, options.clients, options.writes
            ).items():
                figures[f"one_process_{name}"] = value

        buses = [database_bus]
        redis_url = env.get("REDIS_URL", "redis://127.0.0.1:6379/0")
        if redis_listening(redis_url):
            buses.append("redis")
        else:
            figures["redis"] = f"not listening at {redis_url}"
        for bus in buses:
            with servers(env, workdir, bus, 2) as (writer, reader):
                for name, value in latency(
                    reader.port, writer.base, data, options.clients, options.writes
                ).items():
                    figures[f"two_process_{bus}_{name}"] = value

        figures.update(idle_memory(env, workdir, database_bus, data, options.idle))
        figures.update(measure_fanout(options))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server URL, e.g. postgres://postgres@127.0.0.1:5432/postgres "
        "(a throwaway database is created on it and dropped afterwards); SQLite when omitted",
    )
    parser.add_argument("--clients", type=int, default=200, help="SSE clients per scenario")
    parser.add_argument("--writes", type=int, default=30, help="writes per scenario")
    parser.add_argument("--idle", type=int, default=1000, help="idle connections for the memory")
    options = parser.parse_args()
    sys.path.insert(0, str(CHECKOUT))
    print(json.dumps(benchmark(options)))


if __name__ == "__main__":
    main()
