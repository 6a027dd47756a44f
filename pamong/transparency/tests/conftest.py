"""Fixtures of the performance pages' tests."""

from __future__ import annotations

import pytest

from pamong.catalog.models import Service


@pytest.fixture(autouse=True)
def repeats_allowed(request):
    """These tests file several applications for one citizen and service to build their figures; the duplicate
    guard of issue 15 (tested in cases) would refuse the second one."""
    if "world" not in request.fixturenames:
        return
    world = request.getfixturevalue("world")
    Service.objects.filter(pk__in=[world.bansos.pk, world.sktm.pk]).update(repeat_allowed=True)
    world.bansos.refresh_from_db()
    world.sktm.refresh_from_db()
