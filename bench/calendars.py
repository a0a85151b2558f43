"""Calendar benchmark: an organization with 20 calendars, 5,000 events of which 500 repeat, and
10,000 tasks with due dates; the month view's data and one calendar's subscription feed, measured
over HTTP on a real server.

    .venv/bin/python bench/calendars.py
    .venv/bin/python bench/calendars.py --database-url postgres://postgres@127.0.0.1:5432/postgres

Steps: a temporary data directory (and throwaway PostgreSQL database), `baton migrate`, then a
seed subprocess: 12 people, an organization, 20 calendars made by the services; 5,000 events
spread over the year around today inserted with bulk_create (a tenth repeat: weekly on one or two
days, daily, monthly on a date or "the last Friday", some with COUNT or UNTIL, their series end
computed as the services do), two projects of 5,000 cards each with due dates over the same year,
both turned on in the benchmark user's calendar. `ANALYZE` (PostgreSQL: `VACUUM ANALYZE`), then
`baton serve` and over keep-alive HTTP:

- month: GET /o/<slug>/calendar/events?start=…&end=… for the six weeks FullCalendar shows for this
  month (events and their occurrences, tasks due, holidays);
- feed: GET /feeds/<token>.ics for one calendar of about 250 events (25 of them repeating).

Prints one JSON line: `<name>_p50_ms`, `<name>_p95_ms`, `<name>_bytes`, the month's item count and
query count, `db`.
"""

import argparse
import datetime
import json
import os
import random
import sys
import uuid
from pathlib import Path
from urllib.parse import urlencode

# Named calendars.py, not calendar.py: a file named like the standard library's `calendar` in
# this folder would shadow it for every benchmark run from here (http.client imports it).
sys.path.insert(0, str(Path(__file__).resolve().parent))
from board import GIVEN, SURNAMES, make_client, measure_get, seeded_server, session_for

CALENDARS = [
    f"{shop}{name}"
    for shop in ("天猫", "京东", "拼多多", "抖音")
    for name in ("大促", "店铺活动", "直播", "上新", "客服排班")
]
RULES = [
    "FREQ=WEEKLY;BYDAY=MO",
    "FREQ=WEEKLY;BYDAY=TU,TH",
    "FREQ=DAILY;COUNT=30",
    "FREQ=MONTHLY;BYMONTHDAY=15",
    "FREQ=MONTHLY;BYDAY=-1FR",
    "FREQ=WEEKLY;BYDAY=FR;COUNT=20",
]
TITLES = ["大促预热", "直播带货", "新品上架", "店铺会员日", "平台招商截止", "素材提报", "客服培训"]


# ---------------------------------------------------------------- in the seed subprocess


def month_range(today: datetime.date) -> tuple[str, str]:
    """The six weeks FullCalendar's month view asks for: from the Monday on or before the 1st."""
    first = today.replace(day=1)
    start = first - datetime.timedelta(days=first.weekday())
    end = start + datetime.timedelta(weeks=6)
    return start.isoformat() + "T00:00:00+08:00", end.isoformat() + "T00:00:00+08:00"


def seed(events: int, recurring: int, tasks: int, rng_seed: int) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baton.settings")
    django.setup()
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from baton.accounts.models import User
    from baton.calendars import services as calendar_services
    from baton.calendars.models import Event
    from baton.calendars.recurrence import series_end
    from baton.core.positions import GAP
    from baton.orgs import services as org_services
    from baton.projects import services
    from baton.projects.models import Task, Visibility

    rng = random.Random(rng_seed)
    tz = datetime.timezone(datetime.timedelta(hours=8))
    today = timezone.localdate()
    with transaction.atomic():
        people = [
            User.objects.create_user(
                f"cal{i}@baton.local",
                None,
                name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                language="zh-hans",
                timezone="Asia/Shanghai",
            )
            for i in range(12)
        ]
        user = people[0]
        org = org_services.create_organization(actor=user, name="日历压测旗舰店")
        link = org_services.invite(actor=user, organization=org)
        for person in people[1:]:
            org_services.accept_invitation(actor=person, invitation=link)
        calendars = [
            calendar_services.create_calendar(actor=user, organization=org, name=name)
            for name in CALENDARS
        ]
        batch = []
        for index in range(events):
            day = today + datetime.timedelta(days=rng.randint(-180, 180))
            all_day = rng.random() < 0.3
            if all_day:
                start = datetime.datetime.combine(day, datetime.time(), tz)
                end = start + datetime.timedelta(days=rng.randint(1, 3))
            else:
                start = datetime.datetime.combine(day, datetime.time(rng.randint(8, 20)), tz)
                end = start + datetime.timedelta(minutes=rng.choice([30, 60, 90, 120]))
            event = Event(
                calendar=calendars[index % len(calendars)],
                uid=f"{uuid.uuid4()}@bench",
                title=f"{rng.choice(TITLES)} {index}",
                description="活动说明: 报名、素材、价格要求见平台公告。",
                start=start,
                end=end,
                all_day=all_day,
                timezone="Asia/Shanghai",
                rrule=RULES[index % len(RULES)] if index < recurring else "",
                created_by=user,
            )
            if event.rrule:
                event.recurrence_end = series_end(event)
            batch.append(event)
        Event.objects.bulk_create(batch, batch_size=1000)
        for name, key in (("售后处理", "SH"), ("大促筹备", "DC")):
            project = services.create_project(
                actor=user,
                organization=org,
                name=name,
                key=key,
                lists=["要做", "进行中"],
                visibility=Visibility.ORGANIZATION,
            )
            lists = list(project.lists.all())
            count = tasks // 2
            Task.objects.bulk_create(
                [
                    Task(
                        project=project,
                        list=lists[n % 2],
                        number=n + 1,
                        created_by=user,
                        title=f"任务 {n}",
                        position=(n + 1) * GAP,
                        assignee=rng.choice(people),
                        due_date=today + datetime.timedelta(days=rng.randint(-180, 180)),
                    )
                    for n in range(count)
                ],
                batch_size=1000,
            )
            type(project).objects.filter(pk=project.pk).update(task_counter=count)
            calendar_services.set_layer(actor=user, project=project, visible=True)
        token = calendar_services.regenerate_feed_token(actor=user, calendar=calendars[0])

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    start, end = month_range(today)
    month_path = f"/o/{org.slug}/calendar/events?" + urlencode({"start": start, "end": end})
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    client.get(month_path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(month_path)
    payload = json.loads(response.content)
    # baton/calendars/entries.py: tables, then the entries FullCalendar shows.
    items = [*payload["events"], *payload["tasks"], *payload["holidays"]]
    return {
        "session": session_for(user),
        "month_path": month_path,
        "feed_path": f"/feeds/{token}.ics",
        "month_items": len(items),
        "month_queries": len(captured),
        "db": connection.vendor.replace("postgresql", "postgres"),
    }


# ---------------------------------------------------------------- in the benchmark process


def benchmark(options) -> dict:
    seed_args = [
        *("--events", options.events, "--recurring", options.recurring),
        *("--tasks", options.tasks),
    ]
    with seeded_server(
        __file__, options.database_url, prefix="baton-bench-calendar-", seed_args=seed_args
    ) as (data, server):
        figures = {"events": options.events, "recurring": options.recurring, "tasks": options.tasks}
        with make_client(server.base, data["session"], "x" * 32) as client:
            for name in ("month", "feed"):
                measured = measure_get(client, data[f"{name}_path"], options.requests)
                figures.update({f"{name}_{k}": v for k, v in measured.items()})
        figures.update(
            month_items=data["month_items"], month_queries=data["month_queries"], db=data["db"]
        )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--recurring", type=int, default=500)
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server URL (a throwaway database is created on it); SQLite if omitted",
    )
    parser.add_argument("--requests", type=int, default=50, help="requests measured per page")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    parser.add_argument("--seed-only", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.seed_only:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        data = seed(options.events, options.recurring, options.tasks, options.seed)
        print(json.dumps(data, ensure_ascii=False))
        return
    print(json.dumps(benchmark(options), ensure_ascii=False))


if __name__ == "__main__":
    main()
