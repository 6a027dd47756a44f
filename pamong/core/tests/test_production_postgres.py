"""Production on PostgreSQL, as docs/operations.md tells an operator to bring it up (issue 12, "Must show"):
from an empty database, the documented commands alone give a working site with the shipped packs and an
administrator; 200 concurrent requests never hold more database connections than configured, and none is a 500.
"""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
import redis

from pamong.audit.models import AuditEntry
from pamong.catalog.models import Service
from pamong.core.testing.servers import (
    REPO,
    Client,
    Server,
    base_env,
    connection_holders,
    connections_to,
    free_port,
    fresh_postgres_database,
    pamong,
    var_directory,
)

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

REDIS_DB = 13  # the suite's own Redis database; every key also carries the queue name of the test
WORKERS, THREADS = 2, 4
ADMIN_PASSWORD = "kata-sandi-admin-yang-panjang-2026"

# The commands of docs/operations.md ("First installation"), run below as written there (checked by
# pamong/core/tests/test_serving.py::test_the_operations_guide_gives_the_commands_the_postgres_test_runs).


@pytest.fixture
def var_dir():
    with var_directory() as path:
        yield path


@pytest.fixture
def redis_queue(request):
    name = f"pamong-test-{request.node.name[:20]}-{threading.get_ident()}"
    yield f"redis://127.0.0.1:6379/{REDIS_DB}", name
    client = redis.Redis(db=REDIS_DB)
    for key in client.scan_iter(f"*{name}*"):
        client.delete(key)


def test_documented_commands_bring_up_a_production_site_that_bounds_its_connections(var_dir, redis_queue):
    redis_url, queue = redis_queue
    port = free_port()
    with fresh_postgres_database("site") as (database, url):
        env = base_env(
            var_dir,
            "pamong.settings.production",
            DATABASE_URL=url,
            PAMONG_REDIS_URL=redis_url,
            PAMONG_HUEY_NAME=queue,
            PAMONG_WEB_WORKERS=str(WORKERS),
            PAMONG_WEB_THREADS=str(THREADS),
            PAMONG_RATE_PUBLIC="100000/m",
        )
        # 1. Keys, as the operator puts them in the site's environment.
        keys = pamong(env, "keys", "generate")
        assert keys.returncode == 0, keys.stderr
        env.update(line.split("=", 1) for line in keys.stdout.split())
        # 2. Setup on the empty database.
        setup = pamong(
            env,
            "setup",
            "--packs",
            "./packs",
            "--admin",
            "admin-dinsos",
            "--admin-agency",
            "dinsos-kota-bandung",
            "--site-url",
            f"https://127.0.0.1:{port}",
        )
        assert setup.returncode == 0, setup.stdout + setup.stderr
        link = re.search(rf"https://127\.0\.0\.1:{port}(/masuk/atur-sandi/\S+/)", setup.stdout).group(1)
        # 3. The server.
        server = Server(env, port, "--host", "127.0.0.1").start()
        try:
            check_the_site(port, link)
            peak, idle = two_hundred_at_once(port, database)
            # Web: 2 workers x a pool of 4; the job worker: 1 thread, so 1 connection.
            assert len(peak) <= WORKERS * THREADS + 1, peak
            assert idle <= WORKERS * THREADS + 1, idle
            assert "at most 2 x 4 = 8 connections" in server.output()
        finally:
            assert server.stop() == 0
        verify = pamong(env, "audit", "verify")
        assert verify.returncode == 0, verify.stdout + verify.stderr
        with psycopg.connect(url) as connection:
            actions = [
                row[0]
                for row in connection.execute(
                    f"SELECT action FROM {AuditEntry._meta.db_table} WHERE subject LIKE 'accounts.user:%%' "  # noqa: S608
                    "ORDER BY index"
                )
            ]
            count = f"SELECT count(*) FROM {Service._meta.db_table}"  # noqa: S608 (a model's table)
            services = connection.execute(count).fetchone()[0]
        assert actions[0] == "accounts.account_created" and actions[-1] == "accounts.account_claimed"
        assert services == len([p for p in (REPO / "packs").iterdir() if (p / "service.yaml").exists()])


def check_the_site(port: int, link: str) -> None:
    client = Client(port, https=True)  # as behind the TLS proxy
    status, headers, body = client.get("/layanan/")
    assert (status, headers["Server"]) == (200, "gunicorn")
    for slug in ("bansos-pkh", "akta-kelahiran", "sktm"):
        assert f"/layanan/{slug}/".encode() in body
    status, headers, _ = client.get("/static/admin/css/base.css")
    assert (status, headers["Server"]) == (200, "gunicorn")
    assert client.get("/static/pamong/pamong.css")[0] == 200
    # Plain HTTP is sent to HTTPS.
    status, headers, _ = Client(port).get("/layanan/")
    assert (status, headers["Location"]) == (301, f"https://127.0.0.1:{port}/layanan/")

    # The administrator chooses a password with the one-time link, signs in, and is asked for an authenticator.
    status, headers, _ = client.get(link)
    assert status == 302
    form_path = headers["Location"]
    status, _, body = client.get(form_path)
    assert status == 200 and b'name="new_password1"' in body
    status, headers, _ = client.request(
        "POST",
        form_path,
        (
            f"csrfmiddlewaretoken={client.csrf}&new_password1={ADMIN_PASSWORD}&new_password2={ADMIN_PASSWORD}"
        ).encode(),
        {"Content-Type": "application/x-www-form-urlencoded", "Referer": client.origin + form_path},
    )
    assert (status, headers["Location"]) == (302, "/masuk/")
    assert b'name="new_password1"' not in Client(port, https=True).get(link)[2]  # used: it works once
    status, headers, _ = client.sign_in("admin-dinsos", ADMIN_PASSWORD)
    assert status == 302 and headers["Location"].startswith("/masuk/autentikator/")


def two_hundred_at_once(port: int, database: str) -> tuple[list, int]:
    """200 requests at once (catalog page, API, a static file); the peak of connections while they run and
    the count once they are done (connections by process: application_name). Every answer must be a 200."""
    paths = ["/layanan/", "/api/v1/services", "/layanan/bansos-pkh/", "/static/admin/css/base.css"]
    barrier, statuses, peak, done = threading.Barrier(200), [], [[]], threading.Event()

    def one(i: int) -> None:
        barrier.wait()
        statuses.append(Client(port, https=True, timeout=120).get(paths[i % len(paths)])[0])

    def sample() -> None:
        while not done.is_set():
            holders = connection_holders(database)
            if len(holders) > len(peak[0]):
                peak[0] = sorted(holders)
            done.wait(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        with ThreadPoolExecutor(max_workers=200) as pool:
            list(pool.map(one, range(200)))
    finally:
        done.set()
        sampler.join()
    assert sorted(set(statuses)) == [200] and len(statuses) == 200
    return peak[0], connections_to(database)
