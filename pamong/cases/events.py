"""A port for modules above cases that react when an application's status changes or a decision is recorded
(CONVENTIONS §15): e.g. signed webhooks to other agencies' systems (pamong.clients). A listener installs itself
in its AppConfig.ready(); with none, publishing does nothing.

`publish` is called where the citizen's notification is queued, inside the service's transaction, so a listener
writes its own outbox rows in that transaction: a rolled-back action tells nobody. `change` is the name of the
citizen's notification (application_received, decision_made, information_requested, objection_received,
appeal_received, objection_decided, deemed_granted, application_withdrawn). `decision`: the final decision the
change records, when the caller has it in hand (a listener then need not read it back; None: read it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Listener = Callable[..., None]
_listeners: list[Listener] = []

# The changes that record a final decision (the rest are status changes: received, waiting for information, ...).
DECISION_CHANGES = frozenset({"decision_made", "objection_decided", "deemed_granted"})


def subscribe(listener: Listener) -> None:
    """Add a listener `listener(application, *, change, decision=None)`; adding the same one twice keeps one."""
    if listener not in _listeners:
        _listeners.append(listener)


def publish(application: Any, *, change: str, decision: Any = None) -> None:
    for listener in list(_listeners):
        listener(application, change=change, decision=decision)
