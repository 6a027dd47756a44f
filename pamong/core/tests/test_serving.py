"""`pamong serve` as an operator runs it (issue 12): gunicorn with its Server header, compressed static files,
the demo over plain HTTP, a worker that never outlives its server, and 503 (never 500) without a database.

These start real servers in subprocesses on loopback ports, so they are few and marked slow."""

from __future__ import annotations

import gzip
import json
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import brotli
import pytest
from django.db import OperationalError
from django.test import Client as DjangoClient

from pamong.core.testing.servers import (
    DEMO_PASSWORD,
    REPO,
    Client,
    Server,
    alive,
    base_env,
    free_port,
    pamong,
    var_directory,
    wait_gone,
)


@pytest.fixture
def var_dir():
    with var_directory() as path:
        yield path


@pytest.fixture(scope="module")
def demo_site():
    """`pamong demo` under the demo settings (`make run`): SQLite in a throw-away var directory."""
    with var_directory() as var:
        env = base_env(var, "pamong.settings.demo")
        loaded = pamong(env, "demo")
        assert loaded.returncode == 0, loaded.stderr
        told = re.search(r"History of the last 90 days: ([0-9,]+) applications", loaded.stdout)
        # Issue 20: a demo that looks lived in, with its 90-day history.
        assert told and int(told.group(1).replace(",", "")) >= 20_000, loaded.stdout
        yield env


@pytest.mark.slow
@pytest.mark.one_pass
def test_make_run_serves_the_demo_with_gunicorn_over_plain_http(demo_site):
    server = Server(demo_site, free_port()).start()
    try:
        client = Client(server.port)
        status, headers, body = client.get("/layanan/")
        assert (status, headers["Server"]) == (200, "gunicorn")
        assert b"Bantuan Sosial" in body or b"bansos-pkh" in body

        # Static files, collected at start and compressed (brotli preferred, gzip otherwise).
        status, headers, plain = client.get("/static/admin/css/base.css")
        assert (status, headers["Server"], headers.get("Content-Encoding")) == (200, "gunicorn", None)
        status, headers, br = client.get("/static/admin/css/base.css", **{"Accept-Encoding": "br, gzip"})
        assert (status, headers["Content-Encoding"]) == (200, "br")
        assert brotli.decompress(br) == plain and len(br) < len(plain) / 3
        status, headers, gz = client.get("/static/admin/css/base.css", **{"Accept-Encoding": "gzip"})
        assert (status, headers["Content-Encoding"], gzip.decompress(gz)) == (200, "gzip", plain)
        assert client.get("/static/pamong/pamong.css")[0] == 200

        # DEBUG is off (no technical pages), yet signing in works over plain HTTP: cookies are not Secure-only.
        status, _, body = client.get("/tidak-ada/")
        assert status == 404 and b"Traceback" not in body and b"URLconf" not in body
        status, headers, _ = client.sign_in("warga", DEMO_PASSWORD)
        assert status == 302, headers
        assert all("secure" not in cookie.lower() for cookie in headers.get_all("Set-Cookie"))
        status, _, body = client.get("/akun/")
        assert status == 200 and b"Siti Nurhaliza" in body

        # SIGHUP: a graceful restart (gunicorn replaces its worker processes); the site keeps answering.
        master = server.child_pids()["server"]
        before = gunicorn_workers(master)
        assert len(before) == 2
        server.process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (
            gunicorn_workers(master) & before or len(gunicorn_workers(master)) < 2
        ):
            time.sleep(0.2)
        assert len(gunicorn_workers(master)) == 2 and not gunicorn_workers(master) & before
        assert client.get("/akun/")[0] == 200  # the session outlives the restart

        # kill -9 of `pamong serve` itself: its gunicorn and its job worker go with it, and the port is free.
        children = server.child_pids()
        assert set(children) == {"worker", "server"} and all(alive(pid) for pid in children.values())
        server.process.kill()
        server.process.wait(timeout=10)
        assert wait_gone(list(children.values())) == []
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", server.port))
    finally:
        server.kill9()


@pytest.mark.slow
@pytest.mark.one_pass
def test_a_taken_port_stops_serve_before_it_starts_a_worker(var_dir):
    env = base_env(var_dir, "pamong.settings.local")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        for mode in (["--dev"], []):
            result = subprocess.run(  # noqa: S603 (our own command)
                [*Server(env, port).process_argv(), *mode],
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            assert result.returncode == 1
            assert f"127.0.0.1:{port} is already in use" in result.stderr
            assert "worker pid" not in result.stdout
    # Nothing that carries this test's var directory in its environment is left running.
    assert leftover_processes(str(var_dir)) == []


def gunicorn_workers(master: int) -> set[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return {int(pid) for pid in children}


def leftover_processes(marker: str) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                environ = (proc / "environ").read_bytes()
            except OSError:
                continue
            if f"PAMONG_VAR_DIR={marker}".encode() in environ and alive(int(proc.name)):
                found.append(int(proc.name))
    return found


@pytest.mark.slow
@pytest.mark.one_pass
def test_without_its_database_the_server_answers_503_with_retry_after(var_dir):
    nothing = free_port()  # nothing listens there: every connection attempt is refused
    env = base_env(var_dir, "pamong.settings.local", DATABASE_URL=f"postgres://pamong@127.0.0.1:{nothing}/x")
    env["DJANGO_DEBUG"] = "false"
    env["PAMONG_DB_POOL_TIMEOUT"] = "2"  # how long a request waits for a connection (default 10 s)
    server = Server(env, free_port(), "--no-worker").start()
    try:
        client = Client(server.port)
        status, headers, body = client.get("/api/v1/services")
        assert (status, headers["Retry-After"], headers["Content-Type"]) == (503, "5", "application/json")
        assert headers["Server"] == "gunicorn"  # under the local settings too
        assert json.loads(body)["code"] == "service_unavailable"
        status, headers, body = client.get("/layanan/")
        assert (status, headers["Retry-After"]) == (503, "5")
        assert "Layanan sedang tidak tersedia" in body.decode()
    finally:
        assert server.stop() == 0  # SIGTERM: a graceful stop


def test_a_lost_database_is_503_in_the_json_error_shape_and_an_indonesian_page(db, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("pamong.catalog.selectors.service_list", unreachable)
    client = DjangoClient(raise_request_exception=False)
    page = client.get("/layanan/")
    assert (page.status_code, page["Retry-After"]) == (503, "5")
    assert "Layanan sedang tidak tersedia" in page.content.decode()
    assert "Traceback" not in page.content.decode()
    api = client.get("/api/v1/services")
    assert (api.status_code, api["Retry-After"]) == (503, "5")
    assert api.json() == {
        "code": "service_unavailable",
        "message": "Layanan sedang tidak dapat menjangkau basis data. Coba lagi sebentar lagi.",
    }


def test_other_errors_stay_500_without_a_retry_after(db, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("pamong.catalog.selectors.service_list", broken)
    page = DjangoClient(raise_request_exception=False).get("/layanan/")
    assert page.status_code == 500 and "Retry-After" not in page


# The commands test_production_postgres.py runs, as docs/operations.md ("First installation") gives them.
DOCUMENTED = [
    "pamong keys generate",
    "pamong setup --packs ./packs --admin admin-dinsos --admin-agency dinsos-kota-bandung --site-url",
    "pamong serve --host",
]


def test_the_operations_guide_gives_the_commands_the_postgres_test_runs():
    guide = (REPO / "docs" / "operations.md").read_text()
    for command in DOCUMENTED:
        assert command in guide


def test_every_setting_read_from_the_environment_is_listed_in_env_example():
    sources = [*(REPO / "pamong" / "settings").glob("*.py"), REPO / "pamong" / "gunicorn_conf.py"]
    read = set()
    for source in sources:
        read |= set(re.findall(r'(?:environ\.get|env_bool|env_list)\("([A-Z0-9_]+)"', source.read_text()))
    listed = set(re.findall(r"^# ([A-Z0-9_]+)=", (REPO / ".env.example").read_text(), re.MULTILINE))
    assert len(read) > 60
    assert read - listed == set()
