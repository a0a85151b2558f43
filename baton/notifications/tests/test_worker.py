"""The background worker: `baton worker`, the worker inside `baton serve`, the runner itself."""

import datetime as dt
import logging
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus, task
from django.utils import timezone

from baton.core import worker

CHECKOUT = Path(__file__).resolve().parents[3]


def test_serve_runs_a_worker_unless_told_not_to():
    assert worker.should_run_in_server(environ={}) is True
    assert worker.should_run_in_server(no_worker=True, environ={}) is False
    assert worker.should_run_in_server(environ={"BATON_SERVE_WORKER": "0"}) is False
    assert worker.should_run_in_server(environ={"BATON_SERVE_WORKER": "false"}) is False
    assert worker.should_run_in_server(environ={"BATON_SERVE_WORKER": "1"}) is True


@pytest.mark.parametrize("flag, started", [(True, False), (False, True)])
def test_serve_no_worker_flag(monkeypatch, flag, started):
    import uvicorn

    calls = []
    monkeypatch.delenv("BATON_SERVE_WORKER", raising=False)
    monkeypatch.setenv("BATON_SITE_URL", "http://127.0.0.1:8000")  # serve leaves it as it is
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: calls.append("uvicorn"))
    monkeypatch.setattr(worker, "start_in_thread", lambda **k: calls.append("worker") or "runner")
    monkeypatch.setattr(worker, "stop_thread", lambda runner: calls.append(f"stop {runner}"))
    call_command("serve", no_worker=flag, workers=1)
    expected = ["worker", "uvicorn", "stop runner"] if started else ["uvicorn"]
    assert calls == expected


def test_worker_ids_are_unique_per_process():
    assert worker.worker_id().endswith(f"-{os.getpid()}")


def test_the_periodic_jobs_are_scheduled(settings):
    periodic = settings.TASKS["default"]["OPTIONS"]["periodic"]
    assert set(periodic) == {
        "baton.notifications.tasks.send_mail",
        "baton.notifications.tasks.send_reminders",
        "baton.notifications.tasks.housekeeping",
    }


@pytest.mark.django_db(transaction=True)
def test_a_runner_runs_jobs_and_schedules_the_periodic_ones():
    from dbtasks.models import ScheduledTask

    from baton.notifications.tasks import housekeeping

    runner = worker.make_runner(threads=2, loop_delay=0.05)
    thread = threading.Thread(target=runner.run)
    thread.start()
    try:
        assert runner.ready.wait(10)
        waiting = ScheduledTask.objects.filter(periodic=True, status=TaskResultStatus.READY)
        assert waiting.count() == 3
        result = housekeeping.enqueue()
        assert runner.wait_for(result, timeout=10)
        assert result.status == TaskResultStatus.SUCCESSFUL
        assert set(result.return_value) == {"live_events", "recovered", "reminders"}
    finally:
        runner.stop()
        assert runner.finished.wait(10)
        thread.join(10)


@pytest.mark.django_db
def test_duplicate_periodic_runs_are_removed():
    from dbtasks.models import ScheduledTask

    now = timezone.now()
    for seconds in (30, 10, 20):
        ScheduledTask.objects.create(
            task_path="baton.notifications.tasks.send_mail",
            periodic=True,
            run_after=now + dt.timedelta(seconds=seconds),
        )
    assert worker.dedupe_periodic("baton.notifications.tasks.send_mail") == 2
    (left,) = ScheduledTask.objects.all()
    assert left.run_after == now + dt.timedelta(seconds=10)


@pytest.mark.django_db
def test_jobs_of_a_dead_worker_are_requeued():
    from dbtasks.models import ScheduledTask, Worker

    dead = Worker.objects.create(id="gone-1", last_seen=timezone.now() - dt.timedelta(hours=1))
    alive = Worker.objects.create(id="here-2")
    lost = ScheduledTask.objects.create(
        task_path="baton.notifications.tasks.send_mail", status="RUNNING", worker=dead
    )
    busy = ScheduledTask.objects.create(
        task_path="baton.notifications.tasks.send_mail", status="RUNNING", worker=alive
    )
    assert worker.recover_dead_workers() == 1
    lost.refresh_from_db()
    busy.refresh_from_db()
    assert (lost.status, lost.worker_id) == ("READY", None)
    assert busy.status == "RUNNING"
    assert not Worker.objects.filter(id="gone-1").exists()


def test_baton_worker_starts_and_stops_on_sigterm(tmp_path):
    env = {**os.environ, "BATON_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    manage = [sys.executable, "-m", "baton.cli"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=CHECKOUT, env=env, check=True, timeout=120)
    process = subprocess.Popen(
        [*manage, "worker", "--threads", "1"],
        cwd=CHECKOUT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        first = process.stdout.readline()
        assert "Press Ctrl+C to stop" in first
        process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0
    assert "stopped" in out


@pytest.mark.django_db
def test_a_periodic_job_whose_run_died_with_its_worker_is_scheduled_again():
    from dbtasks.models import ScheduledTask, Worker

    runner = worker.make_runner(threads=1)
    dead = Worker.objects.create(id="gone-1", last_seen=timezone.now() - dt.timedelta(hours=1))
    alive = Worker.objects.create(id="here-2")
    # The mail job was running on a worker that died: nothing would schedule its next run.
    ScheduledTask.objects.create(
        task_path="baton.notifications.tasks.send_mail",
        periodic=True,
        status="RUNNING",
        worker=dead,
    )
    # The reminders are running on a live worker, which schedules their next run when done.
    ScheduledTask.objects.create(
        task_path="baton.notifications.tasks.send_reminders",
        periodic=True,
        status="RUNNING",
        worker=alive,
    )
    ScheduledTask.objects.create(task_path="baton.notifications.tasks.housekeeping", periodic=True)
    assert worker.schedule_missing_periodic(runner) == 1
    waiting = ScheduledTask.objects.filter(periodic=True, status=TaskResultStatus.READY)
    assert sorted(waiting.values_list("task_path", flat=True)) == [
        "baton.notifications.tasks.housekeeping",
        "baton.notifications.tasks.send_mail",
    ]
    assert worker.schedule_missing_periodic(runner) == 0


@task
def broken_job() -> None:
    raise RuntimeError("the mail server said no")


@pytest.mark.django_db(transaction=True)
def test_the_worker_logs_one_line_per_failed_job_and_none_per_job_state(caplog):
    from baton.notifications.tasks import housekeeping

    runner = worker.make_runner(threads=1, periodic=False, loop_delay=0.05)
    thread = threading.Thread(target=runner.run)
    with caplog.at_level(logging.INFO):
        thread.start()
        try:
            assert runner.ready.wait(10)
            for job in (housekeeping, broken_job):
                result = job.enqueue()
                assert runner.wait_for(result, timeout=30)
        finally:
            runner.stop()
            assert runner.finished.wait(10)
            thread.join(10)
    job_lines = [r for r in caplog.records if r.name.startswith(("dbtasks", "django.tasks"))]
    assert job_lines == []
    (failure,) = [r for r in caplog.records if r.name == "baton.worker"]
    assert failure.levelno == logging.ERROR
    assert failure.getMessage() == (
        "job baton.notifications.tests.test_worker.broken_job failed: "
        "RuntimeError: the mail server said no"
    )
