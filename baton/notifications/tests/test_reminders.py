"""Reminders: cards due soon and overdue, events about to start; across time zones, exactly once."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import translation

from baton.notifications.models import Kind, Notification, NotificationSettings, SentReminder
from baton.notifications.reminders import due_moment, reminder_text, send_reminders

UTC = dt.UTC
SHANGHAI = ZoneInfo("Asia/Shanghai")
DUE = dt.date(2026, 11, 12)
# bob (Shanghai): due at 2026-11-12 18:00 +08 = 10:00 UTC.
BOB_DUE = dt.datetime(2026, 11, 12, 10, tzinfo=UTC)
# alice (Los Angeles, PST): due at 2026-11-12 18:00 -08 = 2026-11-13 02:00 UTC.
ALICE_DUE = dt.datetime(2026, 11, 13, 2, tzinfo=UTC)


@pytest.fixture
def card(project, lists, alice, bob):
    from baton.projects.models import Task
    from baton.projects.services import create_task

    alice.timezone = "America/Los_Angeles"
    alice.save()
    bob.timezone = "Asia/Shanghai"
    bob.save()
    task = create_task(actor=alice, project=project, task_list=lists[0], title="退款 #1001")
    Task.objects.filter(pk=task.pk).update(due_date=DUE, assignee=bob)
    task.participants.add(alice)
    task.refresh_from_db()
    return task


def reminders(user=None):
    rows = Notification.objects.filter(kind=Kind.REMINDER)
    if user is not None:
        rows = rows.filter(recipient=user)
    return sorted(
        (r.recipient.name, r.verb, r.data["minutes_before"])
        for r in rows.select_related("recipient")
    )


def test_a_due_date_falls_due_at_six_in_the_evening_of_each_readers_zone(card, alice, bob):
    assert due_moment(DUE, bob) == BOB_DUE
    assert due_moment(DUE, alice) == ALICE_DUE


def test_card_reminders_follow_each_persons_time_zone(card, alice, bob):
    send_reminders(now=BOB_DUE - dt.timedelta(days=1))
    assert reminders() == [("Bob", "reminder.due_soon", 1440)]
    send_reminders(now=ALICE_DUE - dt.timedelta(days=1))
    assert reminders(alice) == [("Alice", "reminder.due_soon", 1440)]
    send_reminders(now=BOB_DUE - dt.timedelta(hours=1))
    send_reminders(now=BOB_DUE + dt.timedelta(seconds=30))
    assert reminders(bob) == [
        ("Bob", "reminder.due_soon", 60),
        ("Bob", "reminder.due_soon", 1440),
        ("Bob", "reminder.overdue", 0),
    ]
    note = Notification.objects.filter(recipient=bob, verb="reminder.overdue").get()
    assert note.activity_id is None
    assert note.target_type == "task" and note.target_id == card.pk
    assert card.reference in note.target_title
    assert note.target_url.endswith(f"/t/{card.reference}") or card.reference in note.target_url


def test_nothing_before_its_time(card):
    send_reminders(now=BOB_DUE - dt.timedelta(days=1, minutes=1))
    assert reminders() == []


def test_each_person_chooses_their_offsets(card, alice, bob):
    NotificationSettings.objects.create(user=bob, reminder_minutes=[15])
    NotificationSettings.objects.create(user=alice, reminder_minutes=[])
    send_reminders(now=BOB_DUE - dt.timedelta(days=1))
    send_reminders(now=BOB_DUE - dt.timedelta(hours=1))
    assert reminders() == []
    send_reminders(now=BOB_DUE - dt.timedelta(minutes=15))
    assert reminders() == [("Bob", "reminder.due_soon", 15)]
    send_reminders(now=ALICE_DUE + dt.timedelta(minutes=1))
    assert ("Alice", "reminder.overdue", 0) in reminders()  # overdue is told to everyone


def test_running_the_job_again_after_a_restart_sends_nothing_twice(card):
    now = BOB_DUE - dt.timedelta(days=1) + dt.timedelta(seconds=20)
    send_reminders(now=now)
    send_reminders(now=now)
    send_reminders(now=now + dt.timedelta(minutes=1))
    assert reminders() == [("Bob", "reminder.due_soon", 1440)]
    assert SentReminder.objects.count() == 1


def test_a_long_downtime_sends_no_burst_of_stale_reminders(card, bob):
    # The workers were down from before the 1-day reminder until 3 hours after it.
    send_reminders(now=BOB_DUE - dt.timedelta(hours=21))
    assert reminders() == []
    # ... and when they were down past the due time: only the overdue reminder, once.
    send_reminders(now=BOB_DUE + dt.timedelta(hours=5))
    send_reminders(now=BOB_DUE + dt.timedelta(hours=5, minutes=1))
    assert reminders(bob) == [("Bob", "reminder.overdue", 0)]


def test_a_card_due_in_ten_minutes_gets_one_reminder_not_two(card, bob):
    send_reminders(now=BOB_DUE - dt.timedelta(minutes=10))
    assert reminders(bob) == [("Bob", "reminder.due_soon", 60)]


def test_completed_and_archived_cards_are_not_reminded(card, project, lists):
    from django.utils import timezone

    from baton.projects.models import Task

    Task.objects.filter(pk=card.pk).update(completed_at=timezone.now())
    send_reminders(now=BOB_DUE - dt.timedelta(days=1))
    send_reminders(now=BOB_DUE + dt.timedelta(minutes=1))
    Task.objects.filter(pk=card.pk).update(completed_at=None, archived_at=timezone.now())
    send_reminders(now=BOB_DUE - dt.timedelta(hours=1))
    assert reminders() == []


def test_nobody_is_reminded_of_a_card_they_cannot_see(card, bob, mallory):
    from baton.projects.models import ProjectMember, Task

    card.participants.add(mallory)
    ProjectMember.objects.filter(project=card.project, user=bob).delete()
    Task.objects.filter(pk=card.pk).update(assignee=bob)
    send_reminders(now=BOB_DUE - dt.timedelta(days=1))
    send_reminders(now=BOB_DUE + dt.timedelta(minutes=1))
    names = {name for name, _verb, _m in reminders()}
    assert "Mallory" not in names
    assert "Bob" not in names


def test_reminder_text_reads_in_the_readers_language(card, bob):
    send_reminders(now=BOB_DUE - dt.timedelta(days=1))
    note = Notification.objects.get(recipient=bob)
    with translation.override("en"):
        assert "due in 1 day" in reminder_text(note)


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_send_each_reminder_once(card, alice, bob):
    now = BOB_DUE - dt.timedelta(hours=1)
    barrier = threading.Barrier(2)
    errors = []

    def worker():
        try:
            barrier.wait()
            send_reminders(now=now)
        except Exception as error:  # pragma: no cover - shown by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert reminders() == [("Bob", "reminder.due_soon", 60)]


# ---------------------------------------------------------------- events


@pytest.fixture
def weekly_meeting(org, alice, bob, carol):
    from baton.calendars.models import Attendance, EventParticipant
    from baton.calendars.services.calendars import create_calendar
    from baton.calendars.services.events import create_event

    calendar = create_calendar(actor=alice, organization=org, name="天猫")
    start = dt.datetime(2026, 11, 11, 10, tzinfo=SHANGHAI)
    event = create_event(
        actor=alice,
        calendar=calendar,
        title="周会",
        start=start,
        end=start + dt.timedelta(hours=1),
        timezone="Asia/Shanghai",
        rrule="FREQ=WEEKLY",
        reminders=[30],
    )
    EventParticipant.objects.create(event=event, user=bob, response=Attendance.ACCEPTED)
    EventParticipant.objects.create(event=event, user=carol, response=Attendance.DECLINED)
    return event


def test_event_reminders_reach_participants_and_the_creator(weekly_meeting):
    start = dt.datetime(2026, 11, 11, 10, tzinfo=SHANGHAI)
    send_reminders(now=start - dt.timedelta(minutes=31))
    assert reminders() == []
    send_reminders(now=start - dt.timedelta(minutes=30))
    send_reminders(now=start - dt.timedelta(minutes=29))
    assert reminders() == [("Alice", "reminder.event", 30), ("Bob", "reminder.event", 30)]
    note = Notification.objects.filter(verb="reminder.event").first()
    assert note.target_type == "event" and note.target_title == "周会"
    with translation.override("en"):
        assert "starts in 30 minutes" in reminder_text(note)


def test_a_repeating_event_reminds_of_its_next_occurrence(weekly_meeting):
    next_week = dt.datetime(2026, 11, 18, 10, tzinfo=SHANGHAI)
    send_reminders(now=next_week - dt.timedelta(minutes=30))
    assert reminders() == [("Alice", "reminder.event", 30), ("Bob", "reminder.event", 30)]
    due = {r.due_at for r in SentReminder.objects.all()}
    assert due == {next_week}


def test_event_reminders_are_sent_once_after_a_restart(weekly_meeting):
    start = dt.datetime(2026, 11, 11, 10, tzinfo=SHANGHAI)
    for _ in range(3):
        send_reminders(now=start - dt.timedelta(minutes=20))
    assert len(reminders()) == 2
