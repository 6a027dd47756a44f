"""Machine clients of Dinas Sosial (every scope; read-only) and of Disdukcapil, and a way to get their tokens."""

from __future__ import annotations

import base64
from types import SimpleNamespace

import pytest

from pamong.catalog.models import Agency
from pamong.clients import services
from pamong.clients.models import Scope


def basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def request_token(http, client_id: str, secret: str, scope: str = ""):
    data = {"grant_type": "client_credentials", **({"scope": scope} if scope else {})}
    return http.post("/oauth/token/", data, HTTP_AUTHORIZATION=basic(client_id, secret))


@pytest.fixture
def machines(world):
    dinsos = world.bansos.agency
    dukcapil = Agency.objects.get(slug="disdukcapil-kota-bandung")

    def make(name, agency, scopes, rate_limit=""):
        client, secret = services.register_client(
            actor="system:test", agency=agency, name=name, scopes=scopes, rate_limit=rate_limit
        )
        return SimpleNamespace(client=client, client_id=client.client_id, secret=secret)

    return SimpleNamespace(
        full=make("Kios MPP Dinsos", dinsos, list(Scope.values)),
        reader=make("Dasbor status Dinsos", dinsos, [Scope.READ_STATUS]),
        other=make("SIAK Disdukcapil", dukcapil, list(Scope.values)),
    )


@pytest.fixture
def token_for(client):
    """`token_for(machine)`: a fresh bearer token for that machine client (from the real token endpoint)."""

    def issue(machine, scope: str = "") -> str:
        response = request_token(client, machine.client_id, machine.secret, scope)
        assert response.status_code == 200, response.content
        return response.json()["access_token"]

    return issue
