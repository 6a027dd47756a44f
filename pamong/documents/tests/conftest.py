"""Fixtures for documents: the world (pamong/conftest.py) and a way to run the jobs queued after commit."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pamong.cases import deadlines
from pamong.cases import services as cases

APPLY = "/api/v1/applications"

SKTM_FORM = {
    "purpose": "pendidikan",
    "household_size": 3,
    "household_income": 4_500_000,
    "has_rt_rw_letter": True,
}


def post(client, path: str, payload: dict):
    return client.post(path, json.dumps(payload), content_type="application/json")


def apply_pkh(client, world, nik: str) -> dict:
    """File Bansos PKH with the demo form of `nik` (the client signed in as that citizen); the API's answer."""
    return post(client, APPLY, {"service": "bansos-pkh", "form": world.forms[nik]}).json()


def let_notices_lapse() -> int:
    """An automated refusal is first a notice of intended refusal (issue 13); silence past its period makes it
    final, and only a final decision gets a letter."""
    return cases.finalise_lapsed_notices(today=deadlines.local_today() + dt.timedelta(days=30))


@pytest.fixture
def run_jobs(django_capture_on_commit_callbacks):
    """`with run_jobs(): ...` runs what the block queues after commit (Huey is immediate in tests), as the
    worker would once the transaction commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
