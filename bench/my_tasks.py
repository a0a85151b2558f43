"""My tasks benchmark: an organization of N cards, one person with a few hundred open tasks among
thousands they finished, the page measured over HTTP on a real server.

    .venv/bin/python bench/my_tasks.py                       # 100,000 cards on SQLite
    .venv/bin/python bench/my_tasks.py --database-url postgres://postgres@127.0.0.1:5432/postgres

Steps: a temporary data directory (and throwaway PostgreSQL database), `baton migrate`, then a
seed subprocess: 20 people, 10 projects of 6 lists (the benchmark user is in 8; two are members
only without them), N cards inserted with bulk_create (a tenth are subtasks), spread over the
projects and people; most cards are finished, as on a board that has lived a year. The benchmark
user gets `--open` open tasks in the projects they see (a tenth of them subtasks, some in the
projects they do not see, some archived) among thousands of finished ones, created a few
thousand and follows a few hundred. `ANALYZE` (PostgreSQL: `VACUUM ANALYZE`), the page's query
count in-process and the plan of its task query; then `baton serve` and GET /o/<slug>/my-tasks
(each tab) over a keep-alive connection. Prints one JSON line.
"""

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from board import (
    GIVEN,
    PROBLEMS,
    SURNAMES,
    make_client,
    measure_get,
    ms,
    seeded_server,
    session_for,
)

PROJECTS = [
    ("售后处理", "SH"),
    ("大促前端", "QD"),
    ("大促后端", "HD"),
    ("运营月度计划", "YY"),
    ("设计需求", "SJ"),
    ("推广投放", "TG"),
    ("客服话术", "KF"),
    ("仓储发货", "CC"),
    ("财务对账", "CW"),  # members only, without the benchmark user
    ("招聘", "ZP"),  # members only, without the benchmark user
]
LISTS = ["收件箱", "要做", "进行中", "待验收", "已完成", "搁置"]
DONE = "已完成"


# ---------------------------------------------------------------- in the seed subprocess


def seed(cards: int, open_tasks: int, rng_seed: int) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baton.settings")
    django.setup()

    from django.db import connection, transaction
    from django.utils import timezone

    from baton.accounts.models import User
    from baton.core.positions import GAP
    from baton.orgs import services as org_services
    from baton.projects import services
    from baton.projects.models import Project, Task, Visibility

    rng = random.Random(rng_seed)
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        people = [
            User.objects.create_user(
                f"bench{i}@baton.local",
                None,
                name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                language="zh-hans",
            )
            for i in range(20)
        ]
        user, owner = people[0], people[1]
        org = org_services.create_organization(actor=owner, name="压测旗舰店")
        link = org_services.invite(actor=owner, organization=org)
        for person in people:
            if person != owner:
                org_services.accept_invitation(actor=person, invitation=link)
        projects, lists, visible = [], {}, []
        for index, (name, key) in enumerate(PROJECTS):
            hidden = index >= 8
            project = services.create_project(
                actor=owner,
                organization=org,
                name=name,
                key=key,
                visibility=Visibility.MEMBERS if hidden or index % 2 else Visibility.ORGANIZATION,
                lists=LISTS,
            )
            for person in people:
                if person not in (owner, user) or (person == user and not hidden):
                    services.add_project_member(actor=owner, project=project, user=person)
            project_lists = list(project.lists.order_by("position"))
            for task_list in project_lists:
                if task_list.name == DONE:
                    services.update_list(actor=owner, task_list=task_list, is_done=True)
            projects.append(project)
            lists[project.pk] = project_lists
            if not hidden:
                visible.append(project)

        numbers = dict.fromkeys((p.pk for p in projects), 0)
        positions: dict[int, int] = {}

        def card(project, *, assignee, done, due, creator=None, archived=False, parent=None):
            numbers[project.pk] += 1
            open_lists = [tl for tl in lists[project.pk] if tl.name != DONE]
            task_list = (
                parent.list
                if parent
                else (
                    next(tl for tl in lists[project.pk] if tl.name == DONE)
                    if done
                    else rng.choice(open_lists)
                )
            )
            positions[task_list.pk] = positions.get(task_list.pk, 0) + 1
            return Task(
                project=project,
                list=task_list,
                number=numbers[project.pk],
                title=f"订单 {2026111100000000 + numbers[project.pk]} · {rng.choice(PROBLEMS)}",
                assignee=assignee,
                created_by=creator or rng.choice(people),
                due_date=due,
                priority=rng.randint(0, 4),
                position=positions[task_list.pk] * GAP,
                completed_at=now if done else None,
                archived_at=now if archived else None,
                parent=parent,
            )

        def due() -> datetime.date | None:
            return None if rng.random() < 0.2 else today + datetime.timedelta(rng.randint(-15, 40))

        # The benchmark user's own: open ones where they can see them, a few more out of sight
        # or archived, and many finished over the year.
        mine = [
            card(rng.choice(visible), assignee=user, done=False, due=due())
            for _ in range(open_tasks)
        ]
        mine += [
            card(projects[rng.choice([8, 9])], assignee=user, done=False, due=due())
            for _ in range(open_tasks // 10)
        ]
        mine += [
            card(rng.choice(visible), assignee=user, done=False, due=due(), archived=True)
            for _ in range(open_tasks // 10)
        ]
        mine += [
            card(rng.choice(visible), assignee=user, done=True, due=due())
            for _ in range(cards // 20)
        ]
        others = [
            card(
                rng.choice(projects),
                assignee=rng.choice([None, *people[1:]]),
                done=rng.random() < 0.7,
                due=due(),
                creator=user if rng.random() < 0.05 else None,
            )
            for _ in range(cards - len(mine) - cards // 10)
        ]
        batch = mine + others
        rng.shuffle(batch)
        Task.objects.bulk_create(batch, batch_size=1000)
        # A tenth are subtasks of open cards (of the same project); some are the user's.
        parents = [t for t in batch if t.completed_at is None and t.archived_at is None]
        subtasks = []
        for n in range(cards // 10):
            parent = rng.choice(parents)
            ours = n < open_tasks // 10
            subtasks.append(
                card(
                    parent.project,
                    assignee=user if ours else rng.choice([None, *people[1:]]),
                    done=not ours and rng.random() < 0.5,
                    due=due(),
                    parent=parent,
                )
            )
        Task.objects.bulk_create(subtasks, batch_size=1000)
        for project in projects:
            Project.objects.filter(pk=project.pk).update(task_counter=numbers[project.pk])
        followed = rng.sample(parents, min(len(parents), open_tasks + open_tasks // 2))
        Through = Task.participants.through
        Through.objects.bulk_create(
            [Through(task_id=t.pk, user_id=user.pk) for t in followed], batch_size=1000
        )

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    return {
        "slug": org.slug,
        "session": session_for(user),
        "db": connection.vendor.replace("postgresql", "postgres"),
        "cards": Task.objects.count(),
        **inspect(user, org, today),
    }


def inspect(user, org, today) -> dict:
    """What the page shows, its SQL queries (in-process, after a warm-up) and the plan of its
    task query."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from baton.projects import queries

    result = queries.my_tasks(user, org, today)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    url = reverse("projects:my_tasks", args=[org.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"my tasks rendered in-process answered {response.status_code}")
    count = len(captured)  # before the next request empties the log
    read, page = [], []
    for _ in range(20):
        start = time.perf_counter()
        queries.my_tasks(user, org, today)
        read.append(time.perf_counter() - start)
        start = time.perf_counter()
        client.get(url)
        page.append(time.perf_counter() - start)
    return {
        "assigned_open": result["total"],
        "groups": {group["name"]: group["count"] for group in result["groups"]},
        "queries": count,
        "read_p50_ms": ms(statistics.median(read)),
        "in_process_p50_ms": ms(statistics.median(page)),
        "plan": " | ".join(line.strip() for line in explain(user, org).splitlines()),
    }


def explain(user, org) -> str:
    """The plan of the page's task query, as queries.my_tasks() runs it."""
    from baton.projects import queries
    from baton.projects.permissions import visible_projects

    ids = list(visible_projects(user, org).filter(archived_at=None).values_list("pk", flat=True))
    tasks = queries._open_tasks_of(user, "assigned").filter(project_id__in=ids)
    return tasks.order_by().values(*queries.MY_TASK_VALUES)[: queries.MY_TASKS_LIMIT + 1].explain()


# ---------------------------------------------------------------- in the benchmark process


def benchmark(options) -> dict:
    seed_args = ["--cards", options.cards, "--open", options.open, "--seed", options.seed]
    with seeded_server(
        __file__, options.database_url, prefix="baton-bench-my-tasks-", seed_args=seed_args
    ) as (data, server):
        figures = {
            "cards": data["cards"],
            "assigned_open": data["assigned_open"],
            "groups": data["groups"],
            "queries": data["queries"],
            "read_p50_ms": data["read_p50_ms"],
            "in_process_p50_ms": data["in_process_p50_ms"],
        }
        path = f"/o/{data['slug']}/my-tasks"
        with make_client(server.base, data["session"], "x" * 32) as client:
            for tab, prefix in [
                ("assigned", "my_tasks"),
                ("following", "following"),
                ("created", "created"),
            ]:
                measured = measure_get(client, f"{path}?tab={tab}", options.requests)
                figures.update({f"{prefix}_{k}": v for k, v in measured.items()})
        figures["plan"] = data["plan"]
        figures["db"] = data["db"]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=100_000, help="cards in the organization")
    parser.add_argument("--open", type=int, default=300, help="the user's open assigned tasks")
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server URL, e.g. postgres://postgres@127.0.0.1:5432/postgres (a "
        "throwaway database is created on it and dropped afterwards); SQLite when omitted",
    )
    parser.add_argument("--requests", type=int, default=50, help="requests measured per tab")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    parser.add_argument("--seed-only", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.cards < 10 * options.open:
        parser.error("--cards must be at least ten times --open")
    if options.seed_only:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        print(json.dumps(seed(options.cards, options.open, options.seed), ensure_ascii=False))
        return
    print(json.dumps(benchmark(options), ensure_ascii=False))


if __name__ == "__main__":
    main()
