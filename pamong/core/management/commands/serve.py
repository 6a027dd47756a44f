import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Pamong on http://127.0.0.1:PORT (the development server, static files included)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--no-worker", action="store_true", help="do not start the background-job worker")

    def handle(self, *args, port: int, host: str, no_worker: bool, **options):
        base = f"http://{host}:{port}"
        self.stdout.write(
            "\n".join(
                [
                    f"Pamong: {base}/",
                    f"  Katalog layanan:  {base}/layanan/",
                    f"  API:              {base}/api/v1/services",
                    f"  OpenAPI:          {base}/api/openapi.json   docs: {base}/api/docs",
                    f"  Admin:            {base}/admin/",
                    f"  Database:         {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}",
                    "",
                ]
            )
        )
        # The worker runs deadlines, notifications and tree heads (Huey; SQLite by default, Redis in production).
        worker = (
            None
            if no_worker
            else subprocess.Popen([sys.executable, "-m", "pamong.cli", "run_huey", "-w", "1"])
        )
        try:
            call_command("runserver", f"{host}:{port}", use_reloader=False, insecure_serving=True)
        finally:
            if worker:
                worker.terminate()
