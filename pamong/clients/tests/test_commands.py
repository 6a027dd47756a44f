"""pamong clients create: a client of an agency with its scopes; the secret printed once works at the token
endpoint; a wrong agency or scope names the option."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from pamong.clients.models import ApiClient

from .conftest import request_token

pytestmark = pytest.mark.django_db


def test_create_prints_a_secret_that_gets_a_token(world, client):
    out = io.StringIO()
    call_command(
        "clients_create",
        agency="dinsos-kota-bandung",
        name="Kios MPP",
        scope=["applications:read"],
        stdout=out,
    )

    lines = dict(line.split(": ", 1) for line in out.getvalue().splitlines() if ": " in line)
    stored = ApiClient.objects.get()
    assert (lines["client_id"], lines["scopes"]) == (stored.client_id, "applications:read")
    assert (stored.agency.slug, stored.name) == ("dinsos-kota-bandung", "Kios MPP")
    token = request_token(client, lines["client_id"], lines["client_secret"])
    assert (token.status_code, token.json()["scope"]) == (200, "applications:read")


def test_an_unknown_agency_names_the_option(world):
    with pytest.raises(CommandError, match="--agency: no agency with slug 'dinas-tidak-ada'"):
        call_command("clients_create", agency="dinas-tidak-ada", name="X", scope=["applications:read"])
    with pytest.raises(CommandError, match="invalid_rate_limit"):
        call_command(
            "clients_create",
            agency="dinsos-kota-bandung",
            name="X",
            scope=["applications:read"],
            rate="banyak",
        )
    assert ApiClient.objects.count() == 0
