"""The API for machine clients: scopes, the agency boundary, submitting on behalf with consent, reading status
and registers, and the per-client rate limit."""

from __future__ import annotations

import json

import pytest

from pamong.accounts.models import User
from pamong.audit.models import AuditEntry
from pamong.cases import services as cases
from pamong.cases.models import Application
from pamong.clients import services
from pamong.clients.models import Scope
from pamong.registry import demo

pytestmark = pytest.mark.django_db

SUBMIT = "/api/v1/integrations/applications"


def on_behalf(world, nik=demo.WARGA_NIK, **changes):
    return {
        "service": "bansos-pkh",
        "nik": nik,
        "full_name": "Siti Nurhaliza",
        "form": dict(world.forms[demo.WARGA_NIK]),
        "consent_method": "tanda_tangan",
        "consent_statement": "Saya setuju Kios MPP mengajukan PKH atas nama saya.",
        **changes,
    }


def post(http, path, body, token, **headers):
    return http.post(
        path,
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        **headers,
    )


def get(http, path, token):
    return http.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_client_submits_on_behalf_of_a_citizen_with_consent_recorded(world, machines, token_for, client):
    token = token_for(machines.full)

    response = post(client, SUBMIT, on_behalf(world), token, HTTP_IDEMPOTENCY_KEY="kios-0001")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["channel"], body["service"]) == ("granted", "api", "bansos-pkh")
    assert body["decision"]["outcome"] == "GRANT"
    application = Application.objects.get(pk=body["id"])
    assert application.applicant == world.warga
    consent = dict(application.consent)
    assert consent.pop("recorded_at")
    assert consent == {
        "given": True,
        "method": "tanda_tangan",
        "statement": "Saya setuju Kios MPP mengajukan PKH atas nama saya.",
        "recorded_by_client": machines.full.client_id,
    }
    submitted = AuditEntry.objects.get(
        action="cases.application_submitted", subject=f"cases.application:{body['id']}"
    )
    assert submitted.actor == f"client:{machines.full.client_id}"
    # A retry with the same key answers with the same application and files nothing new.
    again = post(client, SUBMIT, on_behalf(world), token, HTTP_IDEMPOTENCY_KEY="kios-0001")
    assert (again.status_code, again.json()["id"]) == (200, body["id"])
    assert Application.objects.count() == 1


def test_without_a_consent_statement_nothing_is_filed(world, machines, token_for, client):
    token = token_for(machines.full)
    users, entries = User.objects.count(), AuditEntry.objects.count()

    response = post(client, SUBMIT, on_behalf(world, consent_statement="   "), token)

    assert response.status_code == 422
    assert (response.json()["code"], list(response.json()["details"])) == (
        "form_invalid",
        ["consent_statement"],
    )
    assert (Application.objects.count(), User.objects.count(), AuditEntry.objects.count()) == (
        0,
        users,
        entries,
    )


def test_an_invalid_form_for_a_new_citizen_leaves_no_account_behind(world, machines, token_for, client):
    token = token_for(machines.full)
    users, entries = User.objects.count(), AuditEntry.objects.count()

    response = post(client, SUBMIT, on_behalf(world, nik=demo.UNREGISTERED_NIK, form={}), token)

    assert response.status_code == 422
    assert response.json()["code"] == "form_invalid"
    assert (Application.objects.count(), User.objects.count(), AuditEntry.objects.count()) == (
        0,
        users,
        entries,
    )


def test_a_read_status_only_client_cannot_submit(world, machines, token_for, client):
    token = token_for(machines.reader)
    users, entries = User.objects.count(), AuditEntry.objects.count()

    response = post(client, SUBMIT, on_behalf(world), token)

    assert response.status_code == 403
    assert response.json() == {
        "code": "insufficient_scope",
        "message": "Token klien ini tidak memiliki cakupan applications:submit.",
    }
    assert (Application.objects.count(), User.objects.count(), AuditEntry.objects.count()) == (
        0,
        users,
        entries,
    )


def test_a_token_asked_with_fewer_scopes_is_held_to_them(world, machines, token_for, client):
    token = token_for(machines.full, scope="registers:read")
    assert post(client, SUBMIT, on_behalf(world), token).status_code == 403
    assert get(client, "/api/v1/integrations/registers/regions/32.73", token).status_code == 200


@pytest.mark.parametrize("authorization", ["", "Bearer not-a-token", "Basic abc"])
def test_without_a_valid_token_the_answer_is_401_in_the_error_shape(world, machines, client, authorization):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    response = client.post(SUBMIT, json.dumps(on_behalf(world)), content_type="application/json", **headers)
    assert response.status_code == 401
    assert response.json() == {"code": "unauthenticated", "message": "Silakan masuk terlebih dahulu."}
    assert Application.objects.count() == 0


def test_a_session_does_not_open_the_client_api(world, client):
    client.force_login(world.petugas)
    assert client.get(f"/api/v1/integrations/applications/{'0' * 32}").status_code == 401


def test_a_client_reads_the_status_of_its_agencys_application(world, machines, token_for, client):
    application, _ = cases.submit_application(
        actor=world.denied,
        service=world.bansos,
        applicant=world.denied,
        form=dict(world.forms[demo.DENIED_NIK]),
    )
    token = token_for(machines.reader)

    response = get(client, f"/api/v1/integrations/applications/{application.pk}", token)

    assert response.status_code == 200
    body = response.json()
    assert (body["reference"], body["status"], body["decision"]) == (
        application.reference,
        "under_review",
        None,
    )
    assert body["status_text"] == "sedang diperiksa petugas"
    assert "form" not in body  # status only: no personal data


def test_a_client_of_agency_a_cannot_touch_agency_bs_applications(world, machines, token_for, client):
    application, _ = cases.submit_application(
        actor=world.warga, service=world.bansos, applicant=world.warga, form=dict(world.forms[demo.WARGA_NIK])
    )
    token = token_for(machines.other)  # Disdukcapil; bansos-pkh is Dinas Sosial's
    users, entries = User.objects.count(), AuditEntry.objects.count()

    read = get(client, f"/api/v1/integrations/applications/{application.pk}", token)
    missing = get(client, "/api/v1/integrations/applications/00000000-0000-0000-0000-000000000000", token)
    submit = post(client, SUBMIT, on_behalf(world), token)

    assert (read.status_code, read.json()) == (missing.status_code, missing.json())
    assert read.json()["code"] == "application_not_found"
    assert (submit.status_code, submit.json()["code"]) == (404, "service_not_found")
    assert Application.objects.count() == 1
    assert (User.objects.count(), AuditEntry.objects.count()) == (users, entries)


def test_registers_with_their_source(world, machines, token_for, client):
    token = token_for(machines.reader, scope="")
    assert get(client, "/api/v1/integrations/registers/regions/32.73", token).status_code == 403

    token = token_for(machines.full)
    region = get(client, "/api/v1/integrations/registers/regions/32.73", token).json()
    line = get(client, "/api/v1/integrations/registers/poverty-lines/3273?on=2026-02-01", token).json()

    assert (region["code"], region["name"], region["level"]) == ("3273", "Kota Bandung", "regency")
    assert region["dataset"]["name"] == "regions" and len(region["dataset"]["sha256"]) == 64
    assert (line["regency_code"], line["period"], line["effective_from"]) == ("3273", "2025-03", "2026-01-01")
    assert line["dataset"]["name"] == "poverty_lines"
    unknown = get(client, "/api/v1/integrations/registers/regions/99.99", token)
    assert (unknown.status_code, unknown.json()["code"]) == (404, "region_not_found")


def test_each_client_has_its_own_rate_limit(world, machines, token_for, client):
    limited, _ = services.register_client(
        actor="system:test",
        agency=world.bansos.agency,
        name="Kios kecil",
        scopes=[Scope.READ_REGISTERS],
        rate_limit="2/m",
    )
    machine = type(machines.full)(client=limited, client_id=limited.client_id, secret=_)
    token, other = token_for(machine), token_for(machines.full)
    path = "/api/v1/integrations/registers/regions/3273"

    answers = [get(client, path, token).status_code for _ in range(3)]
    refused = get(client, path, token)

    assert answers == [200, 200, 429]
    assert refused.json() == {
        "code": "too_many_requests",
        "message": "Terlalu banyak permintaan. Tunggu sebentar, lalu coba lagi.",
    }
    assert refused["Retry-After"] == "60"
    assert get(client, path, other).status_code == 200  # another client is counted on its own
