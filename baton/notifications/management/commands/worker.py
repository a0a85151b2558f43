from django.conf import settings
from django.core.management.base import BaseCommand

from baton.core.worker import LOOP_DELAY, make_runner, run_until_signal


class Command(BaseCommand):
    help = "Run background jobs (notifications, mail, reminders) until SIGTERM or Ctrl+C."

    def add_arguments(self, parser):
        parser.add_argument(
            "--threads",
            type=int,
            default=settings.BATON_WORKER_THREADS,
            help="jobs run at once (default: BATON_WORKER_THREADS, 3)",
        )
        parser.add_argument(
            "--no-periodic",
            action="store_false",
            dest="periodic",
            help="do not (re)schedule the periodic jobs on start",
        )
        parser.add_argument("--delay", type=float, default=LOOP_DELAY, help="poll interval, s")

    def handle(self, *args, threads: int, periodic: bool, delay: float, **options):
        runner = make_runner(threads=threads, periodic=periodic, loop_delay=delay)

        def announce():
            self.stdout.write(
                f"Baton worker {runner.worker_id}: {threads} threads. Press Ctrl+C to stop."
            )
            self.stdout.flush()

        run_until_signal(runner, on_start=announce)
        self.stdout.write(f"Worker {runner.worker_id} stopped after {runner.processed} jobs.")
