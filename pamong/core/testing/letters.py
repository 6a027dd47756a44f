"""Decision letters left to the documents sweep, for fixtures that decide hundreds of applications."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

from pamong.documents import services as documents


@contextlib.contextmanager
def letters_left_to_the_sweep() -> Iterator[list[int]]:
    """Inside, each final decision queues its letter in its own transaction as always, but the letter is not
    rendered and signed at the commit: it stays pending for the documents sweep, as when the job queue is busy.
    For fixtures whose hundreds of letters no test reads: one letter costs ~0.3 s (the fairness fixture's 312
    letters were 124 of its 155 s). The block must enclose the commit (a session fixture's snapshot capture),
    where the letters would be issued. Yields the ids of the letters left pending."""
    left: list[int] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(documents, "issue_letter_task", left.append)
        yield left
