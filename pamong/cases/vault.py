"""A port through which the application form offers documents the citizen already holds in their vault
(once-only, CONVENTIONS §15). pamong.documents installs a provider in its AppConfig.ready(); with none, the form
offers nothing and asks for nothing beyond its fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Offered:
    id: int
    name: str
    uploaded_on: Any


@dataclass(frozen=True)
class DocumentAsk:
    doc_type: str
    label: str
    offered: list[Offered] = field(default_factory=list)  # empty: the vault does not hold it; the form asks


class Provider(Protocol):
    def documents_for(self, user: Any, service: Any) -> list[DocumentAsk]: ...

    def attach_chosen(self, application: Any, *, actor: Any, chosen: list[str]) -> int: ...


_provider: Provider | None = None


def install(provider: Provider) -> None:
    global _provider
    _provider = provider


def documents_for(user: Any, service: Any) -> list[DocumentAsk]:
    """The documents the service asks for, each with what the citizen's vault already holds of that type."""
    return _provider.documents_for(user, service) if _provider is not None else []


def attach_chosen(application: Any, *, actor: Any, chosen: list[str]) -> int:
    """Attach the vault documents the citizen ticked on the form; returns how many were attached."""
    return _provider.attach_chosen(application, actor=actor, chosen=chosen) if _provider is not None else 0
