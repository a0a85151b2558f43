"""Board benchmark: a real server on a fresh database, a board of N cards, measured over HTTP.

    .venv/bin/python bench/board.py --cards 5000
    .venv/bin/python bench/board.py --cards 5000 --database-url postgres://postgres@127.0.0.1:5432/postgres

Steps: a temporary data directory (BATON_DATA_DIR), `baton migrate`, a seed script (run in a
subprocess with the same environment), `baton serve` on a free loopback port, then the board page,
scrolling every list to its end (scroll_*: total time and requests, for the whole board and its
biggest list), card moves and concurrent quick-adds over keep-alive HTTP connections. Prints one
JSON line.

Seeding: the organization, people, project, lists and tags are created with the services; the N
cards are inserted with bulk_create (the services would write one Activity row and a few queries
per card, which takes minutes for large boards). Numbers are 1..N, unique per project, and the
project's task_counter is set to N so cards created during the benchmark continue at N+1.
Bulk-created cards have no Activity rows, which no page measured here reads.

Logging in: the seed script creates a session in the database for the benchmark user (the same
keys django.contrib.auth.login writes) and the client sends it as the `sessionid` cookie.
"""

import argparse
import contextlib
import html
import http.client
import json
import math
import os
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

CHECKOUT = Path(__file__).resolve().parent.parent
LIST_NAMES = ["客户反馈", "处理中", "待退款", "待换货", "已处理", "反馈驳回"]
DONE_LIST = "已处理"
PROBLEMS = [
    "收到商品尺码不符",
    "物流显示签收但未收到",
    "连衣裙开线",
    "申请七天无理由退货",
    "发错颜色",
    "下单三天未发货",
    "保温杯漏水",
    "少发赠品",
]
SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何林高罗"
GIVEN = "伟芳娜敏静丽强磊洋艳勇军杰娟涛明超秀霞平刚"
TIMEOUT = 30.0


# ---------------------------------------------------------------- in the seed subprocess


def seed(cards: int, rng_seed: int) -> dict:
    """In a subprocess with BATON_DATA_DIR/DATABASE_URL set: build the board, describe it."""
    import datetime

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baton.settings")
    django.setup()

    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from baton.accounts.models import User
    from baton.core.positions import GAP
    from baton.orgs import services as org_services
    from baton.projects import services
    from baton.projects.models import Project, Task, Visibility

    rng = random.Random(rng_seed)
    with transaction.atomic():
        people = [
            User.objects.create_user(f"bench{i}@baton.local", None, name=name, language="zh-hans")
            for i, name in enumerate(["压测员", "周婷", "吴昊", "郑强", "刘洋", "陈静"])
        ]
        user = people[0]
        org = org_services.create_organization(actor=user, name="压测旗舰店")
        link = org_services.invite(actor=user, organization=org)
        for person in people[1:]:
            org_services.accept_invitation(actor=person, invitation=link)
        project = services.create_project(
            actor=user,
            organization=org,
            name="压测售后处理",
            key="SH",
            visibility=Visibility.ORGANIZATION,
            lists=LIST_NAMES,
        )
        for person in people[1:]:
            services.add_project_member(actor=user, project=project, user=person)
        lists = list(project.lists.order_by("position"))
        for task_list in lists:
            if task_list.name == DONE_LIST:
                services.update_list(actor=user, task_list=task_list, is_done=True)
        tags = [
            services.create_tag(actor=user, project=project, name=name, color=color)
            for name, color in services.AFTER_SALES_TAGS
        ]

        today = timezone.localdate()
        now = timezone.now()
        per_list = [0] * len(lists)
        batch = []
        for number in range(1, cards + 1):
            index = rng.randrange(len(lists))
            per_list[index] += 1
            task_list = lists[index]
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            batch.append(
                Task(
                    project=project,
                    list=task_list,
                    number=number,
                    created_by=user,
                    title=f"订单 {2026111100000000 + number} · {name} · 旺旺 buyer_{number} · "
                    f"{rng.choice(PROBLEMS)}",
                    assignee=rng.choice(people),
                    due_date=today + datetime.timedelta(days=rng.randint(-10, 20)),
                    priority=rng.randint(0, 4),
                    position=per_list[index] * GAP,
                    completed_at=now if task_list.is_done else None,
                )
            )
        Task.objects.bulk_create(batch, batch_size=500)
        Project.objects.filter(pk=project.pk).update(task_counter=cards)
        ids = list(
            Task.objects.filter(project=project).order_by("number").values_list("pk", flat=True)
        )
        Through = Task.tags.through
        Through.objects.bulk_create(
            [
                Through(task_id=task_id, tag_id=tag.pk)
                for task_id in ids
                for tag in rng.sample(tags, rng.randint(1, 2))
            ],
            batch_size=1000,
        )

    rows = (
        Task.objects.filter(project=project)
        .order_by("position", "id")
        .values_list("pk", "number", "list_id")
    )
    by_list: dict[int, list[list[int]]] = {tl.pk: [] for tl in lists}
    for pk, number, list_id in rows:
        by_list[list_id].append([pk, number])
    return {
        "slug": org.slug,
        "key": project.key,
        "session": session_for(user),
        "page_size": settings.BATON_BOARD_PAGE_SIZE,
        "db": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "lists": [{"id": tl.pk, "name": tl.name, "cards": by_list[tl.pk]} for tl in lists],
        "board_queries": count_board_queries(user, org, project),
    }


def count_board_queries(user, org, project) -> int | None:
    """The SQL queries of one board page rendered in-process (after one warm-up request)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    try:
        url = reverse("projects:board", args=[org.slug, project.key])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
    except Exception:  # report the figure as missing, keep measuring the rest
        traceback.print_exc()
        return None
    if response.status_code != 200:
        print(f"board rendered in-process answered {response.status_code}", file=sys.stderr)
        return None
    return len(queries)


# ---------------------------------------------------------------- in the benchmark process


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def session_for(user) -> str:
    """(In a seed subprocess.) A logged-in session for `user` in the database: the benchmark
    sends its key as the session cookie, without going through the login page."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from baton.accounts.backends import PATH

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = PATH
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def run(args: list[str], env: dict, timeout: float) -> str:
    """Run `python <args>` in the checkout; raise with its output when it fails."""
    result = subprocess.run(
        [sys.executable, *args],
        cwd=CHECKOUT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(args[:3])} failed ({result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result.stdout


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = min(len(ordered), max(1, math.ceil(pct / 100 * len(ordered))))
    return ordered[rank - 1]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


class Postgres:
    """A throwaway database on the server of `url`, created now and dropped by drop()."""

    def __init__(self, url: str):
        import psycopg

        self.psycopg = psycopg
        self.admin_url = url
        self.name = f"baton_bench_{os.getpid()}"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
            conn.execute(f'CREATE DATABASE "{self.name}"')
        parts = urlsplit(url)
        self.url = urlunsplit(parts._replace(path=f"/{self.name}"))

    def drop(self) -> None:
        with self.psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@contextlib.contextmanager
def fresh_site(database_url: str | None, prefix: str = "baton-bench-"):
    """A new data directory (and throwaway PostgreSQL database when `database_url` is given),
    migrated; yields the environment for subprocesses and the directory, then removes both."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BATON_DEBUG")}
    env.update(
        BATON_DATA_DIR=str(workdir / "data"),
        DJANGO_SETTINGS_MODULE="baton.settings",
        PYTHONPATH=str(CHECKOUT),
        BATON_LOG_LEVEL="ERROR",
    )
    postgres = None
    try:
        if database_url:
            postgres = Postgres(database_url)
            env["DATABASE_URL"] = postgres.url
        run(["-m", "baton.cli", "migrate", "--noinput", "-v", "0"], env, timeout=600)
        yield env, workdir
    finally:
        if postgres is not None:
            postgres.drop()
        shutil.rmtree(workdir, ignore_errors=True)


@contextlib.contextmanager
def seeded_server(script: str, database_url: str | None, *, prefix: str, seed_args: list):
    """A fresh site seeded by `script --seed-only <seed_args>` in a subprocess (its last line of
    output is the seed's JSON), then `baton serve` on it: yields (seed data, server), and checks
    that the server lived through the measurements."""
    with fresh_site(database_url, prefix=prefix) as (env, workdir):
        arguments = [str(Path(script).resolve()), "--seed-only", *map(str, seed_args)]
        output = run(arguments, env, timeout=3600)
        data = json.loads(output.strip().splitlines()[-1])
        server = Server(env, workdir / "server.log")
        try:
            server.wait_healthy()
            yield data, server
            if server.proc.poll() is not None:
                raise RuntimeError(f"baton serve died during the benchmark:\n{server.tail()}")
        finally:
            server.stop()


class Server:
    def __init__(self, env: dict, log_path: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log_path.open("w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "baton.cli",
                "serve",
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
        self.log_path = log_path

    def wait_healthy(self, seconds: float = 30.0) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"baton serve exited ({self.proc.returncode}):\n{self.tail()}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                if urllib.request.urlopen(self.base + "/healthz", timeout=2).status == 200:
                    return
            time.sleep(0.1)
        raise RuntimeError(f"baton serve did not become healthy in {seconds:.0f} s:\n{self.tail()}")

    def tail(self) -> str:
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


class Response:
    def __init__(self, status: int, headers, body: bytes):
        self.status_code, self.headers, self.content = status, headers, body

    @property
    def text(self) -> str:
        return self.content.decode(errors="replace")


class Client:
    """A keep-alive HTTP client on the standard library's http.client.

    Deliberately thin: the figures are the server's, and a heavier client library costs a
    millisecond or more a request on this two-core machine, on the same cores as the server.
    """

    def __init__(self, base: str, session: str, csrf: str):
        host, port = base.removeprefix("http://").split(":")
        self.connection = http.client.HTTPConnection(host, int(port), timeout=TIMEOUT)
        self.cookie = f"sessionid={session}; csrftoken={csrf}"

    def request(self, method: str, path: str, data: dict | None = None, headers=None) -> Response:
        headers = {"Cookie": self.cookie, **(headers or {})}
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        return Response(response.status, response.headers, response.read())

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, data: dict, headers=None) -> Response:
        return self.request("POST", path, data, headers)

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc) -> None:
        self.connection.close()


def make_client(base: str, session: str, csrf: str) -> Client:
    return Client(base, session, csrf)


def measure_get(client, path: str, requests: int) -> dict:
    """GET `path` three times to warm up, then `requests` times: {p50_ms, p95_ms, bytes}."""
    for _ in range(3):
        response = client.get(path)
        if response.status_code != 200:
            where = response.headers.get("location", "")
            raise RuntimeError(f"GET {path} answered {response.status_code} {where}")
    times, size = [], 0
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(path)
        size = len(response.content)
        times.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} answered {response.status_code}")
    return {
        "p50_ms": ms(statistics.median(times)),
        "p95_ms": ms(percentile(times, 95)),
        "bytes": size,
    }


def measure_board(client, path: str, requests: int) -> dict:
    return {f"board_{name}": value for name, value in measure_get(client, path, requests).items()}


LOAD_MORE = re.compile(r'class="load-more"[^>]*?hx-get="([^"]+)"')
CARD = re.compile(r'data-task-id="')


def measure_scroll(client, board_path: str, data: dict) -> dict:
    """Scroll every list of the board to its end, as the browser does (each page's load-more link
    fetched in turn, one list after the other): total time and requests, for the whole board and
    for its biggest list, and a check that every card arrived exactly once."""
    page = client.get(board_path).text
    per_list = {}
    for list_id, url in _first_links(page):
        times, requests, cards = [], 0, 0
        while url:
            start = time.perf_counter()
            response = client.get(html.unescape(url))
            times.append(time.perf_counter() - start)
            requests += 1
            if response.status_code != 200:
                raise RuntimeError(f"GET {url} answered {response.status_code}")
            cards += len(CARD.findall(response.text))
            links = LOAD_MORE.findall(response.text)
            url = links[0] if links else None
        per_list[list_id] = {"ms": sum(times), "requests": requests, "cards": cards}
    expected = {tl["id"]: max(0, len(tl["cards"]) - data["page_size"]) for tl in data["lists"]}
    for list_id, figures in per_list.items():
        if figures["cards"] != expected[list_id]:
            raise RuntimeError(
                f"scrolling list {list_id} brought {figures['cards']} cards, "
                f"not {expected[list_id]}"
            )
    biggest = max(data["lists"], key=lambda tl: len(tl["cards"]))["id"]
    empty = {"ms": 0.0, "requests": 0}
    return {
        "scroll_all_ms": ms(sum(f["ms"] for f in per_list.values())),
        "scroll_all_requests": sum(f["requests"] for f in per_list.values()),
        "scroll_biggest_list_ms": ms(per_list.get(biggest, empty)["ms"]),
        "scroll_biggest_list_requests": per_list.get(biggest, empty)["requests"],
    }


def _first_links(page: str) -> list[tuple[int, str]]:
    """(list id, first load-more URL) of every list of a board page that has more cards."""
    found = []
    for url in LOAD_MORE.findall(page):
        list_id = int(re.search(r"/lists/(\d+)/cards", url).group(1))
        found.append((list_id, url))
    return found


def measure_moves(client, data: dict, csrf: str, moves: int, rng: random.Random) -> dict:
    """Drag random visible cards between random visible neighbours, keeping a model of the order."""
    page = data["page_size"]
    order = {tl["id"]: [pk for pk, _number in tl["cards"]] for tl in data["lists"]}
    numbers = {pk: number for tl in data["lists"] for pk, number in tl["cards"]}
    headers = {"X-CSRFToken": csrf, "HX-Request": "true"}
    times, errors = [], 0
    for _ in range(moves):
        source = rng.choice([lid for lid, ids in order.items() if ids])
        task_id = rng.choice(order[source][:page])
        order[source].remove(task_id)
        target = rng.choice(list(order))
        cards = order[target]
        visible = cards[:page]
        slot = rng.randint(0, len(visible))  # before visible[slot]; len(visible) means the end
        if slot == len(visible) and len(cards) > page:
            after = before = None  # dropped below the last visible card: the end of the list
            slot = len(cards)
        else:
            after = visible[slot - 1] if slot > 0 else None
            before = visible[slot] if slot < len(visible) else None
        form = {"list": target, "after": after or "", "before": before or ""}
        path = f"/o/{data['slug']}/{data['key']}-{numbers[task_id]}/move"
        start = time.perf_counter()
        response = client.post(path, data=form, headers=headers)
        times.append(time.perf_counter() - start)
        if response.status_code == 200:
            cards.insert(slot, task_id)
        else:
            errors += 1
            order[source].insert(0, task_id)  # unknown where it went; keep the model plausible
            if errors == 1:
                print(
                    f"move answered {response.status_code}: {response.text[:300]}", file=sys.stderr
                )
    return {"move_p50_ms": ms(statistics.median(times)), "move_errors": errors}


def measure_creates(base: str, data: dict, csrf: str, seconds: float, clients: int) -> dict:
    """`clients` threads, each with its own keep-alive connection, quick-adding for `seconds`."""
    list_ids = [tl["id"] for tl in data["lists"]]
    prefix = f"/o/{data['slug']}/p/{data['key']}/lists/"
    headers = {"X-CSRFToken": csrf, "HX-Request": "true"}
    counts = {"ok": 0, "errors": 0}
    first_error: list[str] = []
    lock = threading.Lock()
    clock: dict[str, float] = {}

    def start_clock() -> None:
        clock["start"] = time.monotonic()
        clock["deadline"] = clock["start"] + seconds

    gate = threading.Barrier(clients, action=start_clock, timeout=TIMEOUT)

    def note(message: str) -> None:
        with lock:
            counts["errors"] += 1
            if not first_error:
                first_error.append(message)

    def worker(index: int) -> None:
        rng = random.Random(index)
        ok = 0
        try:
            with make_client(base, data["session"], csrf) as client:
                client.get("/healthz")  # open the connection before the clock starts
                gate.wait()
                for attempt in range(1_000_000):  # bounded; the deadline ends it long before
                    if time.monotonic() >= clock["deadline"]:
                        break
                    path = f"{prefix}{rng.choice(list_ids)}/tasks/new"
                    try:
                        response = client.post(
                            path, data={"title": f"压测新卡片 {index}-{attempt}"}, headers=headers
                        )
                    except (OSError, http.client.HTTPException) as error:
                        note(f"{type(error).__name__}: {error}")
                        continue
                    if 200 <= response.status_code < 300:
                        ok += 1
                    else:
                        note(f"{response.status_code}: {response.text[:300]}")
        except Exception as error:  # a broken worker is counted, not fatal
            note(f"worker {index}: {type(error).__name__}: {error}")
        with lock:
            counts["ok"] += ok

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 2 * TIMEOUT + 5)
    elapsed = max(time.monotonic() - clock.get("start", time.monotonic()), 1e-9)
    if first_error:
        print(f"create failed: {first_error[0]}", file=sys.stderr)
    return {"create_rps": round(counts["ok"] / elapsed, 1), "create_errors": counts["errors"]}


def benchmark(options) -> dict:
    rng = random.Random(options.seed)
    seed_args = ["--cards", options.cards, "--seed", options.seed]
    with seeded_server(
        __file__, options.database_url, prefix="baton-bench-", seed_args=seed_args
    ) as (data, server):
        csrf = secrets.token_hex(16)  # the cookie is ours to choose; the header must match it
        board_path = f"/o/{data['slug']}/p/{data['key']}/"
        figures: dict = {"cards": options.cards}
        with make_client(server.base, data["session"], csrf) as client:
            figures.update(measure_board(client, board_path, options.board_requests))
            figures["board_queries"] = data["board_queries"]
            figures.update(measure_scroll(client, board_path, data))
            figures.update(measure_moves(client, data, csrf, options.moves, rng))
        figures.update(measure_creates(server.base, data, csrf, options.seconds, options.clients))
        figures["db"] = {"sqlite3": "sqlite"}.get(data["db"], data["db"])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=1000, help="cards on the board")
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server URL, e.g. "
        "postgres://postgres@127.0.0.1:5432/postgres (a throwaway database is "
        "created on it and dropped afterwards); SQLite when omitted",
    )
    parser.add_argument("--board-requests", type=int, default=30)
    parser.add_argument("--moves", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10.0, help="length of the create phase")
    parser.add_argument("--clients", type=int, default=4, help="concurrent creating clients")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    parser.add_argument("--seed-only", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.cards < 1:
        parser.error("--cards must be at least 1")
    if options.seed_only:
        sys.path.insert(0, str(CHECKOUT))
        print(json.dumps(seed(options.cards, options.seed), ensure_ascii=False))
        return
    print(json.dumps(benchmark(options)))


if __name__ == "__main__":
    main()
