"""Static files are compressed once: a later collect compresses only what changed (pamong.core.staticfiles)."""

from __future__ import annotations

import os

import brotli

from pamong.core.staticfiles import IncrementalCompressedStaticFilesStorage

CSS = "body { color: #123456; margin: 0 auto; }\n" * 200


def compress(storage: IncrementalCompressedStaticFilesStorage, *names: str) -> list[str]:
    """What post_process compressed, as `collectstatic` calls it (every collected name)."""
    processed = storage.post_process({name: (storage, name) for name in names})
    return sorted(compressed for _name, compressed, _done in processed)


def test_only_new_or_changed_files_are_compressed_again(tmp_path):
    storage = IncrementalCompressedStaticFilesStorage(location=tmp_path)
    (tmp_path / "a.css").write_text(CSS)
    (tmp_path / "b.css").write_text(CSS.replace("123456", "654321"))

    assert compress(storage, "a.css", "b.css") == ["a.css.br", "a.css.gz", "b.css.br", "b.css.gz"]
    assert compress(storage, "a.css", "b.css") == []  # nothing changed: nothing compressed

    (tmp_path / "b.css").write_text(CSS.replace("123456", "abcdef"))
    stamp = (tmp_path / "b.css").stat().st_mtime + 5
    os.utime(tmp_path / "b.css", (stamp, stamp))  # collectstatic copied a newer b.css
    assert compress(storage, "a.css", "b.css") == ["b.css.br", "b.css.gz"]
    assert (
        brotli.decompress((tmp_path / "b.css.br").read_bytes()).decode() == (tmp_path / "b.css").read_text()
    )

    (tmp_path / "a.css.br").unlink()
    (tmp_path / "a.css.gz").unlink()
    assert compress(storage, "a.css", "b.css") == ["a.css.br", "a.css.gz"]  # a lost copy is made again
