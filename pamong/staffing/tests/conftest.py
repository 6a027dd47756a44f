from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from pamong.accounts import roles
from pamong.accounts import services as accounts

WIB = ZoneInfo("Asia/Jakarta")


class Clock:
    """The time the code under test reads through django.utils.timezone.now (set, then moved forward)."""

    def __init__(self, monkeypatch):
        self.at = dt.datetime(2026, 11, 20, 10, 0, tzinfo=WIB)
        monkeypatch.setattr(timezone, "now", lambda: self.at.astimezone(dt.UTC))
        monkeypatch.setattr(timezone, "localdate", lambda value=None, tz=None: self.at.date())

    def set(self, at: dt.datetime) -> dt.datetime:
        self.at = at
        return at

    def advance(self, **delta) -> dt.datetime:
        self.at = self.at + dt.timedelta(**delta)
        return self.at


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def analysts(world):
    """Two analysts and a second supervisor-free agency setup: Dinas Sosial's alerts desk."""
    agency = world.petugas.agency
    made = []
    for username in ("analis-a", "analis-b"):
        made.append(
            accounts.create_account(
                actor="system:test",
                username=username,
                password="uji-coba-pamong-2026",
                role=roles.ANALIS,
                agency=agency,
            )
        )
    return made
