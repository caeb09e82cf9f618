"""`homeward serve`: run Homeward under gunicorn, the production WSGI server."""

import os
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Homeward with gunicorn (static files by WhiteNoise; run collectstatic first)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind", default="127.0.0.1:8000", help="address:port (default 127.0.0.1:8000)"
        )
        parser.add_argument("--workers", type=int, default=3)

    def handle(self, *args, bind, workers, **options):
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "homeward.config.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(workers),
            # No gunicorn access log: it would write query strings (searches carry names).
            # Homeward logs each request itself as one JSON line (homeward.core.logging).
        ]
        self.stdout.write(f"Homeward on http://{bind}/  (Ctrl+C stops it)")
        sys.stdout.flush()
        os.execv(sys.executable, argv)  # noqa: S606  (replaces this process with gunicorn)
