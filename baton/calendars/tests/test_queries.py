"""Reads for a visible range: occurrences of shown calendars, dated tasks, project calendar."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from baton.calendars import queries, services
from baton.calendars.models import CalendarVisibility, Event
from baton.calendars.recurrence import series_end
from baton.orgs.permissions import get_org_for_user_or_404
from baton.projects.models import Task
from baton.projects.services import create_task

SH = ZoneInfo("Asia/Shanghai")
NY = ZoneInfo("America/New_York")


def at(tz, *args):
    return dt.datetime(*args, tzinfo=tz)


MARCH = (at(SH, 2026, 3, 1), at(SH, 2026, 4, 1))


@pytest.fixture
def jd(org, alice):
    return services.create_calendar(actor=alice, organization=org, name="京东", color="red")


@pytest.fixture
def private(org, alice):
    return services.create_calendar(
        actor=alice, organization=org, name="老板", visibility=CalendarVisibility.MEMBERS
    )


def event(calendar, actor, title, start, end, **fields):
    return services.create_event(
        actor=actor, calendar=calendar, title=title, start=start, end=end, **fields
    )


@pytest.fixture
def march(jd, private, alice):
    event(jd, alice, "38 节", dt.date(2026, 3, 5), dt.date(2026, 3, 8), all_day=True)
    event(jd, alice, "二月", dt.date(2026, 2, 1), dt.date(2026, 2, 2), all_day=True)
    event(jd, alice, "跨月", dt.date(2026, 2, 27), dt.date(2026, 3, 2), all_day=True)
    weekly = event(
        jd,
        alice,
        "NY sync",
        at(NY, 2026, 1, 5, 10),
        at(NY, 2026, 1, 5, 11),
        timezone="America/New_York",
        rrule="FREQ=WEEKLY;BYDAY=MO",
    )
    ended = event(
        jd,
        alice,
        "ended",
        at(SH, 2025, 1, 1, 9),
        at(SH, 2025, 1, 1, 10),
        rrule="FREQ=DAILY;COUNT=3",
    )
    event(private, alice, "秘密", at(SH, 2026, 3, 10, 9), at(SH, 2026, 3, 10, 10))
    services.update_event(
        actor=alice,
        event=weekly,
        scope="this",
        occurrence=at(NY, 2026, 3, 16, 10),
        start=at(NY, 2026, 3, 17, 10),
        end=at(NY, 2026, 3, 17, 11),
        title="NY sync moved",
    )
    return {"weekly": weekly, "ended": ended}


def titles(found):
    return [(o.start.astimezone(SH).strftime("%m-%d %H:%M"), o.event.title) for o in found]


def test_occurrences_of_the_month(org, march, alice, bob):
    found = queries.occurrences(alice, org, *MARCH)
    assert titles(found) == [
        ("02-27 00:00", "跨月"),
        ("03-02 23:00", "NY sync"),
        ("03-05 00:00", "38 节"),
        ("03-09 22:00", "NY sync"),
        ("03-10 09:00", "秘密"),
        ("03-17 22:00", "NY sync moved"),
        ("03-23 22:00", "NY sync"),
        ("03-30 22:00", "NY sync"),
    ]
    moved = found[5]
    assert moved.is_override and moved.recurrence_id == at(NY, 2026, 3, 16, 10)
    # bob does not see the members-only calendar.
    assert "秘密" not in [o.event.title for o in queries.occurrences(bob, org, *MARCH)]


def test_hidden_calendar_and_outsider(org, jd, march, bob, mallory):
    services.set_layer(actor=bob, calendar=jd, visible=False)
    assert queries.occurrences(bob, org, *MARCH) == []
    assert queries.occurrences(mallory, org, *MARCH) == []


def test_archived_calendar_is_not_shown(org, jd, march, alice):
    services.set_calendar_archived(actor=alice, calendar=jd, archived=True)
    assert [o.event.title for o in queries.occurrences(alice, org, *MARCH)] == ["秘密"]


def test_occurrence_moved_into_the_range_from_outside(org, jd, alice):
    weekly = event(
        jd,
        alice,
        "会",
        at(SH, 2026, 1, 5, 10),
        at(SH, 2026, 1, 5, 11),
        rrule="FREQ=WEEKLY;COUNT=2",
    )
    services.update_event(
        actor=alice,
        event=weekly,
        scope="this",
        occurrence=at(SH, 2026, 1, 12, 10),
        start=at(SH, 2026, 3, 3, 10),
        end=at(SH, 2026, 3, 3, 11),
    )
    assert titles(queries.occurrences(alice, org, *MARCH)) == [("03-03 10:00", "会")]


def test_query_count_does_not_grow_with_events(org, jd, march, alice, django_assert_num_queries):
    org.membership = None
    with django_assert_num_queries(3):  # membership, events, overrides
        queries.occurrences(alice, org, *MARCH)
    for day in range(1, 20):
        event(
            jd,
            alice,
            f"e{day}",
            at(SH, 2026, 3, day, 9),
            at(SH, 2026, 3, day, 10),
            rrule="FREQ=DAILY;COUNT=5" if day % 2 else "",
        )
    org.membership = None
    with django_assert_num_queries(3):
        found = queries.occurrences(alice, org, *MARCH)
    assert len(found) > 60


def test_dated_tasks(org, project, lists, alice, bob, carol, mallory, django_assert_num_queries):
    create_task(
        actor=alice, project=project, task_list=lists[0], title="due", due_date="2026-03-10"
    )
    create_task(
        actor=alice, project=project, task_list=lists[0], title="later", due_date="2026-05-10"
    )
    create_task(actor=alice, project=project, task_list=lists[0], title="none")
    assert queries.dated_tasks(bob, org, *MARCH) == []  # not turned on
    services.set_layer(actor=bob, project=project, visible=True)
    org.membership = None
    with django_assert_num_queries(2):
        tasks = queries.dated_tasks(bob, org, *MARCH)
    assert [t.title for t in tasks] == ["due"]
    assert tasks[0].project_key == "SH" and tasks[0].done is False
    assert queries.dated_tasks(mallory, org, *MARCH) == []
    services.set_layer(actor=bob, project=project, visible=False)
    assert queries.dated_tasks(bob, org, *MARCH) == []


def test_month_of_a_busy_organization_costs_a_few_queries(
    org, jd, alice, django_assert_max_num_queries
):
    """500 series and 4,500 single events over a year: a month's occurrences in the same few
    queries as a handful (the time is measured by bench/calendar.py, never here)."""
    calendar = jd
    rows = []
    base = at(SH, 2026, 1, 1, 9)
    for n in range(5000):
        start = base + dt.timedelta(hours=n * 7 % 8760)
        rule = ["FREQ=WEEKLY", "FREQ=DAILY;INTERVAL=3", "FREQ=MONTHLY;BYDAY=-1FR"][n % 3]
        recurring = n % 10 == 0
        e = Event(
            calendar=calendar,
            uid=f"{n}@t",
            title=f"e{n}",
            start=start,
            end=start + dt.timedelta(hours=1),
            timezone="Asia/Shanghai",
            rrule=rule if recurring else "",
        )
        e.recurrence_end = series_end(e)
        rows.append(e)
    Event.objects.bulk_create(rows)
    with django_assert_max_num_queries(3):
        found = queries.occurrences(alice, org, at(SH, 2026, 10, 1), at(SH, 2026, 11, 1))
    assert len(found) > 300


def test_an_unreadable_rule_does_not_break_the_view(org, jd, alice):
    broken = event(jd, alice, "坏", at(SH, 2026, 3, 2, 9), at(SH, 2026, 3, 2, 10))
    Event.objects.filter(pk=broken.pk).update(rrule="FREQ=SOMETIMES", recurrence_end=None)
    event(jd, alice, "好", at(SH, 2026, 3, 3, 9), at(SH, 2026, 3, 3, 10))
    assert [o.event.title for o in queries.occurrences(alice, org, *MARCH)] == ["坏", "好"]


def test_month_of_dated_tasks_among_ten_thousand(
    org, project, lists, alice, django_assert_num_queries
):
    Task.objects.bulk_create(
        Task(
            project=project,
            list=lists[n % 4],
            number=1000 + n,
            title=f"t{n}",
            due_date=dt.date(2026, 1, 1) + dt.timedelta(days=n % 365),
            position=n,
        )
        for n in range(10_000)
    )
    services.set_layer(actor=alice, project=project, visible=True)
    org = get_org_for_user_or_404(alice, org.slug)  # as a page has it: with alice's membership
    with django_assert_num_queries(1):
        tasks = queries.dated_tasks(alice, org, at(SH, 2026, 3, 1), at(SH, 2026, 4, 1))
    assert 800 < len(tasks) < 900


def test_series_rows_carry_their_exceptions_and_singles_skip_them(org, jd, alice):
    weekly = event(
        jd, alice, "周会", at(SH, 2026, 3, 2, 10), at(SH, 2026, 3, 2, 11), rrule="FREQ=WEEKLY"
    )
    services.delete_event(
        actor=alice, event=weekly, scope="this", occurrence=at(SH, 2026, 3, 9, 10)
    )
    event(jd, alice, "单次", at(SH, 2026, 3, 4, 10), at(SH, 2026, 3, 4, 11))
    Event.objects.filter(title="单次").update(exdates=["2026-03-04T02:00:00+00:00"])
    found = titles(queries.occurrences(alice, org, *MARCH))
    assert found == [
        ("03-02 10:00", "周会"),
        ("03-04 10:00", "单次"),
        ("03-16 10:00", "周会"),
        ("03-23 10:00", "周会"),
        ("03-30 10:00", "周会"),
    ]
    rows = queries.event_rows(Event.objects.filter(calendar=jd))
    assert {r.title: r.exdates for r in rows} == {"周会": ["2026-03-09T02:00:00+00:00"], "单次": []}


def test_an_edited_series_is_expanded_again_not_read_from_the_cache(org, jd, alice):
    weekly = event(
        jd, alice, "周会", at(SH, 2026, 3, 2, 10), at(SH, 2026, 3, 2, 11), rrule="FREQ=WEEKLY"
    )
    assert len(queries.occurrences(alice, org, *MARCH)) == 5
    weekly.refresh_from_db()
    services.update_event(
        actor=alice, event=weekly, scope="all", title="双周会", rrule="FREQ=WEEKLY;INTERVAL=2"
    )
    assert titles(queries.occurrences(alice, org, *MARCH)) == [
        ("03-02 10:00", "双周会"),
        ("03-16 10:00", "双周会"),
        ("03-30 10:00", "双周会"),
    ]
