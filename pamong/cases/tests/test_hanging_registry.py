"""A registry that hangs (accepts the connection, never answers) is cut off at the adapter's default timeout
(2 s) and the application goes to a person, over HTTP, within the citizen's request (issue 12, faults)."""

from __future__ import annotations

import json
import socket
import time

import pytest

from pamong.cases.models import Application
from pamong.registry.adapters import HttpJsonAdapter

pytestmark = pytest.mark.django_db


@pytest.fixture
def hanging_dtsen(settings):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)  # the kernel accepts; nobody ever reads or answers
    settings.PAMONG_REGISTRY_HTTP_ADAPTERS = {
        "dtsen": {"base_url": f"http://127.0.0.1:{listener.getsockname()[1]}"}  # the default timeout
    }
    yield listener
    listener.close()


def test_the_default_timeout_is_at_most_two_seconds():
    assert HttpJsonAdapter(name="x", base_url="http://127.0.0.1:9").timeout == 2.0


def test_a_hanging_registry_is_cut_off_and_the_case_referred_to_a_person(world, client_for, hanging_dtsen):
    client = client_for(world.warga)
    body = json.dumps({"service": "bansos-pkh", "form": world.forms[world.niks.WARGA_NIK]})
    assert client.get("/api/v1/services").status_code == 200  # the first request imports the URL conf
    started = time.monotonic()
    response = client.post(
        "/api/v1/applications",
        body,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="hanging-registry-1",
    )
    elapsed = time.monotonic() - started
    assert response.status_code == 201
    answer = response.json()
    assert answer["status"] == "under_review"
    assert answer["decision"]["outcome"] == "REFER"
    listener = hanging_dtsen
    listener.setblocking(False)
    attempts = 0
    while True:
        try:
            listener.accept()[0].close()
        except BlockingIOError:
            break
        attempts += 1
    assert attempts == 1  # a timeout is not retried
    assert 2.0 <= elapsed < 3.5
    stored = Application.objects.get(pk=answer["id"])
    assert stored.status == Application.Status.UNDER_REVIEW
