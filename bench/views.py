"""Views benchmark: an organization of 100,000 cards, one project of 10,000, its list view and its
filtered board, measured over HTTP on a real server.

    .venv/bin/python bench/views.py
    .venv/bin/python bench/views.py --database-url postgres://postgres@127.0.0.1:5432/postgres

Steps: a temporary data directory (BATON_DATA_DIR), `baton migrate`, then in a subprocess with the
same environment `build_organization()` (below; reusable by other benchmarks: it returns what it
built), `ANALYZE` (PostgreSQL: `VACUUM ANALYZE`, as autovacuum would), the SQL queries of each page
counted in-process and their plans; then `baton serve` on a free port and, over keep-alive HTTP:

- list_first_page: GET /o/<slug>/p/SH/list (the first 100 rows in board order, custom field
  columns included);
- list_sorted_by_due: GET …/list?sort=due (the first page sorted by a column that needs the
  whole project sorted);
- board_filtered: GET /o/<slug>/p/SH/?tag=<id>&owner=<id> (a tag and an owner, as a member filters
  the after-sales board for their own refund tickets);
- search_2char: GET /o/<slug>/search?q=开线 (two Chinese characters in one card title in eight: the
  results page of 50 rows), search_order_number: part of an order number. The cards' search
  entries are written after seeding, as the services would have (timed: `index_seconds`).

Prints one JSON line: `<name>_p50_ms`, `<name>_p95_ms`, `<name>_queries` for each page, `cards`,
`project_cards`, `db`.
"""

import argparse
import datetime
import json
import os
import random
import secrets
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
from board import (
    CHECKOUT,
    GIVEN,
    LIST_NAMES,
    PROBLEMS,
    SURNAMES,
    make_client,
    measure_get,
    seeded_server,
    session_for,
)

DONE_LIST = "已处理"
PEOPLE = 30
PROJECTS = 10  # the measured project and nine others sharing the rest of the organization's cards


# ---------------------------------------------------------------- in the seed subprocess


def build_organization(
    *, cards: int = 100_000, project_cards: int = 10_000, rng_seed: int = 1
) -> dict:
    """In a process with Django set up on an empty migrated database: an organization of `cards`
    top-level cards over PROJECTS projects, `project_cards` of them in the after-sales project SH
    (six lists, seven tags, custom fields 订单号 / 重要性 / 渠道, cards with owners, participants,
    due dates, priorities, one or two tags, some done, a few archived, one in ten with a
    subtask). People, projects, lists, tags and fields are made by the services; cards, their
    tags and participants with bulk_create (the services would take an hour; the cards get no
    Activity rows and no search entries, which no page measured here reads).

    Returns what other benchmarks need: the organization's slug, the project key, the login
    session of the first member (`user_id`), the ids of tags and people."""
    from django.db import transaction
    from django.utils import timezone

    from baton.accounts.models import User
    from baton.core.positions import GAP
    from baton.orgs import services as org_services
    from baton.projects import services
    from baton.projects.models import CustomField, Project, Task, Visibility

    rng = random.Random(rng_seed)
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        people = [
            User.objects.create_user(
                f"views{i}@baton.local",
                None,
                name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)[: i % 2],
                language="zh-hans",
            )
            for i in range(PEOPLE)
        ]
        user = people[0]
        org = org_services.create_organization(actor=user, name="视图压测旗舰店")
        link = org_services.invite(actor=user, organization=org)
        for person in people[1:]:
            org_services.accept_invitation(actor=person, invitation=link)
        projects = []
        for index in range(PROJECTS):
            project = services.create_project(
                actor=user,
                organization=org,
                name="售后处理" if index == 0 else f"店铺{index}售后",
                key="SH" if index == 0 else f"P{chr(ord('A') + index)}",
                visibility=Visibility.ORGANIZATION,
                lists=LIST_NAMES,
            )
            for task_list in project.lists.all():
                if task_list.name == DONE_LIST:
                    services.update_list(actor=user, task_list=task_list, is_done=True)
            tags = [
                services.create_tag(actor=user, project=project, name=name, color=color)
                for name, color in services.AFTER_SALES_TAGS
            ]
            projects.append((project, list(project.lists.order_by("position")), tags))
        main, _lists, main_tags = projects[0]
        fields = {
            "order": CustomField.objects.create(project=main, name="订单号", kind="text"),
            "weight": CustomField.objects.create(
                project=main, name="重要性", kind="number", position=1
            ),
            "channel": CustomField.objects.create(
                project=main,
                name="渠道",
                kind="select",
                position=2,
                options=[
                    {"id": "tb", "name": "淘宝", "color": "orange"},
                    {"id": "jd", "name": "京东", "color": "red"},
                    {"id": "dy", "name": "抖音", "color": "gray"},
                ],
            ),
        }

        other_cards = cards - project_cards
        shares = [project_cards] + [
            other_cards // (PROJECTS - 1) + (1 if i < other_cards % (PROJECTS - 1) else 0)
            for i in range(PROJECTS - 1)
        ]
        Tags = Task.tags.through
        Participants = Task.participants.through
        for (project, lists, tags), count in zip(projects, shares, strict=True):
            per_list = [0] * len(lists)
            batch = []
            for number in range(1, count + 1):
                index = rng.randrange(len(lists))
                per_list[index] += 1
                task_list = lists[index]
                name = rng.choice(SURNAMES) + rng.choice(GIVEN)
                values = {}
                if project is main:
                    values = {
                        str(fields["order"].pk): str(2026111100000000 + number),
                        str(fields["weight"].pk): rng.randint(1, 100),
                    }
                    if rng.random() < 0.8:
                        values[str(fields["channel"].pk)] = rng.choice(["tb", "jd", "dy"])
                batch.append(
                    Task(
                        project=project,
                        list=task_list,
                        number=number,
                        created_by=user,
                        title=f"订单 {2026111100000000 + number} · {name} · {rng.choice(PROBLEMS)}",
                        assignee=rng.choice(people) if rng.random() < 0.9 else None,
                        due_date=today + datetime.timedelta(days=rng.randint(-20, 30))
                        if rng.random() < 0.8
                        else None,
                        priority=rng.randint(0, 4),
                        position=per_list[index] * GAP,
                        completed_at=now if task_list.is_done else None,
                        archived_at=now if rng.random() < 0.03 else None,
                        custom_values=values,
                    )
                )
            Task.objects.bulk_create(batch, batch_size=1000)
            ids = list(
                Task.objects.filter(project=project).order_by("number").values_list("pk", flat=True)
            )
            # One card in ten gets a subtask, numbered after the cards.
            subtasks = [
                Task(
                    project=project,
                    list_id=lists[0].pk,
                    parent_id=task_id,
                    number=count + n + 1,
                    title="联系买家确认",
                    created_by=user,
                    assignee=rng.choice(people),
                    position=GAP,
                )
                for n, task_id in enumerate(ids[::10])
            ]
            Task.objects.bulk_create(subtasks, batch_size=1000)
            Project.objects.filter(pk=project.pk).update(task_counter=count + len(subtasks))
            Tags.objects.bulk_create(
                [
                    Tags(task_id=task_id, tag_id=tag.pk)
                    for task_id in ids
                    for tag in rng.sample(tags, rng.randint(1, 2))
                ],
                batch_size=2000,
            )
            Participants.objects.bulk_create(
                [
                    Participants(task_id=task_id, user_id=person.pk)
                    for task_id in ids
                    if rng.random() < 0.3
                    for person in rng.sample(people, 2)
                ],
                batch_size=2000,
            )

    return {
        "slug": org.slug,
        "key": main.key,
        "session": session_for(user),
        "user_id": user.pk,
        "people": [person.pk for person in people],
        "tags": [tag.pk for tag in main_tags],
        "fields": {name: custom.pk for name, custom in fields.items()},
        "cards": cards,
        "project_cards": project_cards,
    }


def index_cards() -> float:
    """Write the search entries of every card and subtask, as the services do when they are
    created (build_organization bulk-creates them without); returns the seconds it took."""
    from django.db import transaction

    from baton.projects.models import Project, Task
    from baton.projects.services import indexing

    start = time.perf_counter()
    for project in Project.objects.select_related("organization"):
        tasks = Task.objects.filter(project=project).order_by("pk")
        for offset in range(0, tasks.count(), 5000):
            batch = list(tasks[offset : offset + 5000])
            for task in batch:
                task.project = project
            with transaction.atomic():
                indexing.index_tasks(batch)
    return round(time.perf_counter() - start, 1)


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def pages(data: dict) -> dict[str, str]:
    """The measured pages: name -> path."""
    base = f"/o/{data['slug']}/p/{data['key']}/"
    tag, owner = data["tags"][1], data["people"][1]  # 退款, someone's own tickets
    return {
        "list_first_page": f"{base}list",
        "list_sorted_by_due": f"{base}list?sort=due",
        "board_filtered": f"{base}?tag={tag}&owner={owner}",
        # Two Chinese characters found in one card in eight (12,500 of the 100,000): the results
        # page, 50 rows (the as-you-type dropdown shows 8).
        "search_2char": f"/o/{data['slug']}/search?q={quote('开线')}",
        "search_order_number": f"/o/{data['slug']}/search?q=1100004321",
    }


def count_queries(data: dict) -> dict:
    """Each page rendered in-process: its SQL queries and (EXPLAIN) their plans."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(pk=data["user_id"]))
    figures, plans = {}, {}
    for name, path in pages(data).items():
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} rendered in-process answered {response.status_code}")
        figures[f"{name}_queries"] = len(captured)
        plans[name] = [_plan(connection, q["sql"]) for q in captured if "projects_task" in q["sql"]]
    return {"figures": figures, "plans": plans}


def _plan(connection, sql: str) -> str:
    explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        cursor.execute(explain + sql)
        return " / ".join(str(row[-1]).strip() for row in cursor.fetchall())


def seed(cards: int, project_cards: int, rng_seed: int) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baton.settings")
    django.setup()
    from django.db import connection

    start = time.perf_counter()
    data = build_organization(cards=cards, project_cards=project_cards, rng_seed=rng_seed)
    data["seed_seconds"] = round(time.perf_counter() - start, 1)
    data["index_seconds"] = index_cards()
    analyze()
    data.update(count_queries(data))
    data["db"] = connection.vendor.replace("postgresql", "postgres")
    return data


# ---------------------------------------------------------------- in the benchmark process


def benchmark(options) -> dict:
    seed_args = [
        *("--cards", options.cards, "--project-cards", options.project_cards),
        *("--seed", options.seed),
    ]
    with seeded_server(
        __file__, options.database_url, prefix="baton-bench-views-", seed_args=seed_args
    ) as (data, server):
        if options.plans:
            print(json.dumps(data["plans"], ensure_ascii=False, indent=1), file=sys.stderr)
        figures: dict = {"cards": data["cards"], "project_cards": data["project_cards"]}
        with make_client(server.base, data["session"], secrets.token_hex(16)) as client:
            for name, path in pages(data).items():
                measured = measure_get(client, path, options.requests)
                figures[f"{name}_p50_ms"] = measured["p50_ms"]
                figures[f"{name}_p95_ms"] = measured["p95_ms"]
        figures.update(data["figures"])
        figures["seed_seconds"] = data["seed_seconds"]
        figures["index_seconds"] = data["index_seconds"]
        figures["db"] = data["db"]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=100_000, help="cards in the organization")
    parser.add_argument(
        "--project-cards", type=int, default=10_000, help="cards in the measured project"
    )
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server URL, e.g. postgres://postgres@127.0.0.1:5432/postgres (a "
        "throwaway database is created on it and dropped afterwards); SQLite when omitted",
    )
    parser.add_argument("--requests", type=int, default=30, help="requests per page")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    parser.add_argument("--plans", action="store_true", help="print the query plans on stderr")
    parser.add_argument("--seed-only", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.project_cards < 1 or options.cards < options.project_cards:
        parser.error("--project-cards must be at least 1 and at most --cards")
    if options.seed_only:
        sys.path.insert(0, str(CHECKOUT))
        data = seed(options.cards, options.project_cards, options.seed)
        print(json.dumps(data, ensure_ascii=False))
        return
    print(json.dumps(benchmark(options)))


if __name__ == "__main__":
    main()
