"""Real servers for the serving tests: `pamong` commands and `pamong serve` as an operator runs them, in
subprocesses on loopback ports, with a throw-away var directory (SQLite) or database (PostgreSQL), and a small
HTTP client that signs in like a browser (session and CSRF cookies)."""

from __future__ import annotations

import base64
import contextlib
import fcntl
import functools
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import psycopg

from pamong.core.crypto import generate_key_text

REPO = Path(__file__).resolve().parents[3]
PAMONG = [sys.executable, "-m", "pamong.cli"]
DEMO_PASSWORD = "pamong-demo-2026"  # noqa: S105 (the published demo password, pamong.site.demo)
SHARED_STATIC_ROOT = REPO / "var" / "test-static"


@contextlib.contextmanager
def var_directory() -> Iterator[Path]:
    """A throw-away PAMONG_VAR_DIR outside pytest's basetemp: another pytest session on the same machine prunes
    old basetemp directories, which would pull the database from under a running server."""
    with tempfile.TemporaryDirectory(prefix="pamong-serve-") as path:
        yield Path(path)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def base_env(
    var_dir: Path,
    settings_module: str = "pamong.settings.local",
    *,
    shared_static: bool = True,
    **extra: str,
) -> dict[str, str]:
    """The environment of an operator's shell: no test settings, nothing from the developer's .env that
    the test does not set itself (load_dotenv never overrides what is set). Static files go to the shared,
    already compressed directory (`shared_static_root`) unless `shared_static` is false (then under `var_dir`)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAMONG_", "DJANGO_", "DATABASE_URL"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": settings_module,
            "PAMONG_VAR_DIR": str(var_dir),
            "DATABASE_URL": "",
            "PAMONG_REDIS_URL": "",
            "PAMONG_WEB_WORKERS": "2",
            "PAMONG_WEB_THREADS": "4",
            "PAMONG_LOG_LEVEL": "WARNING",
            "PAMONG_ACCESS_LOG": "",
            "PYTHONUNBUFFERED": "1",
        }
    )
    if shared_static:
        env["PAMONG_STATIC_ROOT"] = str(shared_static_root())
    env.update(extra)
    return env


def production_secrets() -> dict[str, str]:
    """Fresh keys, as an operator generates them (docs/operations.md)."""
    return {
        "DJANGO_SECRET_KEY": base64.b64encode(os.urandom(48)).decode(),
        "PAMONG_AUDIT_SIGNING_KEY": base64.b64encode(os.urandom(32)).decode(),
        "PAMONG_ENCRYPTION_KEYS": generate_key_text("k1"),
        "PAMONG_BLIND_INDEX_KEY": os.urandom(32).hex(),
    }


@functools.cache
def shared_static_root() -> Path:
    """The static files collected and compressed once for every test that serves or collects them (compressing
    all of them took 52 s on the loaded machine; afterwards `collectstatic` with pamong.core.staticfiles only compares times and
    writes nothing, so servers started at once can share the directory). The first collect runs under a lock:
    the test workers must not write the same files at the same time."""
    SHARED_STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    with open(SHARED_STATIC_ROOT / ".lock", "w") as lock, tempfile.TemporaryDirectory() as var:
        fcntl.flock(lock, fcntl.LOCK_EX)
        env = base_env(Path(var), shared_static=False, PAMONG_STATIC_ROOT=str(SHARED_STATIC_ROOT))
        collected = pamong(env, "collectstatic", "--noinput", "-v0")
        assert collected.returncode == 0, collected.stderr
    return SHARED_STATIC_ROOT


def pamong(env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (our own command)
        [*PAMONG, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=timeout, check=False
    )


class Server:
    """`pamong serve` in its own session (so kill -9 can take the whole machine's server down at once)."""

    def __init__(self, env: dict[str, str], port: int, *args: str) -> None:
        self.env, self.port, self.args = env, port, args
        self.process: subprocess.Popen | None = None
        self.log = Path(env["PAMONG_VAR_DIR"]) / f"serve-{port}.log"

    def process_argv(self) -> list[str]:
        return [*PAMONG, "serve", "--port", str(self.port), *self.args]

    def start(self, wait: float = 60.0) -> Server:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 (our own command)
                self.process_argv(),
                env=self.env,
                cwd=REPO,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"pamong serve ended ({self.process.returncode}):\n{self.output()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"pamong serve did not answer within {wait} s:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def child_pids(self) -> dict[str, int]:
        found = re.findall(r"(worker|server) pid (\d+)", self.output())
        return {name: int(pid) for name, pid in found}

    def stop(self) -> int:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                return self.process.wait(timeout=45)
            except subprocess.TimeoutExpired:
                self.kill9()
        return self.process.returncode if self.process else 0

    def kill9(self) -> None:
        """Every process of this server at once (supervisor, gunicorn master and workers, job worker)."""
        if self.process:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with contextlib.suppress(OSError):  # a zombie waiting for its parent is not running
        if Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].startswith("Z"):
            return False
    return True


def wait_gone(pids: list[int], seconds: float = 15.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(alive(pid) for pid in pids):
        time.sleep(0.1)
    return [pid for pid in pids if alive(pid)]


class Client:
    """A browser over plain HTTP/1.1: cookies kept, one connection per request. `https=True` says, as a TLS
    proxy would, that the request came over HTTPS (X-Forwarded-Proto), for production settings."""

    def __init__(self, port: int, *, https: bool = False, timeout: float = 30) -> None:
        self.port, self.https, self.timeout = port, https, timeout
        self.cookies: SimpleCookie = SimpleCookie()
        self.origin = f"{'https' if https else 'http'}://127.0.0.1:{port}"

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            sent = {"Cookie": "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())}
            if self.https:
                sent["X-Forwarded-Proto"] = "https"
            connection.request(method, path, body=body, headers={**sent, **(headers or {})})
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(header)
        return response.status, response.headers, data

    def get(self, path: str, **headers: str) -> tuple[int, http.client.HTTPMessage, bytes]:
        return self.request("GET", path, headers=headers)

    def post_form(self, path: str, form: dict[str, str]) -> tuple[int, http.client.HTTPMessage, bytes]:
        self.get(path)
        form = {**form, "csrfmiddlewaretoken": self.csrf}
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": self.origin + path}
        return self.request("POST", path, urlencode(form).encode(), headers)

    def sign_in(self, username: str, password: str) -> tuple[int, http.client.HTTPMessage, bytes]:
        return self.post_form("/masuk/", {"username": username, "password": password})

    def submit(self, service: str, form: dict, key: str) -> tuple[int, dict]:
        headers = {
            "Content-Type": "application/json",
            "X-CSRFToken": self.csrf,
            "Referer": self.origin + "/",
            "Idempotency-Key": key,
        }
        body = json.dumps({"service": service, "form": form}).encode()
        status, _, data = self.request("POST", "/api/v1/applications", body, headers)
        try:
            return status, json.loads(data)
        except ValueError:
            return status, {"raw": data[:200].decode(errors="replace")}

    @property
    def csrf(self) -> str:
        return self.cookies["csrftoken"].value


# --- PostgreSQL: a throw-away database beside the suite's own ------------------------------------------------


def postgres_url_for(name: str) -> str:
    base = os.environ.get("PAMONG_TEST_DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{name}"))


@contextlib.contextmanager
def fresh_postgres_database(label: str) -> Iterator[tuple[str, str]]:
    """An empty database (name, URL), dropped afterwards."""
    name = f"pamong_{label}_{uuid.uuid4().hex[:8]}"
    admin = postgres_url_for("postgres")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name, postgres_url_for(name)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def connections_to(database: str) -> int:
    """Client connections to `database` now (pg_stat_activity), this probe's own not counted."""
    with psycopg.connect(postgres_url_for("postgres"), autocommit=True) as connection:
        row = connection.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [database]
        ).fetchone()
    return int(row[0])


def connection_holders(database: str) -> list[tuple[str, str]]:
    with psycopg.connect(postgres_url_for("postgres"), autocommit=True) as connection:
        return connection.execute(
            "SELECT application_name, state FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        ).fetchall()
