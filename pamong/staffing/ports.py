"""The "officer unavailable" port: what staffing asks of the layers above it when someone starts leave or is
deactivated, without importing them. `cases` sits above staffing (docs/ARCHITECTURE.md, "Layers") and holds the
claimed cases; it installs a listener in `CasesConfig.ready()` that returns that officer's claimed cases to the
queue. The default is no listener: nothing else to do. Tests may add one with `listening(...)`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

# listener(officer, *, reason: str, actor) -> how many items it moved; runs inside staffing's transaction.
Listener = Callable[..., int]

_listeners: dict[str, Listener] = {}
# counter(officer_ids) -> how many open items those officers still hold (the dashboard's "stranded cases").
Counter = Callable[[list[int]], int]
_counters: dict[str, Counter] = {}


def install(name: str, listener: Listener) -> None:
    """Register (or replace) the listener called `name`: installing twice is harmless."""
    _listeners[name] = listener


def install_counter(name: str, counter: Counter) -> None:
    _counters[name] = counter


def held_by(officer_ids: list[int]) -> int:
    """How many open items (cases) the given officers hold; 0 when nothing is installed."""
    return sum(counter(officer_ids) for counter in list(_counters.values()))


def officer_unavailable(officer: Any, *, reason: str, actor: Any) -> int:
    """Tell every listener that `officer` is away (leave, sick, deactivated); returns the items they moved."""
    return sum(listener(officer, reason=reason, actor=actor) for listener in list(_listeners.values()))


@contextmanager
def listening(name: str, listener: Listener) -> Iterator[None]:
    previous = _listeners.get(name)
    install(name, listener)
    try:
        yield
    finally:
        if previous is None:
            _listeners.pop(name, None)
        else:
            _listeners[name] = previous


# --- the "deadline sources" port ------------------------------------------------------------------------------
# Staffing warns 2 and 1 working days before something is due (issue 17, point 4), but what is due lives in the
# modules above it: cases (decisions, objections, appeals) and complaints (answers). Each installs a source in its
# `AppConfig.ready()`; the daily warning job (`services.warn_deadlines`) asks every source.


@dataclass(frozen=True)
class Deadline:
    """One open item's due date. `assignee` None (or inactive) sends the warning to the agency's supervisors;
    `template` is a notify template that receives `context` plus `due` (formatted) and `days` (working days)."""

    agency: Any
    due: dt.date
    assignee: Any | None
    template: str
    context: dict[str, Any]


# source(today) -> the open items due after `today` (the job keeps those 2 or 1 working days away).
DeadlineSource = Callable[[dt.date], Iterable[Deadline]]
_deadline_sources: dict[str, DeadlineSource] = {}


def install_deadlines(name: str, source: DeadlineSource) -> None:
    """Register (or replace) the deadline source called `name`: installing twice is harmless."""
    _deadline_sources[name] = source


def deadlines_after(today: dt.date) -> Iterator[Deadline]:
    for source in list(_deadline_sources.values()):
        yield from source(today)
