"""`pamong serve`: the production server (gunicorn) and, beside it, the background-job worker; `--dev` for
Django's autoreloading development server instead.

This process only supervises: it starts its children, passes SIGHUP (graceful restart) on to gunicorn, and when
one child ends or it is told to stop, it stops the others and waits for them. Each child is also told by the
kernel to stop if this process dies without cleaning up (kill -9, os._exit): no worker outlives its server.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

PR_SET_PDEATHSIG = 1


STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT, signal.SIGHUP}


def die_with_parent() -> None:
    """Linux: SIGTERM this process when the process that started it dies, however it dies. Children started
    with PAMONG_DIE_WITH_PARENT set call this from pamong.cli (the development server's reloaded child too)."""
    with contextlib.suppress(OSError, AttributeError):  # not Linux: the supervisor's own cleanup remains
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def spawn(argv: list[str]) -> subprocess.Popen:
    env = {**os.environ, "PAMONG_DIE_WITH_PARENT": "1"}
    return subprocess.Popen(argv, env=env, preexec_fn=die_with_parent)  # noqa: S603 (argv is ours)


def port_taken(host: str, port: int) -> bool:
    probe = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        probe.bind((host, port))
    except OSError:
        return True
    finally:
        probe.close()
    return False


class Command(BaseCommand):
    help = (
        "Serve Pamong: gunicorn (workers sized to the machine, request timeouts, access log) and the "
        "background-job worker beside it; --dev: Django's autoreloading development server."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--no-worker", action="store_true", help="do not start the background-job worker")
        parser.add_argument("--dev", action="store_true", help="Django's development server, reloading code")
        parser.add_argument(
            "--workers",
            type=int,
            default=settings.PAMONG_WEB_WORKERS,
            help="gunicorn worker processes (default PAMONG_WEB_WORKERS, else 2 x cores + 1, at most 8)",
        )
        parser.add_argument(
            "--no-collectstatic", action="store_true", help="serve static files as collected before"
        )

    def handle(self, *args, port: int, host: str, no_worker: bool, dev: bool, workers: int, **options):
        if port_taken(host, port):
            raise CommandError(f"{host}:{port} is already in use: stop what is serving there or pick --port")
        if not dev and not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(self.banner(host, port, dev, workers))
        python = sys.executable
        if dev:
            server = [python, "-m", "pamong.cli", "runserver", f"{host}:{port}"]
        else:
            server = [
                python,
                "-m",
                "gunicorn",
                "--config",
                "python:pamong.gunicorn_conf",
                "--bind",
                f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
                "--workers",
                str(workers),
            ]
        self.stdout.flush()
        children: dict[str, subprocess.Popen] = {}
        received: list[int] = []
        # Recorded here, acted on by the loop below (Python runs handlers in the main thread, whichever thread
        # the kernel delivered the signal to); exec gives each child the default handlers back.
        for stop_signal in STOP_SIGNALS:
            signal.signal(stop_signal, lambda signum, _frame: received.append(signum))
        try:
            if (
                not no_worker
            ):  # deadlines, notifications, tree heads (Huey; SQLite by default, Redis in production)
                children["worker"] = spawn([python, "-m", "pamong.cli", "worker"])
            children["server"] = spawn(server)
            self.stdout.write(
                "  Processes:        "
                + ", ".join(f"{name} pid {child.pid}" for name, child in children.items())
                + f" (this supervisor: pid {os.getpid()})\n"
            )
            self.stdout.flush()
            code = self.supervise(children, received)
        finally:
            self.stop(children)
        if code:
            sys.exit(code)

    def supervise(self, children: dict[str, subprocess.Popen], received: list[int]) -> int:
        """Until a child ends (its exit code) or a stop signal arrives (0); SIGHUP goes to the server."""
        while True:
            for name, child in children.items():
                code = child.poll()
                if code is not None:
                    if name == "server" or code != 0:
                        self.stderr.write(f"pamong serve: the {name} ended with exit code {code}; stopping.")
                    return code if code > 0 else 1
            while received:
                if received.pop(0) != signal.SIGHUP:
                    return 0
                children["server"].send_signal(signal.SIGHUP)
            time.sleep(0.2)

    @staticmethod
    def stop(children: dict[str, subprocess.Popen], grace: float = 35.0) -> None:
        for child in children.values():
            if child.poll() is None:
                child.terminate()  # gunicorn: graceful stop; Huey: finish the running task, then exit
        deadline = time.monotonic() + grace
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()

    @staticmethod
    def banner(host: str, port: int, dev: bool, workers: int) -> str:
        base = f"http://{host}:{port}"
        database = settings.DATABASES["default"]
        engine = database["ENGINE"].rsplit(".", 1)[-1]
        if dev:
            server = "Django development server (reloads code; not for production)"
            bound = ""
        else:
            threads = settings.PAMONG_WEB_THREADS
            server = f"gunicorn, {workers} workers x {threads} threads, timeout {os.environ.get('PAMONG_WEB_TIMEOUT', 30)} s"
            pool = database.get("OPTIONS", {}).get("pool")
            bound = (
                f" (at most {workers} x {pool['max_size']} = {workers * pool['max_size']} connections)"
                if pool
                else ""
            )
        return "\n".join(
            [
                f"Pamong: {base}/",
                f"  Katalog layanan:  {base}/layanan/",
                f"  API:              {base}/api/v1/services",
                f"  OpenAPI:          {base}/api/openapi.json   docs: {base}/api/docs",
                f"  Admin:            {base}/admin/",
                f"  Server:           {server}",
                f"  Database:         {engine}{bound}",
                "",
            ]
        )
