"""Shared fixtures. Tests marked `postgres` run only on PostgreSQL (the CI run); `browser` only with chromium;
`slow` ones run first (and in every run: `-m "not slow"` leaves them out of a quick local loop)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent
PACKS = REPO / "packs"


@pytest.hookimpl(trylast=True)  # after pytest-django's own reordering
def pytest_collection_modifyitems(config, items):
    # Slow tests first: pytest-xdist hands tests out in collection order, so a long test that starts last
    # would leave one worker idle while the other finishes it. (Tests are independent of their order.)
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    except ImproperlyConfigured:  # `-p no:django` runs of the pure cores (rules, merkle)
        on_postgres = False
    has_chromium = shutil.which("chromium") is not None
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(
                pytest.mark.skip(reason="PostgreSQL only: runs in the PostgreSQL pass of make test")
            )
        if "browser" in item.keywords and not has_chromium:
            item.add_marker(pytest.mark.skip(reason="chromium is not installed"))


@pytest.fixture(scope="session")
def packs_root() -> Path:
    return PACKS


@pytest.fixture
def demo_catalog(db):
    from pamong.catalog import services

    return services.load_packs(root=PACKS)
