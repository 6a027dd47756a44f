"""Fixtures for documents: the world (pamong/conftest.py) and a way to run the jobs queued after commit."""

from __future__ import annotations

import json

import pytest

APPLY = "/api/v1/applications"

SKTM_FORM = {
    "purpose": "pendidikan",
    "household_size": 3,
    "household_income": 4_500_000,
    "has_rt_rw_letter": True,
}


def post(client, path: str, payload: dict):
    return client.post(path, json.dumps(payload), content_type="application/json")


@pytest.fixture
def run_jobs(django_capture_on_commit_callbacks):
    """`with run_jobs(): ...` runs what the block queues after commit (Huey is immediate in tests), as the
    worker would once the transaction commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
