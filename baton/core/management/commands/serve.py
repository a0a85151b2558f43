import uvicorn
from django.conf import settings
from django.core.management.base import BaseCommand

from baton.core import worker


class Command(BaseCommand):
    help = "Serve Baton over HTTP with uvicorn (ASGI)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--log-level", default="warning")
        parser.add_argument(
            "--workers",
            type=int,
            default=settings.BATON_WORKERS,
            help="server processes (default: BATON_WORKERS, else twice the CPU cores, at most 8)",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not run background jobs in this process (also BATON_SERVE_WORKER=0); "
            "run `baton worker` instead",
        )

    def handle(
        self, *args, host: str, port: int, log_level: str, workers: int, no_worker=False, **options
    ):
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        self.stdout.write(self.style.SUCCESS(f"Baton is running at http://{shown}:{port}/"))
        self.stdout.write(
            f"Data directory: {settings.DATA_DIR}. {workers} processes. Press Ctrl+C to stop."
        )
        # Background jobs run in a thread of this, the supervising, process (the web processes
        # are spawned children and do not inherit it).
        runner = None
        if worker.should_run_in_server(no_worker=no_worker):
            runner = worker.start_in_thread()
        try:
            uvicorn.run(
                "baton.asgi:application",
                host=host,
                port=port,
                workers=workers,
                log_level=log_level,
                lifespan="off",
                access_log=log_level in ("info", "debug"),
            )
        finally:
            if runner is not None:
                worker.stop_thread(runner)
