"""Running background jobs: a dbtasks Runner made safe for several workers on one database.

`baton worker` runs one in the foreground; `baton serve` runs one in a thread of its main process
(uvicorn's supervisor) unless told not to (BATON_SERVE_WORKER=0 or --no-worker). Any number of
workers may share one database: dbtasks hands each ready task to one of them (SELECT ... FOR
UPDATE in a transaction), and the jobs themselves are written to run concurrently.

What this adds to dbtasks' Runner:
- a unique worker id (host name and process id): dbtasks refuses to start a second live worker
  with the same id, and a fixed id would make two workers on one host fight;
- periodic schedules that do not multiply: every runner start replaces the waiting periodic rows
  with its own (dbtasks' init_periodic), but a periodic job that was running meanwhile schedules
  its next run on completion too, so after each run the extra waiting rows of that job are removed;
- recovery from a worker that died (killed, machine lost): its tasks stay RUNNING with its id, and
  dbtasks only resets them when a worker of the same id starts again, which never happens with
  per-process ids; `recover_dead_workers()` (the housekeeping job) puts them back in the queue,
  and every runner checks each periodic job still has a next run (`schedule_missing_periodic`);
- a quiet console: one line per failed job (dbtasks and django.tasks log every job's states,
  which settings.LOGGING silences).
"""

import datetime as dt
import logging
import os
import platform
import signal
import threading
import time

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.tasks import TaskResultStatus, task_backends
from django.utils import timezone

logger = logging.getLogger("baton.worker")

LOOP_DELAY = 0.3  # seconds between polls when the queue is empty: fan-out feels immediate
PERIODIC_CHECK = 15  # seconds between checks that every periodic job has a next run waiting


def worker_id() -> str:
    return f"{platform.node() or 'baton'}-{os.getpid()}"


def make_runner(*, threads: int | None = None, periodic: bool = True, loop_delay=LOOP_DELAY):
    from dbtasks.runner import Runner

    class BatonRunner(Runner):
        periodic_checked = 0.0

        def schedule_tasks(self):
            if self.should_init_periodic and time.monotonic() >= self.periodic_checked:
                self.periodic_checked = time.monotonic() + PERIODIC_CHECK
                schedule_missing_periodic(self)
            return super().schedule_tasks()

        def task_done(self, task, fut):
            super().task_done(task, fut)
            if task.status == TaskResultStatus.FAILED:
                log_failure(task)
            if task.periodic:
                try:
                    with connection.temporary_connection():
                        dedupe_periodic(task.task_path)
                except Exception:
                    logger.exception("could not tidy the schedule of %s", task.task_path)

    return BatonRunner(
        workers=threads or settings.BATON_WORKER_THREADS,
        worker_id=worker_id(),
        loop_delay=loop_delay,
        init_periodic=periodic,
    )


def log_failure(task) -> None:
    """One line for a failed job: what and why (its traceback stays on its row)."""
    lines = (task.traceback or "").strip().splitlines()
    logger.error("job %s failed: %s", task.task_path, lines[-1] if lines else task.exception_path)


def schedule_missing_periodic(runner) -> int:
    """Give each periodic job that is neither waiting nor running on a live worker its next run.
    A periodic job schedules its next run when it ends, so the run of a worker that died would
    otherwise end the schedule until the housekeeping job requeues it (minutes later): mail would
    stop meanwhile."""
    from dbtasks.models import ScheduledTask

    alive = timezone.now() - dt.timedelta(seconds=runner.backend.worker_timeout)
    scheduled = set(
        ScheduledTask.objects.filter(periodic=True, backend=runner.backend.alias)
        .filter(
            Q(status=TaskResultStatus.READY)
            | Q(status=TaskResultStatus.RUNNING, worker__last_seen__gte=alive)
        )
        .values_list("task_path", flat=True)
    )
    missing = [path for path in runner.periodic if path not in scheduled]
    for path in missing:
        schedule = runner.periodic[path]
        ScheduledTask.objects.create(
            task_path=path,
            args=schedule.args,
            kwargs=schedule.kwargs,
            backend=runner.backend.alias,
            run_after=timezone.make_aware(schedule.next()),
            periodic=True,
        )
    if missing:
        logger.warning(
            "scheduled again the periodic jobs of a stopped worker: %s", ", ".join(missing)
        )
    return len(missing)


def dedupe_periodic(task_path: str) -> int:
    """Keep the earliest waiting run of a periodic job, delete any other (see the module doc)."""
    from dbtasks.models import ScheduledTask

    waiting = ScheduledTask.objects.filter(
        task_path=task_path, periodic=True, status=TaskResultStatus.READY
    ).order_by("run_after", "enqueued_at", "id")
    keep = waiting.values_list("id", flat=True).first()
    if keep is None:
        return 0
    return waiting.exclude(id=keep).delete()[0]


def recover_dead_workers() -> int:
    """Tasks left RUNNING by workers silent for twice the backend's timeout go back to READY."""
    from dbtasks.models import ScheduledTask, Worker

    backend = task_backends["default"]
    cutoff = timezone.now() - dt.timedelta(seconds=2 * backend.worker_timeout)
    dead = list(Worker.objects.filter(last_seen__lt=cutoff).values_list("id", flat=True))
    if not dead:
        return 0
    recovered = ScheduledTask.objects.filter(
        status=TaskResultStatus.RUNNING, worker_id__in=dead
    ).update(status=TaskResultStatus.READY, started_at=None, worker=None)
    Worker.objects.filter(id__in=dead, last_seen__lt=cutoff).delete()
    if recovered:
        logger.warning("requeued %d tasks of stopped workers %s", recovered, ", ".join(dead))
    return recovered


def should_run_in_server(*, no_worker: bool = False, environ=None) -> bool:
    """Whether `baton serve` starts a worker: yes, unless --no-worker or BATON_SERVE_WORKER=0."""
    if no_worker:
        return False
    environ = os.environ if environ is None else environ
    value = environ.get("BATON_SERVE_WORKER")
    if value is None:
        return bool(getattr(settings, "BATON_SERVE_WORKER", True))
    return value.strip().lower() not in {"0", "false", "no", "off"}


def start_in_thread(**kwargs):
    """A runner in a daemon thread (for `baton serve`); returns it, `stop_thread` ends it."""
    runner = make_runner(**kwargs)
    thread = threading.Thread(target=_run_logged, args=(runner,), name="baton-worker", daemon=True)
    thread.start()
    return runner


def _run_logged(runner) -> None:
    try:
        runner.run()
    except Exception:
        logger.exception("the background worker stopped")
        runner.finished.set()


def stop_thread(runner, timeout: float = 10.0) -> None:
    runner.stop()
    runner.finished.wait(timeout)


def run_until_signal(runner, on_start=None) -> None:
    """Run in the foreground until SIGTERM or Ctrl+C, then finish the running tasks and stop.
    `on_start` is called once the signals are handled (to announce the worker)."""

    def stop(signum, frame):
        logger.info("signal %s: stopping the worker", signum)
        runner.stop()
        # Runner.run() clears the stop sign as it starts: a signal that came earlier is given
        # again once it is ready.
        threading.Thread(target=_stop_when_ready, args=(runner,), daemon=True).start()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        if on_start is not None:
            on_start()
        runner.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _stop_when_ready(runner) -> None:
    if runner.ready.wait(60):
        runner.stop()
