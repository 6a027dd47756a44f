"""Data-subject rights: the citizen sees who opened their data and why, and downloads all of it."""

from __future__ import annotations

import json

import pytest

from pamong.accounts.models import AccessLog
from pamong.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def application_id(world, client_for):
    return (
        client_for(world.warga)
        .post(
            "/api/v1/applications",
            json.dumps({"service": "bansos-pkh", "form": world.forms[world.niks.WARGA_NIK]}),
            content_type="application/json",
        )
        .json()["id"]
    )


def test_staff_opening_an_application_is_logged_and_shown_to_the_citizen(world, client_for, application_id):
    client_for(world.warga).get(f"/api/v1/applications/{application_id}")
    assert AccessLog.objects.count() == 0  # reading one's own data is not an access by staff
    client_for(world.petugas).get(f"/api/v1/applications/{application_id}")
    entry = AccessLog.objects.get()
    assert (entry.actor, entry.citizen) == (world.petugas, world.warga)
    assert AuditEntry.objects.filter(action="accounts.personal_data_opened").count() == 1

    log = client_for(world.warga).get("/api/v1/me/access-log").json()
    assert log["count"] == 1
    item = log["items"][0]
    assert item["by"] == "petugas (petugas, Dinas Sosial Kota Bandung)"
    assert item["why"] == "memeriksa permohonan melalui API"
    assert item["what"].startswith("permohonan PMG-")


def test_the_citizen_downloads_all_their_data(world, client_for, application_id):
    client_for(world.petugas).get(f"/api/v1/applications/{application_id}")
    response = client_for(world.warga).get("/api/v1/me/data")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="data-pamong-saya.json"'
    data = json.loads(response.content)
    assert data["account"]["nik"] == world.niks.WARGA_NIK
    [application] = data["applications"]
    assert application["form"]["household_size"] == 5
    assert application["decisions"][0]["outcome"] == "GRANT"
    assert len(data["access_log"]) == 1
    assert data["notifications"][0]["subject"].startswith("Keputusan atas permohonan")


def test_the_export_holds_only_the_callers_data(world, client_for, application_id):
    data = json.loads(client_for(world.denied).get("/api/v1/me/data").content)
    assert data["account"]["nik"] == world.niks.DENIED_NIK
    assert data["applications"] == []
    assert world.niks.WARGA_NIK not in json.dumps(data)
