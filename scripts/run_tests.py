"""Run the whole test suite on SQLite, then again on PostgreSQL when CI=true or PAMONG_TEST_POSTGRES is set.

The PostgreSQL pass leaves out what does not depend on the test database: the browser tests (they read pages
whose every query the other tests run on both databases) and the tests marked `one_pass` (a server on its own
database, or none). It says so when it starts. Any failing run fails the whole command; pytest's "no tests
collected" (exit 5) counts as a failure too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

POSTGRES_URL = os.environ.get("PAMONG_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
# One pytest-xdist worker per core (each with its own test database); PAMONG_TEST_WORKERS=0 runs in one process.
WORKERS = os.environ.get("PAMONG_TEST_WORKERS", str(os.cpu_count() or 1))


def truthy(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


POSTGRES_SELECTION = "not browser and not one_pass"  # what depends on the database


def run(label: str, extra_env: dict[str, str], *selection: str) -> int:
    print(f"\n=== test suite on {label} ===", flush=True)
    if selection:
        print(f"(this pass runs the tests selected by: {' '.join(selection)})", flush=True)
    env = {**os.environ, **extra_env}
    parallel = ["-n", WORKERS] if WORKERS not in {"0", "1"} else []
    return subprocess.call([sys.executable, "-m", "pytest", *parallel, *selection, *sys.argv[1:]], env=env)


def main() -> int:
    if not shutil.which("chromium"):
        print(
            "chromium is not installed: browser tests will be skipped (run scripts/install_system_packages.sh)"
        )
    results = {"SQLite": run("SQLite", {"PAMONG_TEST_DATABASE_URL": ""})}
    if truthy("CI") or truthy("PAMONG_TEST_POSTGRES"):
        results["PostgreSQL"] = run(
            "PostgreSQL", {"PAMONG_TEST_DATABASE_URL": POSTGRES_URL}, "-m", POSTGRES_SELECTION
        )
    failed = [label for label, code in results.items() if code != 0]
    for label, code in results.items():
        print(f"{label}: {'passed' if code == 0 else f'FAILED (pytest exit {code})'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
