"""How a module declares the personal data it holds (UU 27/2022): which models, how long it is kept, and how to
export, erase and expire it. Each app puts one declaration in its own `personal_data.py` (discovered like
`admin.py`); the privacy coordinator (`pamong.privacy`) runs export, retention and erasure over all of them, so a
new module never has to be added to someone else's code by hand.

A hook receives what it needs and runs inside the coordinator's transaction:
- export(user) -> {section: JSON-ready data};
- erase(user) -> {count name: n}: remove or blank what the module holds about the person, keeping only what
  accountability needs (decision records, the audit log);
- expire(now, dry_run) -> {count name: n}: remove what is past its retention period; with dry_run, only count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Export = Callable[[Any], dict[str, Any]]
Erase = Callable[[Any], dict[str, int]]
Expire = Callable[[dt.datetime, bool], dict[str, int]]


@dataclass(frozen=True)
class PersonalData:
    module: str
    models: tuple[str, ...]  # "app_label.ModelName" of every model holding personal data
    retention: str  # how long it is kept and why, as docs/security.md says it
    export: Export | None = None
    erase: Erase | None = None
    expire: Expire | None = None


_declared: dict[str, PersonalData] = {}


def declare(declaration: PersonalData) -> PersonalData:
    """Register a module's declaration (called at import of its personal_data.py; idempotent)."""
    _declared[declaration.module] = declaration
    return declaration


def declarations() -> list[PersonalData]:
    return list(_declared.values())
