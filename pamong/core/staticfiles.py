"""Static files compressed once, not on every start.

WhiteNoise's `CompressedStaticFilesStorage` compresses every collected file again on each `collectstatic`
(brotli at its highest quality: 52 s for the 427 files, measured on the loaded two-core machine), and `pamong serve` collects at
every start. WhiteNoise gives each compressed copy the modification time of its source, so a copy whose time
equals its source's is up to date: only new or changed files are compressed again. Django's `collectstatic`
already copies only files changed since the last run.
"""

from __future__ import annotations

import os
from typing import Any

from whitenoise.storage import CompressedStaticFilesStorage

COMPRESSED_SUFFIXES = (".br", ".gz")


class IncrementalCompressedStaticFilesStorage(CompressedStaticFilesStorage):
    def post_process(self, paths: dict[str, Any], dry_run: bool = False, **options: Any):
        stale = {name: found for name, found in paths.items() if not self.compressed_copy_is_current(name)}
        yield from super().post_process(stale, dry_run=dry_run, **options)

    def compressed_copy_is_current(self, name: str) -> bool:
        """A .br or .gz beside the collected file, stamped with the collected file's modification time."""
        full_path = self.path(name)
        try:
            source_mtime = os.stat(full_path).st_mtime
        except FileNotFoundError:
            return False
        for suffix in COMPRESSED_SUFFIXES:
            try:
                if os.stat(full_path + suffix).st_mtime == source_mtime:
                    return True
            except FileNotFoundError:
                continue
        return False
