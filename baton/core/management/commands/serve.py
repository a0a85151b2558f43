import os

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
            help="server processes (default: BATON_WORKERS, else one per CPU core, 2 to 8)",
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
        address = site_address(host, port)
        if not os.environ.get("BATON_SITE_URL"):
            # Links built without a request (the worker's mails) point where this server is; the
            # web processes, spawned children, read it from the environment.
            os.environ["BATON_SITE_URL"] = settings.SITE_URL = address
        self.stdout.write(self.style.SUCCESS(f"Baton is running at {address}/"))
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


def site_address(host: str, port: int) -> str:
    """The address a browser on this machine uses for a server listening on `host`:`port`."""
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"
