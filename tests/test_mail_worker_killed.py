"""A `baton worker` killed (kill -9) in the middle of sending mail through a slow SMTP server:
a second worker takes over, every mail arrives exactly once, and all within two minutes.

The worker runs as a real process on the test database (SQLite or PostgreSQL); the SMTP server
(aiosmtpd) runs in this process and takes its time over each message.
"""

import asyncio
import email
import email.policy
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from test_two_servers import database_url, free_port

from baton.accounts.models import User
from baton.notifications.models import Kind, MailState, Notification

CHECKOUT = Path(__file__).resolve().parent.parent
PEOPLE = 60
KILL_AFTER = 15  # mails accepted before the worker is killed, in the middle of the 16th
DEADLINE = 120  # seconds: every mail is out within two minutes of being due

pytestmark = pytest.mark.django_db(transaction=True)


class SlowServer:
    """An SMTP handler that takes `delay` seconds over each message, and holds message number
    `hold_at + 1` until the test has killed the worker that sends it: that message was never
    accepted (no 250 reached the worker), so it must come again from the second worker."""

    def __init__(self, *, delay: float, hold_at: int) -> None:
        self.delay = delay
        self.hold_at = hold_at
        self.subjects: list[str] = []
        self.lock = threading.Lock()
        self.holding = threading.Event()
        self.released = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay)
        with self.lock:
            hold = len(self.subjects) == self.hold_at and not self.released.is_set()
        if hold:
            self.holding.set()
            while not self.released.is_set():
                await asyncio.sleep(0.02)
            return "451 Try again later"
        message = email.message_from_bytes(
            envelope.original_content or envelope.content, policy=email.policy.default
        )
        with self.lock:
            self.subjects.append(message["Subject"])
        return "250 OK"

    def count(self) -> int:
        with self.lock:
            return len(self.subjects)


class Worker:
    """`baton worker` in a subprocess, its output in a file."""

    def __init__(self, env: dict, log: Path) -> None:
        self.log_path = log
        self.log = log.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "baton.cli", "worker"],
            cwd=CHECKOUT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def output(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")[-3000:]

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(30)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.log.close()


def wait_until(condition, deadline: float, what: str, workers) -> None:
    while not condition():
        if time.monotonic() > deadline:
            logs = "\n".join(w.output() for w in workers)
            raise AssertionError(f"{what} did not happen in time; worker output:\n{logs}")
        time.sleep(0.1)


@pytest.fixture
def smtp_slow():
    from aiosmtpd.controller import Controller

    handler = SlowServer(delay=0.3, hold_at=KILL_AFTER)
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.port = port
    yield handler
    handler.released.set()
    controller.stop()


def queue_mails(org) -> None:
    """One due mention for each of PEOPLE people: PEOPLE mails, each with its own subject."""
    people = User.objects.bulk_create(
        # "!": no password (nobody logs in), and no costly hashing.
        User(email=f"kunde{i}@example.com", name=f"客户{i}", password="!")
        for i in range(PEOPLE)
    )
    due = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            recipient=person,
            organization=org,
            kind=Kind.MENTION,
            verb="task.mentioned",
            target_type="task",
            target_id=i,
            target_title=f"SH-{i} 退款",
            target_url=f"/o/{org.slug}/t/SH-{i}",
            mail_state=MailState.PENDING,
            mail_due_at=due,
        )
        for i, person in enumerate(people)
    )


def test_a_worker_killed_while_sending_mail_sends_nothing_twice_and_nothing_is_lost(
    org, smtp_slow, tmp_path
):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DATABASE_URL=database_url(),
        BATON_DATA_DIR=str(settings.DATA_DIR),
        BATON_SECRET_KEY=settings.SECRET_KEY,
        BATON_EMAIL_HOST="127.0.0.1",
        BATON_EMAIL_PORT=str(smtp_slow.port),
        BATON_LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="baton.settings",
        PYTHONPATH=str(CHECKOUT),
    )
    queue_mails(org)
    start = time.monotonic()
    deadline = start + DEADLINE
    first = Worker(env, tmp_path / "worker-1.log")
    workers = [first]
    try:
        wait_until(smtp_slow.holding.is_set, deadline, "the first mails", workers)
        first.kill()  # while the server still holds a message it has not accepted
        smtp_slow.released.set()
        assert smtp_slow.count() == KILL_AFTER
        assert Notification.objects.filter(mail_state=MailState.SENT).count() == KILL_AFTER
        assert Notification.objects.filter(mail_state=MailState.SENDING).exists()

        workers.append(Worker(env, tmp_path / "worker-2.log"))
        wait_until(lambda: smtp_slow.count() >= PEOPLE, deadline, "every mail", workers)
        took = time.monotonic() - start
        wait_until(
            lambda: Notification.objects.filter(mail_state=MailState.SENT).count() == PEOPLE,
            time.monotonic() + 60,
            "every row marked sent",
            workers,
        )
    finally:
        for worker in workers:
            worker.stop()
    assert took <= DEADLINE
    assert sorted(smtp_slow.subjects) == sorted(set(smtp_slow.subjects))  # none twice
    assert len(smtp_slow.subjects) == PEOPLE
    assert Notification.objects.exclude(mail_state=MailState.SENT).count() == 0
