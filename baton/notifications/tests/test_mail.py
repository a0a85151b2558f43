"""E-mail of notifications, through a real SMTP server on a loopback port (aiosmtpd)."""

import datetime as dt
import logging
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from baton.notifications.channels import mail as channel
from baton.notifications.mail import (
    BACKOFF,
    CLAIM_TIMEOUT,
    MAX_ATTEMPTS,
    claim,
    send_due_mail,
)
from baton.notifications.models import (
    Kind,
    MailMode,
    MailState,
    Notification,
    NotificationSettings,
)
from baton.notifications.tests.conftest import html_of, text_of

SHANGHAI = ZoneInfo("Asia/Shanghai")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")


def notify(recipient, org, *, target=1, kind=Kind.ASSIGNMENT, verb="task.assigned", actor=None):
    """A saved notification about card `target`, passed through the mail channel."""
    n = Notification.objects.create(
        recipient=recipient,
        organization=org,
        actor=actor,
        kind=kind,
        verb=verb,
        target_type="task",
        target_id=target,
        target_title=f"SH-{target} 退款处理",
        target_url=f"/o/{org.slug}/t/SH-{target}",
    )
    channel.deliver([n])
    n.refresh_from_db()
    return n


def later(seconds: int = 180) -> dt.datetime:
    return timezone.now() + dt.timedelta(seconds=seconds)


def choose(user, **modes) -> NotificationSettings:
    prefs, _ = NotificationSettings.objects.get_or_create(user=user)
    prefs.mail_modes = {**prefs.mail_modes, **modes}
    prefs.save()
    return prefs


# ---------------------------------------------------------------- the channel


def test_immediate_mail_is_due_after_the_batching_window(org, bob, settings):
    settings.BATON_MAIL_BATCH_SECONDS = 120
    before = timezone.now()
    n = notify(bob, org)
    assert n.mail_state == MailState.PENDING
    assert (
        before + dt.timedelta(seconds=119)
        < n.mail_due_at
        <= timezone.now() + dt.timedelta(seconds=120)
    )


def test_never_and_people_without_mail_are_not_mailed(org, alice, bob, carol):
    choose(bob, assignment=MailMode.NEVER)
    carol.is_active = False
    carol.save()
    alice.email = ""
    alice.save()
    for person in (bob, carol, alice):
        n = notify(person, org)
        assert n.mail_state == MailState.NONE
        assert n.mail_due_at is None


def test_the_channel_sets_many_notifications_in_a_few_queries(
    org, alice, bob, carol, django_assert_max_num_queries
):
    rows = [
        Notification.objects.create(
            recipient=person,
            organization=org,
            kind=Kind.TASK,
            verb="task.updated",
            target_type="task",
            target_id=7,
            target_title="SH-7",
            target_url="/x",
        )
        for person in (alice, bob, carol)
        for _ in range(5)
    ]
    with django_assert_max_num_queries(4):
        channel.deliver(rows)
    assert Notification.objects.filter(mail_state=MailState.PENDING).count() == 15


def test_hourly_digest_is_due_at_the_next_boundary_in_the_recipients_zone():
    # 10:20 in Shanghai, every 4 hours: 12:00 Shanghai.
    now = dt.datetime(2026, 11, 11, 2, 20, tzinfo=dt.UTC)
    due = channel.next_hourly_digest(now, 4, SHANGHAI)
    assert due.astimezone(SHANGHAI) == dt.datetime(2026, 11, 11, 12, 0, tzinfo=SHANGHAI)
    # The same moment is 18:20 of the day before in Los Angeles: next is 20:00 there.
    due = channel.next_hourly_digest(now, 4, LOS_ANGELES)
    assert due.astimezone(LOS_ANGELES) == dt.datetime(2026, 11, 10, 20, 0, tzinfo=LOS_ANGELES)
    # Every 24 hours: next local midnight; exactly on a boundary: the next one.
    assert channel.next_hourly_digest(now, 24, SHANGHAI).astimezone(SHANGHAI) == dt.datetime(
        2026, 11, 12, tzinfo=SHANGHAI
    )
    on = dt.datetime(2026, 11, 11, 12, 0, tzinfo=SHANGHAI)
    assert channel.next_hourly_digest(on, 4, SHANGHAI) == on + dt.timedelta(hours=4)


def test_daily_digest_is_due_at_the_chosen_time_in_the_recipients_zone():
    now = dt.datetime(2026, 11, 11, 2, 20, tzinfo=dt.UTC)  # 10:20 Shanghai, 18:20 LA (10th)
    nine = dt.time(9)
    assert channel.next_daily_digest(now, nine, SHANGHAI) == dt.datetime(
        2026, 11, 12, 9, tzinfo=SHANGHAI
    )
    assert channel.next_daily_digest(now, nine, LOS_ANGELES) == dt.datetime(
        2026, 11, 11, 9, tzinfo=LOS_ANGELES
    )
    # Across a DST change (LA falls back on 2026-11-01): still 09:00 local.
    before_change = dt.datetime(2026, 10, 31, 20, tzinfo=dt.UTC)
    due = channel.next_daily_digest(before_change, nine, LOS_ANGELES)
    assert due.astimezone(LOS_ANGELES).hour == 9
    assert due.astimezone(LOS_ANGELES).date() == dt.date(2026, 11, 1)


def test_schedule_follows_the_persons_modes_and_zone(org, bob):
    bob.timezone = "America/Los_Angeles"
    bob.save()
    prefs = choose(bob, task=MailMode.HOURLY, document=MailMode.DAILY)
    prefs.digest_hours = 6
    prefs.digest_time = dt.time(7, 30)
    prefs.save()
    now = dt.datetime(2026, 11, 11, 2, 20, tzinfo=dt.UTC)  # 18:20 on the 10th in LA
    state, due = channel.schedule(bob, prefs, Kind.TASK, now)
    assert state == MailState.PENDING
    assert due.astimezone(LOS_ANGELES) == dt.datetime(2026, 11, 11, 0, 0, tzinfo=LOS_ANGELES)
    _state, due = channel.schedule(bob, prefs, Kind.DOCUMENT, now)
    assert due.astimezone(LOS_ANGELES) == dt.datetime(2026, 11, 11, 7, 30, tzinfo=LOS_ANGELES)
    # Defaults without a settings row: mentions right away, card changes in the daily digest.
    assert channel.schedule(bob, None, Kind.MENTION, now)[1] == now + channel.batch_window()
    assert channel.schedule(bob, None, Kind.TASK, now)[1].astimezone(LOS_ANGELES).hour == 9


# ---------------------------------------------------------------- sending


def test_immediate_mail_goes_out_in_the_recipients_language(org, alice, bob, smtp, settings):
    settings.SITE_URL = "https://baton.example.com"
    alice.language = "en"
    alice.save()
    bob.language = "zh-hans"
    bob.save()
    notify(alice, org, actor=bob)
    notify(bob, org, actor=alice)
    assert send_due_mail(now=timezone.now())["sent"] == 0  # the batching window is not over
    assert send_due_mail(now=later())["sent"] == 2

    (to_alice,) = smtp.to(alice.email)
    text = text_of(to_alice)
    assert "SH-1 退款处理" in to_alice["Subject"]
    assert "Open: https://baton.example.com/o/alice-shop/t/SH-1" in text.replace(
        org.slug, "alice-shop"
    )
    assert "https://baton.example.com/notifications/settings" in text
    assert 'lang="en"' in html_of(to_alice)
    assert "Bob" in text

    (to_bob,) = smtp.to(bob.email)
    text = text_of(to_bob)
    assert "打开: https://baton.example.com/o/" in text
    assert 'lang="zh-hans"' in html_of(to_bob)
    assert f'href="https://baton.example.com/o/{org.slug}/t/SH-1"' in html_of(to_bob)
    assert Notification.objects.filter(mail_state=MailState.SENT).count() == 2


def test_five_changes_to_one_card_in_the_window_make_one_mail(org, alice, bob, smtp):
    for _ in range(5):
        notify(bob, org, target=1, kind=Kind.MENTION, actor=alice)
    for _ in range(2):
        notify(bob, org, target=2, kind=Kind.MENTION, actor=alice)
    assert send_due_mail(now=later())["sent"] == 2
    mails = smtp.to(bob.email)
    assert len(mails) == 2
    one = next(m for m in mails if "SH-1" in m["Subject"])
    assert "5" in one["Subject"]
    assert text_of(one).count("Alice") == 5
    assert not Notification.objects.exclude(mail_state=MailState.SENT).exists()


def test_a_later_change_joins_the_waiting_mail_of_the_same_card(org, bob, smtp, settings):
    first = notify(bob, org, target=1)
    settings.BATON_MAIL_BATCH_SECONDS = 600  # the second arrives while the first waits
    second = notify(bob, org, target=1)
    assert second.mail_due_at == first.mail_due_at
    assert send_due_mail(now=first.mail_due_at)["sent"] == 1
    assert len(smtp.to(bob.email)) == 1


def test_digest_collects_the_changes_of_several_cards_at_the_digest_time(org, bob, smtp):
    choose(bob, task=MailMode.DAILY)
    for target in (1, 2, 3):
        notify(bob, org, target=target, kind=Kind.TASK, verb="task.updated")
    due = Notification.objects.first().mail_due_at
    assert due.astimezone(SHANGHAI).time() == dt.time(9)
    assert send_due_mail(now=due - dt.timedelta(seconds=1))["sent"] == 0
    assert send_due_mail(now=due)["sent"] == 1
    (digest,) = smtp.to(bob.email)
    body = text_of(digest)
    assert all(f"SH-{t} 退款处理" in body for t in (1, 2, 3))
    assert "3" in digest["Subject"]


def test_changing_settings_to_never_drops_waiting_mail(org, bob, smtp):
    notify(bob, org, kind=Kind.TASK)
    choose(bob, task=MailMode.NEVER)
    assert send_due_mail(now=later(2 * 86400))["sent"] == 0
    assert Notification.objects.get().mail_state == MailState.NONE
    assert smtp.messages == []


def test_smtp_down_retries_with_backoff_then_gives_up(org, alice, bob, smtp_down, caplog):
    n = notify(bob, org)
    now = later()
    with caplog.at_level(logging.WARNING, logger="baton.mail"):
        stats = send_due_mail(now=now)
    assert stats["failed"] == 1
    n.refresh_from_db()
    assert n.mail_state == MailState.PENDING
    assert n.mail_attempts == 1
    assert n.mail_due_at == now + BACKOFF[0]
    assert "Connection" in n.mail_error or "refused" in n.mail_error.lower()
    assert any("mail" in r.getMessage() for r in caplog.records if r.name == "baton.mail")

    for attempt in range(2, MAX_ATTEMPTS + 1):
        now = n.mail_due_at
        send_due_mail(now=now)
        n.refresh_from_db()
        if attempt < MAX_ATTEMPTS:
            assert (n.mail_state, n.mail_attempts) == (MailState.PENDING, attempt)
            assert n.mail_due_at == now + BACKOFF[attempt - 1]
    assert n.mail_state == MailState.FAILED
    assert n.mail_attempts == MAX_ATTEMPTS
    assert send_due_mail(now=later(86400))["failed"] == 0  # never tried again


def test_mail_is_sent_when_the_server_comes_back(org, bob, smtp, settings):
    n = notify(bob, org)
    port = smtp.port
    smtp.controller.stop()
    send_due_mail(now=later())
    n.refresh_from_db()
    assert n.mail_attempts == 1
    from aiosmtpd.controller import Controller

    smtp.controller = Controller(smtp, hostname="127.0.0.1", port=port)
    smtp.controller.start()
    assert send_due_mail(now=n.mail_due_at)["sent"] == 1
    n.refresh_from_db()
    assert (n.mail_state, n.mail_error) == (MailState.SENT, "")
    assert len(smtp.to(bob.email)) == 1


def test_rows_of_a_worker_that_stopped_beating_are_queued_again(org, bob, smtp):
    n = notify(bob, org)
    ids = claim(later(), claimer="gone-1")
    assert ids == [n.pk]
    assert send_due_mail(now=later())["sent"] == 0  # its claimer beat a moment ago: still its
    Notification.objects.filter(pk=n.pk).update(
        mail_due_at=timezone.now() - CLAIM_TIMEOUT - dt.timedelta(seconds=1)
    )
    assert send_due_mail(now=later())["sent"] == 1
    assert len(smtp.to(bob.email)) == 1
    n.refresh_from_db()
    assert (n.mail_state, n.mail_claimed_by) == (MailState.SENT, "")


def test_each_mail_is_marked_sent_as_soon_as_it_is_sent(org, alice, bob, carol, smtp, monkeypatch):
    from django.core.mail.backends.smtp import EmailBackend

    for person in (alice, bob, carol):
        notify(person, org, kind=Kind.MENTION)
    sent_before_each = []
    real_send = EmailBackend.send_messages

    def send_and_look(self, messages):
        sent_before_each.append(Notification.objects.filter(mail_state=MailState.SENT).count())
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send_and_look)
    assert send_due_mail(now=later())["sent"] == 3
    assert sent_before_each == [0, 1, 2]


def test_a_claim_takes_the_mail_of_a_few_people_whole(org, alice, bob, carol, smtp):
    for target in range(1, 4):
        for person in (alice, bob, carol):
            notify(person, org, target=target, kind=Kind.MENTION)
    ids = claim(later(), limit=2, claimer="w-1")
    claimed = Notification.objects.filter(pk__in=ids)
    assert len(ids) == 6
    assert len({n.recipient_id for n in claimed}) == 2
    assert {n.mail_claimed_by for n in claimed} == {"w-1"}
    assert Notification.objects.filter(mail_state=MailState.PENDING).count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_slow_worker_keeps_its_claim_while_it_beats(org, bob, monkeypatch):
    import time

    from baton.notifications import mail

    n = notify(bob, org)
    claim(later(), claimer="slow-1")
    stale = timezone.now() - CLAIM_TIMEOUT - dt.timedelta(seconds=1)
    Notification.objects.filter(pk=n.pk).update(mail_due_at=stale)
    monkeypatch.setattr(mail, "HEARTBEAT_EVERY", dt.timedelta(seconds=0.05))
    with mail.heartbeat("slow-1"):  # as while a mail server takes its time
        deadline = time.monotonic() + 30
        while Notification.objects.get(pk=n.pk).mail_due_at == stale:
            assert time.monotonic() < deadline, "no heartbeat in 30 s"
            time.sleep(0.05)
    assert mail.release_stuck() == 0
    n.refresh_from_db()
    assert (n.mail_state, n.mail_claimed_by) == (MailState.SENDING, "slow-1")
    Notification.objects.filter(pk=n.pk).update(mail_due_at=stale)  # then it stops beating
    assert mail.release_stuck() == 1


# ---------------------------------------------------------------- the admin page


def test_managers_see_failed_mail_of_their_organization(
    org, other_org, alice, bob, mallory, smtp_down, english
):
    n = notify(bob, org)
    Notification.objects.filter(pk=n.pk).update(
        mail_state=MailState.FAILED, mail_attempts=MAX_ATTEMPTS, mail_error="SMTP down here"
    )
    notify(bob, org, target=2)
    response = english(alice).get(f"/o/{org.slug}/settings/mail")
    assert response.status_code == 200
    html = response.content.decode()
    assert "SMTP down here" in html
    assert bob.email in html
    assert 'id="mail-failed">1<' in html
    assert 'id="mail-pending">1<' in html
    assert english(bob).get(f"/o/{org.slug}/settings/mail").status_code == 403
    assert english(mallory).get(f"/o/{org.slug}/settings/mail").status_code == 404
    mallory_page = english(mallory).get(f"/o/{other_org.slug}/settings/mail")
    assert "SMTP down here" not in mallory_page.content.decode()


def test_the_organization_settings_link_to_the_mail_page(org, alice, english):
    html = english(alice).get(f"/o/{org.slug}/settings").content.decode()
    assert f"/o/{org.slug}/settings/mail" in html


# ---------------------------------------------------------------- two workers


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_send_a_mail_twice(org, alice, bob, carol, smtp):
    import threading

    from django.db import connection

    people = [alice, bob, carol]
    for person in people:
        for target in range(1, 6):
            notify(person, org, target=target, kind=Kind.MENTION)
    now = later()
    results = []
    barrier = threading.Barrier(2)

    def worker():
        try:
            barrier.wait()
            results.append(send_due_mail(now=now))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sum(r["sent"] for r in results) == 15
    assert len(smtp.messages) == 15
    subjects = [(m["To"], m["Subject"]) for m in smtp.messages]
    assert len(set(subjects)) == 15
    assert Notification.objects.filter(mail_state=MailState.SENT).count() == 15


# ---------------------------------------------------------------- end to end


def test_a_card_assigned_through_the_service_is_mailed_by_the_worker_jobs(
    project, lists, alice, bob, smtp, run_jobs
):
    from baton.projects.services import create_task, update_task

    bob.language = "en"
    bob.save()
    task = create_task(actor=alice, project=project, task_list=lists[0], title="补发赠品")
    update_task(actor=alice, task=task, assignee=bob)
    assert run_jobs() >= 1  # the fan-out
    notes = Notification.objects.filter(recipient=bob, kind=Kind.ASSIGNMENT)
    assert notes and all(n.mail_state == MailState.PENDING for n in notes)
    assert send_due_mail(now=later())["sent"] == 1  # however many changes: one mail per card
    (mail,) = smtp.to(bob.email)
    assert "补发赠品" in mail["Subject"]
    assert task.reference in text_of(mail)
    assert not smtp.to(alice.email)  # the actor is not told
