"""The machine-clients table of docs/security.md is the truth: every route of /api/v1/integrations/ has a row,
and every cell is what the route answers to a token holding just that scope (agency: allowed for a client of
the service's agency, the 404 of a missing id for a client of another agency; own: allowed for the client that
filed the complaint, the 404 of a missing one for another client with the same scope)."""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pamong.accounts.tests.routes import SECURITY_DOC, api_routes
from pamong.accounts.tests.test_permissions import JPEG, PDF
from pamong.cases import services as cases
from pamong.catalog.models import Agency
from pamong.clients import services
from pamong.clients.models import Scope
from pamong.registry import demo

from .conftest import request_token

pytestmark = pytest.mark.django_db

SCOPES = tuple(Scope.values)
CELLS = {"✓": "allowed", "✗": "denied", "agency": "agency", "own": "own"}
COMPLAINT = {
    "service": "bansos-pkh",
    "title": "Bantuan PKH tidak cair tiga bulan",
    "description": "Sudah tiga bulan bantuan PKH keluarga kami tidak cair, padahal status masih aktif di DTKS.",
}
ROUTE = re.compile(r"^`(GET|POST|PUT|PATCH|DELETE) (/\S*)`$")


def client_table() -> dict[tuple[str, str], dict[str, str]]:
    rows: dict[tuple[str, str], dict[str, str]] = {}
    in_table = False
    for number, line in enumerate(SECURITY_DOC.read_text().splitlines(), start=1):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|"):
            in_table = False
            continue
        if cells[0] == "client route":
            assert tuple(cells[1:]) == SCOPES, f"{SECURITY_DOC}:{number}: scope columns must be {SCOPES}"
            in_table = True
            continue
        if not in_table or set(cells[0]) <= {"-", ":"}:
            continue
        match = ROUTE.match(cells[0])
        assert match, f"{SECURITY_DOC}:{number}: route cell must be `METHOD /path`"
        assert all(c in CELLS for c in cells[1:]), f"{SECURITY_DOC}:{number}: unknown cell"
        rows[(match[1], match[2])] = {s: CELLS[c] for s, c in zip(SCOPES, cells[1:], strict=True)}
    return rows


TABLE = client_table()


def test_every_client_route_is_in_the_table():
    routes = {(m, p) for m, p in api_routes() if p.startswith("/api/v1/integrations/")}
    assert len(routes) == 9
    assert sorted(routes - set(TABLE)) == []
    assert sorted(set(TABLE) - routes) == []


def outcome(status: int) -> str:
    if 200 <= status < 300 or status in (409, 422):
        return "allowed"
    return "denied" if status in (401, 403, 404) else f"unexpected {status}"


@pytest.mark.parametrize(("method", "route"), sorted(TABLE), ids=[f"{m} {r}" for m, r in sorted(TABLE)])
def test_the_client_route_answers_each_scope_as_the_table_says(world, client, method, route):
    application, _ = cases.submit_application(
        actor=world.denied,
        service=world.bansos,
        applicant=world.denied,
        form=dict(world.forms[demo.DENIED_NIK]),
    )
    values = {"application_id": str(application.pk), "code": "3273", "regency_code": "3273"}
    path = route
    for name, value in values.items():
        path = path.replace(f"{{{name}}}", value)
    body = {
        "service": "bansos-pkh",
        "nik": demo.WARGA_NIK,
        "full_name": "Siti Nurhaliza",
        "form": dict(world.forms[demo.WARGA_NIK]),
        "consent_method": "tanda_tangan",
        "consent_statement": "Setuju.",
    }
    dukcapil = Agency.objects.get(slug="disdukcapil-kota-bandung")
    # A route of one complaint: the complaint filed by a client holding complaints:submit (its owner).
    owner_token = _token(client, world.bansos.agency, "owner", Scope.SUBMIT_COMPLAINTS)
    if "{reference}" in route:
        filed = client.post(
            "/api/v1/integrations/complaints", json.dumps(COMPLAINT), content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {owner_token}",
        )  # fmt: skip
        path = path.replace("{reference}", filed.json()["reference"])
    observed, expected = {}, {}
    for scope in SCOPES:
        cell = TABLE[(method, route)][scope]
        checks = [(scope, world.bansos.agency, "denied" if cell == "denied" else "allowed")]
        if cell == "agency":
            checks.append((f"{scope} (other agency)", dukcapil, "denied"))
        if cell == "own":
            checks.append((f"{scope} (other client)", world.bansos.agency, "denied"))
        for label, agency, wanted in checks:
            mine = cell == "own" and label == scope
            token = owner_token if mine else _token(client, agency, label, scope)
            auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
            if method == "GET":
                response = client.get(path, **auth)
            elif path.endswith(("/photos", "/documents")):  # a file, as multipart
                upload = (
                    ("foto.jpg", JPEG, "image/jpeg")
                    if path.endswith("/photos")
                    else ("surat.pdf", PDF, "application/pdf")
                )
                response = client.post(path, {"file": SimpleUploadedFile(*upload)}, **auth)
            else:
                response = client.post(path, json.dumps(body), content_type="application/json", **auth)
            observed[label] = f"{outcome(response.status_code)} ({response.status_code})"
            expected[label] = wanted
    assert {k: v.split(" ")[0] for k, v in observed.items()} == expected, observed


def _token(client, agency, name: str, scope: str) -> str:
    machine, secret = services.register_client(actor="system:test", agency=agency, name=name, scopes=[scope])
    return request_token(client, machine.client_id, secret).json()["access_token"]
