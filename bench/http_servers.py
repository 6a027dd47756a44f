"""Which server for `pamong serve` (ADR "gunicorn serves production", docs/ARCHITECTURE.md): the same demo site
served by Django's development server and by gunicorn, each under the same closed-loop load of N clients for
T seconds on a public read (GET /api/v1/services) and a page (GET /layanan/), on the same 2 cores.

    .venv/bin/python bench/http_servers.py [--clients 16] [--seconds 15] [--port 8133]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent)]

from http_submit import BIN, Client  # noqa: E402

SERVERS = {"django runserver": ["--dev"], "gunicorn": []}


def closed_loop(port: int, path: str, clients: int, seconds: float) -> tuple[float, float, float, int]:
    latencies, errors, lock = [], [0], threading.Lock()
    stop = time.perf_counter() + seconds

    def run() -> None:
        client = Client(port)
        while time.perf_counter() < stop:
            started = time.perf_counter()
            try:
                ok = client.request("GET", path)[0] == 200
            except OSError:
                ok = False
            with lock:
                latencies.append(time.perf_counter() - started)
                errors[0] += 0 if ok else 1

    threads = [threading.Thread(target=run) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ordered = sorted(latencies)
    p99 = ordered[max(0, int(len(ordered) * 0.99) - 1)]
    return len(ordered) / seconds, statistics.median(ordered) * 1e3, p99 * 1e3, errors[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--port", type=int, default=8133)
    args = parser.parse_args()
    var = tempfile.mkdtemp(prefix="pamong-servers-bench-")
    env = {
        **os.environ,
        "PAMONG_VAR_DIR": var,
        "DJANGO_SETTINGS_MODULE": "pamong.settings.demo",
        "DJANGO_DEBUG": "false",
        "PAMONG_RATE_PUBLIC": "100000000/m",
        "PAMONG_ACCESS_LOG": "",
    }
    subprocess.run([str(BIN / "pamong"), "demo"], env=env, check=True, capture_output=True)
    print(
        f"http servers: {args.clients} clients, closed loop, {args.seconds:.0f} s per path, SQLite, 2 cores"
    )
    for name, extra in SERVERS.items():
        server = subprocess.Popen(
            [str(BIN / "pamong"), "serve", "--no-worker", "--port", str(args.port), *extra],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(600):
                try:
                    Client(args.port).request("GET", "/")
                    break
                except OSError:
                    time.sleep(0.1)
            for path in ("/api/v1/services", "/layanan/"):
                closed_loop(args.port, path, 4, 2)  # warm up
                rate, p50, p99, errors = closed_loop(args.port, path, args.clients, args.seconds)
                print(
                    f"  {name:<17} GET {path:<18} {rate:6.1f}/s  p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  "
                    f"errors {errors}"
                )
        finally:
            server.terminate()
            server.wait(timeout=60)


if __name__ == "__main__":
    main()
