"""`make bench`: run every benchmark in turn; each prints its figures and ratios to a same-run baseline."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
BENCHMARKS = ["rules_scalar.py", "rules_batch.py", "audit_merkle.py"]


def main() -> int:
    failed = []
    for name in BENCHMARKS:
        print(f"\n### {name}", flush=True)
        if subprocess.call([sys.executable, str(HERE / name)]) != 0:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
