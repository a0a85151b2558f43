"""Fixtures of the notification tests: running queued jobs, a real SMTP server, fixed clocks."""

import contextlib
import email
import email.policy
import socket

import pytest


@pytest.fixture
def run_jobs(db):
    """run_jobs() runs every ready, non-periodic dbtasks job now, in this thread (jobs a job
    enqueues too), and returns how many ran; a job that failed fails the test."""
    from dbtasks.models import ScheduledTask
    from django.db.models import Q
    from django.tasks import TaskResultStatus
    from django.utils import timezone

    def run(*, task_path: str | None = None) -> int:
        done = 0
        for _round in range(20):
            ready = ScheduledTask.objects.filter(
                Q(run_after__isnull=True) | Q(run_after__lte=timezone.now()),
                status=TaskResultStatus.READY,
                periodic=False,
            ).order_by("-priority", "enqueued_at")
            if task_path:
                ready = ready.filter(task_path=task_path)
            jobs = list(ready)
            if not jobs:
                break
            for job in jobs:
                job.status = TaskResultStatus.RUNNING
                job.started_at = timezone.now()
                job.save(update_fields=["status", "started_at"])
                if job.run_and_update() != TaskResultStatus.SUCCESSFUL:
                    raise AssertionError(f"job {job.task_path} failed:\n{job.traceback}")
                done += 1
        return done

    return run


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """What the test SMTP server received, parsed."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"

    @property
    def messages(self):
        return [
            email.message_from_bytes(e.original_content or e.content, policy=email.policy.default)
            for e in self.envelopes
        ]

    def to(self, address: str):
        return [m for m in self.messages if address in m["To"]]


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


@pytest.fixture
def smtp(settings):
    """A real SMTP server on a loopback port, and settings.MAILERS pointing at it."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    inbox.controller = controller
    inbox.port = port
    yield inbox
    with contextlib.suppress(AssertionError):  # stopped by the test
        controller.stop()


@pytest.fixture
def smtp_down(settings):
    """settings.MAILERS pointing at a loopback port nobody listens on."""
    port = free_port()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
        }
    }
    return port
