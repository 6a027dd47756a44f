"""Schemathesis over /api/openapi.json: generated requests (valid and invalid, in every content type the schema
declares) to every operation, anonymous and signed in (an officer and a citizen, with a valid CSRF token so
writes reach the body parser), never get a 5xx, and every response matches the schema (status code documented,
body of the declared shape). test_content_types.py sends every operation the content types it does not take."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from pamong.accounts import roles, twofactor
from pamong.accounts import services as accounts
from pamong.catalog import services as catalog
from pamong.catalog.models import Agency
from pamong.clients import services as clients
from pamong.clients.models import Scope
from pamong.wsgi import application


@pytest.fixture
def api_schema(db, packs_root):
    catalog.load_packs(root=packs_root)
    # As Django's test client does: keep the test transaction's connection open across WSGI requests.
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def officer_cookie(db) -> str:
    accounts.ensure_role_groups()
    officer = accounts.create_account(
        actor=None,
        username="petugas-fuzz",
        password="x" * 16,
        role=roles.PETUGAS,
        agency=Agency.objects.get(slug="dinsos-kota-bandung"),
        nik="3273094108870002",
    )
    return cookie_for(officer)


CSRF = "c" * 32


def cookie_for(user) -> str:
    client = Client()
    client.force_login(user)
    session = client.session
    twofactor.mark_verified(session, user)  # staff pass their second factor, or the API sees a stranger
    session.save()
    return f"sessionid={client.cookies['sessionid'].value}; csrftoken={CSRF}"


@pytest.fixture
def citizen_cookie(db, officer_cookie) -> str:
    citizen = accounts.create_account(
        actor=None, username="warga-fuzz", password="x" * 16, role=roles.WARGA, nik="3273091503840001"
    )
    return cookie_for(citizen)


@pytest.fixture
def client_token(api_schema) -> str:
    """A bearer token of a machine client of Dinas Sosial with every scope, from the real token endpoint (after
    api_schema: the packs are loaded and the request keeps the test transaction's connection open)."""
    machine, secret = clients.register_client(
        actor="system:test",
        agency=Agency.objects.get(slug="dinsos-kota-bandung"),
        name="Kios uji",
        scopes=list(Scope.values),
        rate_limit="100000/m",
    )
    response = Client().post(
        "/oauth/token/",
        {"grant_type": "client_credentials", "client_id": machine.client_id, "client_secret": secret},
    )
    assert response.status_code == 200, response.content
    # Django's test client connected close_old_connections again after its request: undo it, as api_schema does.
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    return response.json()["access_token"]


schema = schemathesis.pytest.from_fixture("api_schema")
FUZZ = settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
# Cross-field rules (0 <= from <= to <= log size; a service slug that exists) cannot be written in OpenAPI, so
# schema-valid input may rightly get a 4xx: that one check is left out, every other check runs.
EXCLUDED = [positive_data_acceptance]


@pytest.mark.django_db
@schema.parametrize()
@FUZZ
def test_anonymous_requests_never_fail_and_match_the_schema(case):
    case.call_and_validate(excluded_checks=EXCLUDED)


@pytest.mark.django_db
@schema.parametrize()
@FUZZ
def test_signed_in_requests_never_fail_and_match_the_schema(case, officer_cookie):
    case.call_and_validate(headers={"Cookie": officer_cookie, "X-CSRFToken": CSRF}, excluded_checks=EXCLUDED)


@pytest.mark.django_db
@schema.parametrize()
@FUZZ
def test_machine_client_requests_never_fail_and_match_the_schema(case, client_token):
    case.call_and_validate(headers=bearer_unless_mutated(case, client_token), excluded_checks=EXCLUDED)


def bearer_unless_mutated(case, token: str) -> dict[str, str]:
    """The client's token, unless this negative case is about the Authorization header itself (left out or
    garbled): then it goes as generated and must be refused. Adding the token back would undo the mutation and
    leave a request that is only unknown query parameters, which the API rightly ignores."""
    data = case.meta.phase.data if case.meta else None
    mutated = {mutation.parameter for mutation in getattr(data, "mutations", ())}
    if "Authorization" in mutated | {getattr(data, "parameter", None)}:
        return {}
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.django_db
@schema.parametrize()
@FUZZ
def test_a_citizens_requests_never_fail_and_match_the_schema(case, citizen_cookie):
    case.call_and_validate(headers={"Cookie": citizen_cookie, "X-CSRFToken": CSRF}, excluded_checks=EXCLUDED)
