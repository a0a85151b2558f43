import uvicorn
from django.conf import settings
from django.core.management.base import BaseCommand


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

    def handle(self, *args, host: str, port: int, log_level: str, workers: int, **options):
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        self.stdout.write(self.style.SUCCESS(f"Baton is running at http://{shown}:{port}/"))
        self.stdout.write(
            f"Data directory: {settings.DATA_DIR}. {workers} processes. Press Ctrl+C to stop."
        )
        uvicorn.run(
            "baton.asgi:application",
            host=host,
            port=port,
            workers=workers,
            log_level=log_level,
            lifespan="off",
            access_log=log_level in ("info", "debug"),
        )
