"""Every API operation, sent every kind of body (JSON right and wrong, multipart, form-encoded, text, XML, none,
too large), anonymous and signed in (citizen and officer, with a valid CSRF token): never a 5xx, and every error
in the one JSON shape (issue 21)."""

from __future__ import annotations

import json
import re
import uuid

import pytest
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.catalog.models import Agency

pytestmark = pytest.mark.django_db
CSRF = "a" * 16 + "B" * 16  # a 32-character secret: cookie and header agree, as a browser's would

BODIES = [
    ("application/json", b'{"service": "sktm", "form": {}}'),
    ("application/json", b'{"service": "sktm", "service": "sktm"}'),
    ("application/json", b'{"reason": NaN, "rule_id": Infinity}'),
    ("application/json", b'{"statement": "\\ud800", "answer": "a\\u0000"}'),
    ("application/json", b"[1, 2, 3]"),
    ("application/json", b"\xff\xfe"),
    ("application/json", b"{" * 5000),
    ("application/merge-patch+json", b"{}"),
    (MULTIPART_CONTENT, encode_multipart(BOUNDARY, {"service": "sktm", "form": "{}", "file": "x"})),
    ("multipart/form-data", b"--nothing--"),
    ("application/x-www-form-urlencoded", b"service=sktm&form=%7B%7D"),
    ("text/plain", b"service=sktm"),
    ("application/xml", b"<a/>"),
    ("", b'{"service": "sktm"}'),
]


def operations(client) -> list[tuple[str, str]]:
    schema = client.get("/api/openapi.json").json()
    found = []
    for path, methods in schema["paths"].items():
        for method in methods:
            concrete = re.sub(r"\{(\w*application_id)\}", str(uuid.uuid4()), path)
            concrete = re.sub(r"\{slug\}", "sktm", concrete)
            concrete = re.sub(r"\{\w+\}", "1", concrete)
            found.append((method.upper(), concrete))
    return found


def session(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    client.cookies["csrftoken"] = CSRF
    return client


@pytest.fixture
def clients(world):
    accounts.ensure_role_groups()
    officer = accounts.create_account(
        actor=None,
        username="petugas-ct",
        password=None,
        role=roles.PETUGAS,
        agency=Agency.objects.get(slug="dinsos-kota-bandung"),
    )
    return {"anonymous": session(None), "citizen": session(world.warga), "officer": session(officer)}


def test_no_operation_answers_a_5xx_to_any_kind_of_body(clients, settings):
    settings.DEBUG = True  # as under `make run`: still no traceback, still the error shape
    ops = operations(clients["anonymous"])
    assert len(ops) >= 25
    seen: dict[int, int] = {}
    problems = []
    for who, client in clients.items():
        for method, path in ops:
            for content_type, body in BODIES if method != "GET" else [("", b"")]:
                response = client.generic(
                    method, path, body, content_type=content_type, HTTP_X_CSRFTOKEN=CSRF
                )
                seen[response.status_code] = seen.get(response.status_code, 0) + 1
                if response.status_code >= 500:
                    problems.append((who, method, path, content_type, response.status_code))
                elif response.status_code >= 400 and path.startswith("/api/"):
                    error = json.loads(response.content)
                    if set(error) - {"code", "message", "details"} or not {"code", "message"} <= set(error):
                        problems.append((who, method, path, content_type, error))
                    if b"Traceback" in response.content:
                        problems.append((who, method, path, content_type, "traceback"))
    assert problems == []
    assert not any(status >= 500 for status in seen)
    assert {401, 415, 422} <= set(seen)


def test_an_anonymous_write_is_always_a_401_whatever_the_body(clients):
    for method, path in operations(clients["anonymous"]):
        if method == "GET" or "/algorithms" in path or "/assistant/" in path or path.endswith("/replies"):
            # public reads; the assistant answers anyone (pamong/assistant/tests/test_channels.py); the staff
            # replies webhook is signed by the gateway, not signed in (pamong/staffing/tests/test_replies.py)
            continue
        for content_type, body in BODIES:
            response = clients["anonymous"].generic(method, path, body, content_type=content_type)
            assert response.status_code == 401, (method, path, content_type)
            assert response.json()["code"] == "unauthenticated"


def test_a_body_over_the_limit_is_a_413_at_every_write(clients, settings):
    big = b"{" + b" " * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + b"}"
    for method, path in operations(clients["citizen"]):
        if method == "GET":
            continue
        response = clients["citizen"].generic(
            method, path, big, content_type="application/json", HTTP_X_CSRFTOKEN=CSRF
        )
        assert response.status_code == 413, (method, path)
        assert response.json()["code"] == "body_too_large"
