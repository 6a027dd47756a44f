"""OAuth 2.0 client credentials: a token for a valid client, none for a wrong secret, an unknown scope or a
deactivated client; every token issued is an audit entry."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken

from pamong.audit.models import AuditEntry
from pamong.clients.models import ApiClient
from pamong.clients.tasks import clear_expired_client_tokens

from .conftest import request_token

pytestmark = pytest.mark.django_db


def test_a_valid_client_gets_a_token_with_its_scopes_and_the_issue_is_audited(machines, client):
    before = AuditEntry.objects.count()

    response = request_token(client, machines.full.client_id, machines.full.secret)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert sorted(body["scope"].split()) == [
        "applications:read",
        "applications:submit",
        "complaints:submit",
        "registers:read",
    ]
    token = AccessToken.objects.get()
    assert token.application_id == machines.full.client.application_id
    [entry] = AuditEntry.objects.filter(index__gte=before)
    assert entry.action == "clients.token_issued"
    assert entry.actor == f"client:{machines.full.client_id}"
    assert entry.subject == f"clients.client:{machines.full.client.pk}"
    assert json.loads(entry.payload) == {
        "token": token.pk,
        "scopes": ["applications:read", "applications:submit", "complaints:submit", "registers:read"],
        "expires_in": 3600,
    }
    assert body["access_token"] not in entry.payload  # the token is named by its id, never by its value


def test_a_client_may_ask_for_fewer_scopes(machines, client):
    response = request_token(client, machines.full.client_id, machines.full.secret, scope="applications:read")
    assert response.status_code == 200
    assert response.json()["scope"] == "applications:read"


@pytest.mark.parametrize(
    ("case", "expected_status", "expected_error"),
    [("wrong secret", 401, "invalid_client"), ("scope not given", 400, "invalid_scope")],
)
def test_refused_token_requests_issue_nothing(machines, client, case, expected_status, expected_error):
    before = AuditEntry.objects.count()
    if case == "wrong secret":
        secret = machines.full.secret  # its last character changed (a secret ending in "x" once stayed right)
        response = request_token(
            client, machines.full.client_id, secret[:-1] + ("y" if secret[-1] == "x" else "x")
        )
    else:  # the read-only client asks for the submit scope
        response = request_token(
            client, machines.reader.client_id, machines.reader.secret, "applications:submit"
        )

    assert response.status_code == expected_status
    assert response.json()["error"] == expected_error
    assert AccessToken.objects.count() == 0
    assert AuditEntry.objects.count() == before


def test_a_deactivated_client_gets_no_token_and_its_tokens_stop_working(machines, client, token_for):
    token = token_for(machines.full)
    ApiClient.objects.filter(pk=machines.full.client.pk).update(active=False)

    refused = request_token(client, machines.full.client_id, machines.full.secret)
    status = client.get("/api/v1/integrations/registers/regions/3273", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert refused.status_code == 401
    assert refused.json()["error"] == "invalid_client"
    assert AccessToken.objects.count() == 1  # the one issued before
    assert status.status_code == 401
    assert status.json()["code"] == "unauthenticated"


def test_the_client_secret_is_stored_hashed(machines):
    stored = machines.full.client.application.client_secret
    assert stored != machines.full.secret
    assert stored.startswith(("pbkdf2_", "argon2", "md5$"))


def test_expired_tokens_are_cleared_by_the_hourly_job(machines, token_for):
    token_for(machines.full)
    live = token_for(machines.reader)
    AccessToken.objects.exclude(token=live).update(expires=timezone.now() - dt.timedelta(seconds=1))
    issued = AuditEntry.objects.filter(action="clients.token_issued").count()

    clear_expired_client_tokens.call_local()

    assert list(AccessToken.objects.values_list("token", flat=True)) == [live]
    assert AuditEntry.objects.filter(action="clients.token_issued").count() == issued == 2
