"""DESIGN §8 HTTP budget: POST /api/v1/applications (file → automatic decision → audit entry, one transaction)
at a fixed arrival rate against a server holding N applications and an N-entry audit log, on SQLite or (with
--database URL) PostgreSQL; the baseline in the same run is GET /api/v1/services (a public read) at the same rate
against the same server. Then the public catalog page at --catalog-rate reads/s beside the same baseline. Every
answer is counted by HTTP status; the seed prints the SQL statements one submission runs.

    .venv/bin/python bench/http_submit.py [--stored 1000000] [--rates 100,40] [--seconds 30]
        [--database postgres://postgres@127.0.0.1:5432/pamong_bench] [--catalog-rate 200]
        [--compare-writer-queue]   # SQLite: the same rates again on Django's own backend (ADR 62's baseline)
        [--var DIR]                # SQLite: seed once into DIR, reuse it in later runs

Open loop: request i is due at start + i/rate and its latency counts from that moment, so a server that falls
behind shows it (no coordinated omission). The load generator runs on the same 2 cores as the server, as the
budget's machine would. The server is `pamong serve --no-worker` (gunicorn; `--server dev` for Django's threaded
development server, `--workers N` for gunicorn's process count).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import psycopg

HERE = Path(__file__).resolve().parent
BIN = HERE.parent / ".venv/bin"


class Client:
    """A signed-in citizen over plain HTTP/1.1: session and CSRF cookies, one connection per request."""

    def __init__(self, port: int) -> None:
        self.port, self.cookies = port, SimpleCookie()

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        cookie = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
        connection.request(method, path, body=body, headers={"Cookie": cookie, **(headers or {})})
        response = connection.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(header)
        connection.close()
        return response.status, data

    def sign_in(self, username: str, password: str) -> None:
        self.request("GET", "/masuk/")
        form = {"username": username, "password": password, "csrfmiddlewaretoken": self.csrf}
        status, _ = self.request(
            "POST",
            "/masuk/",
            urlencode(form).encode(),
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{self.port}/masuk/",
            },
        )
        assert status == 302, f"sign-in answered {status}"

    @property
    def csrf(self) -> str:
        return self.cookies["csrftoken"].value


def run_load(rate: float, seconds: float, send) -> tuple[list[float], Counter, float]:
    """Open-loop arrivals at `rate`/s for `seconds`; `send` answers (ok, HTTP status). Returns latencies (s, from
    the due time), every answer counted by status ("failed" added for a wrong answer) and the time until the
    last answer (longer than `seconds` when the server falls behind)."""
    total = int(rate * seconds)
    latencies, statuses, lock = [], Counter(), threading.Lock()
    start = time.perf_counter() + 0.2

    def one(i: int) -> None:
        due = start + i / rate
        time.sleep(max(0.0, due - time.perf_counter()))
        ok, status = send(i)
        elapsed = time.perf_counter() - due
        with lock:
            latencies.append(elapsed)
            statuses[status] += 1
            statuses["failed"] += 0 if ok else 1

    with ThreadPoolExecutor(max_workers=64) as pool:
        list(pool.map(one, range(total)))
    return latencies, statuses, time.perf_counter() - start


def summary(
    name: str, latencies: list[float], statuses: Counter, elapsed: float, baseline_p99: float | None
) -> float:
    ordered = sorted(latencies)
    p50, p99 = statistics.median(ordered) * 1e3, ordered[int(len(ordered) * 0.99) - 1] * 1e3
    ratio = f"{p99 / baseline_p99:5.2f}x baseline p99" if baseline_p99 else " 1.00x (baseline)"
    print(
        f"    {name:<36} {len(ordered) / elapsed:6.1f}/s done  p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  "
        f"failed {statuses['failed']}   {ratio}"
    )
    answers = ", ".join(
        f"{count} x {status}" for status, count in sorted(statuses.items(), key=str) if status != "failed"
    )
    print(f"    {'':<36} answers: {answers}")
    return p99


def fresh_database(url: str) -> None:
    """Drop and create the benchmark's PostgreSQL database (never the one a test or the demo uses: name it)."""
    target = urlsplit(url)
    name = target.path.lstrip("/")
    with psycopg.connect(urlunsplit(target._replace(path="/postgres")), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def seed(env: dict, args) -> dict:
    """Seed the database (or, with --var, reuse the one seeded there before: it keeps the submissions of earlier
    runs, a few thousand beside the million). Returns the bansos form the load submits."""
    marker = Path(env["PAMONG_VAR_DIR"]) / "bench-seeded.json"
    if args.var and not args.database and marker.is_file():
        print(f"  (reusing the database seeded in {args.var})", file=sys.stderr)
        return json.loads(marker.read_text())
    seeded = subprocess.run(
        [str(BIN / "python"), str(HERE / "http_seed.py"), "--stored", str(args.stored)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    sys.stderr.write(seeded.stderr)
    form = json.loads(seeded.stdout.strip().splitlines()[-1])
    marker.write_text(json.dumps(form))
    return form


def serve_and_measure(command: list[str], env: dict, args, form: dict, *, catalog_too: bool) -> None:
    """Start the server, sign in, warm up, then the submit rates (and the catalog reads when asked)."""
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        client = Client(args.port)
        for _ in range(600):  # gunicorn collects static files first
            try:
                client.request("GET", "/")
                break
            except OSError:
                time.sleep(0.1)
        client.sign_in("warga", "pamong-demo-2026")
        headers = {"Content-Type": "application/json", "X-CSRFToken": client.csrf}
        headers["Referer"] = f"http://127.0.0.1:{args.port}/"

        def read(_i: int) -> tuple[bool, int]:
            status = client.request("GET", "/api/v1/services")[0]
            return status == 200, status

        visitor = Client(args.port)  # anonymous: the catalog page as the public reads it

        def catalog(_i: int) -> tuple[bool, int]:
            status = visitor.request("GET", "/layanan/")[0]
            return status == 200, status

        def submit(_i: int) -> tuple[bool, int]:
            body = json.dumps({"service": "bansos-pkh", "form": form}).encode()
            status, data = client.request(
                "POST", "/api/v1/applications", body, {**headers, "Idempotency-Key": uuid.uuid4().hex}
            )
            if status == 201 and json.loads(data)["status"] == "granted":
                return True, status
            refusals[f"{status} {data[:80]!r}"] += 1
            return False, status

        refusals: Counter[str] = Counter()
        for warm in (read, submit):  # a few requests to load code paths and caches
            for i in range(20):
                warm(i)
        for rate in (float(r) for r in args.rates.split(",")):
            print(f"  at {rate:.0f} requests/s:")
            base = summary("GET /api/v1/services (baseline)", *run_load(rate, args.seconds, read), None)
            p99 = summary("POST /api/v1/applications", *run_load(rate, args.seconds, submit), base)
            verdict = "within" if p99 <= 100 else "OVER"
            print(f"    submit -> decision -> audit entry p99 {p99:.1f} ms: {verdict} the 100 ms budget")
            for answer, count in refusals.items():
                print(f"    not granted: {count} x {answer}")
            refusals.clear()
        if args.catalog_rate and catalog_too:
            print(f"  at {args.catalog_rate:.0f} reads/s:")
            base = summary(
                "GET /api/v1/services (baseline)", *run_load(args.catalog_rate, args.seconds, read), None
            )
            summary(
                "GET /layanan/ (public catalog page)",
                *run_load(args.catalog_rate, args.seconds, catalog),
                base,
            )
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stored", type=int, default=1_000_000)
    parser.add_argument(
        "--rates", default="100,40", help="arrival rates to try, requests/s (the budget: 100)"
    )
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--port", type=int, default=8131)
    parser.add_argument("--server", choices=["gunicorn", "dev"], default="gunicorn")
    parser.add_argument("--workers", type=int, default=0, help="gunicorn processes (default: sized to cores)")
    parser.add_argument(
        "--database",
        default="",
        help="a PostgreSQL URL to run on (dropped and created afresh); default SQLite",
    )
    parser.add_argument(
        "--var", default="", help="SQLite: keep the seeded database in this directory and reuse it next time"
    )
    parser.add_argument(
        "--compare-writer-queue",
        action="store_true",
        help="SQLite: run the submit rates again with Django's own backend (no writer queue, ADR 62)",
    )
    parser.add_argument(
        "--catalog-rate", type=float, default=200.0, help="reads/s of the public catalog page (0: skip)"
    )
    args = parser.parse_args()

    var = args.var or tempfile.mkdtemp(prefix="pamong-http-bench-")
    env = {
        **os.environ,
        "PAMONG_VAR_DIR": var,
        "PAMONG_BENCH_VAR_DIR": var,
        "DJANGO_SETTINGS_MODULE": "pamong.settings.local",
        "DJANGO_DEBUG": "false",
        "PAMONG_RATE_APPLY": "100000000/h",  # one demo citizen files every request: lift the per-account limit
        "PAMONG_RATE_PUBLIC": "100000000/m",
    }
    if args.database:
        fresh_database(args.database)
        env["DATABASE_URL"] = args.database
    engine = "PostgreSQL" if args.database else "SQLite, WAL"
    form = seed(env, args)
    command = [str(BIN / "pamong"), "serve", "--no-worker", "--port", str(args.port)]
    command += (
        ["--dev"] if args.server == "dev" else (["--workers", str(args.workers)] if args.workers else [])
    )
    variants = [("", {})]
    if args.compare_writer_queue and not args.database:
        # The same rates again on the same database, served by Django's own SQLite backend (its busy handler):
        # the baseline of ADR 62's writer queue, measured in the same run.
        variants.append((" (Django's busy handler, no writer queue)", {"PAMONG_SQLITE_WRITER_QUEUE": "off"}))
    for label, extra in variants:
        print(
            f"http bench: {args.stored:,} applications and audit entries stored ({engine}{label}), "
            f"{args.seconds:.0f} s per rate, 2 cores shared with the load generator"
        )
        serve_and_measure(command, {**env, **extra}, args, form, catalog_too=not label)
    verify = subprocess.run([str(BIN / "pamong"), "audit", "verify"], env=env, capture_output=True, text=True)
    print(
        f"  pamong audit verify afterwards: exit {verify.returncode}: {verify.stdout.strip().splitlines()[-1]}"
    )


if __name__ == "__main__":
    main()
