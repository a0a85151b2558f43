"""Fan-out benchmark: one change to a card with N followers becomes their notifications.

    .venv/bin/python bench/fanout.py                  # 50 followers, 50 runs, SQLite

Steps: a temporary data directory (a fresh SQLite database), `migrate`, then through the services:
an organization of N + 2 people, the project SH, one card owned by one of them and followed by
the N others. Each run adds a comment to the card (not measured), then measures the fan-out job
of that comment's Activity (`fan_out.call`): the rules (who hears, who may see the card), the
bulk insert of the N + 1 notifications, the mail channel's scheduling and the inbox channel's
live events (one per recipient). Prints one JSON line: p50/p90/max in milliseconds, queries per
fan-out, notifications per fan-out.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def benchmark(followers: int, runs: int) -> dict:
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "baton.settings"
    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)

    from baton.accounts.models import User
    from baton.activity.models import Activity
    from baton.notifications.fanout import fan_out
    from baton.notifications.models import Notification
    from baton.orgs.models import Membership, Role
    from baton.orgs.services import create_organization
    from baton.projects import services
    from baton.projects.models import ProjectMember, ProjectRole

    def person(i: int) -> User:
        return User.objects.create_user(f"p{i}@bench.local", "bench-password-1", name=f"同事{i}")

    actor = person(0)
    org = create_organization(actor=actor, name="Bench Shop")
    project = services.create_project(
        actor=actor, organization=org, name="售后处理", key="SH", lists=["客户反馈", "已处理"]
    )
    people = [person(i) for i in range(1, followers + 2)]
    Membership.objects.bulk_create(
        [Membership(organization=org, user=p, role=Role.MEMBER) for p in people]
    )
    ProjectMember.objects.bulk_create(
        [ProjectMember(project=project, user=p, role=ProjectRole.MEMBER) for p in people]
    )
    task = services.create_task(
        actor=actor,
        project=project,
        task_list=project.lists.first(),
        title="退款 订单 1001",
        assignee=people[0].pk,
        participants=[p.pk for p in people[1:]],
    )
    timings, queries, told = [], [], []
    for run in range(runs + 3):  # three warm-up runs
        services.add_comment(actor=actor, task=task, body=f"第 {run} 次跟进")
        activity = Activity.objects.filter(verb="comment.added").latest("id")
        with CaptureQueriesContext(connection) as context:
            start = time.perf_counter()
            count = fan_out.call(activity_id=activity.pk)
            elapsed = time.perf_counter() - start
        if run >= 3:
            timings.append(elapsed * 1000)
            queries.append(len(context.captured_queries))
            told.append(count)
    assert Notification.objects.filter(activity__verb="comment.added").count() == (
        (runs + 3) * (followers + 1)
    )
    timings.sort()
    return {
        "bench": "fanout",
        "database": connection.vendor,
        "followers": followers,
        "runs": runs,
        "notified": told[0],
        "queries": queries[0],
        "p50_ms": round(statistics.median(timings), 2),
        "p90_ms": round(timings[int(len(timings) * 0.9) - 1], 2),
        "max_ms": round(timings[-1], 2),
        "target_p50_ms": 20,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--followers", type=int, default=50)
    parser.add_argument("--runs", type=int, default=50)
    options = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    with tempfile.TemporaryDirectory(prefix="baton-bench-fanout-") as data_dir:
        os.environ["BATON_DATA_DIR"] = data_dir
        os.environ.pop("DATABASE_URL", None)
        result = benchmark(options.followers, options.runs)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
