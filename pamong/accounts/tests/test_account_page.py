"""The citizen's account page (/akun/): download my data, who opened it and why, notification channels (the
phone number encrypted at rest), and the optional sign-in code."""

from __future__ import annotations

import pytest
from django.db import connection

from pamong.accounts.models import AccessLog, User
from pamong.audit.models import AuditEntry
from pamong.cases import services as cases
from pamong.notify.models import Preference

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(world):
    form = {**world.forms[world.niks.WARGA_NIK], "declared_regency_code": "3204"}  # REFER: for an officer
    application, _ = cases.submit_application(
        actor=world.warga, service=world.bansos, applicant=world.warga, form=form
    )
    return application


def test_opening_the_case_page_is_logged_and_shown_on_the_citizens_account_page(
    world, client_for, application
):
    assert client_for(world.petugas).get(f"/petugas/permohonan/{application.pk}/").status_code == 200
    entry = AccessLog.objects.get()
    assert (entry.actor, entry.citizen, entry.why) == (
        world.petugas,
        world.warga,
        "memeriksa permohonan (halaman petugas)",
    )
    html = client_for(world.warga).get("/akun/").content.decode()
    assert "<h1>Akun saya</h1>" in html
    assert 'href="/api/v1/me/data"' in html
    assert "petugas (petugas, Dinas Sosial Kota Bandung)" in html
    assert "memeriksa permohonan (halaman petugas)" in html
    assert "<script" not in html
    # The citizen's own visits to the status page are not "staff opened my data".
    client_for(world.warga).get(f"/permohonan/{application.pk}/")
    assert AccessLog.objects.count() == 1


def test_staff_reading_the_status_page_is_logged_too(world, client_for, application):
    client_for(world.supervisor).get(f"/permohonan/{application.pk}/")
    assert AccessLog.objects.get().actor == world.supervisor


def test_choosing_sms_stores_the_phone_encrypted_and_is_audited(world, client_for):
    client = client_for(world.warga)
    response = client.post("/akun/notifikasi/", {"channels": ["email", "sms"], "phone": "0812 3456 7890"})
    assert response.status_code == 302
    preference = Preference.objects.get(user=world.warga)
    assert (preference.channels, preference.phone) == (["email", "sms"], "+6281234567890")  # E.164
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM notify_preference")
        [(raw,)] = cursor.fetchall()
    assert raw.startswith("v1:") and "0812" not in raw
    entry = AuditEntry.objects.get(action="accounts.notification_channels_changed")
    assert "0812" not in entry.payload


def test_sms_without_a_phone_is_a_422_with_an_error_summary_and_changes_nothing(world, client_for):
    response = client_for(world.warga).post("/akun/notifikasi/", {"channels": ["sms"], "phone": ""})
    html = response.content.decode()
    assert response.status_code == 422
    assert "<title>Kesalahan: Akun saya · Pamong</title>" in html
    assert 'href="#id_phone"' in html and "SMS dan WhatsApp memerlukan nomor ponsel." in html
    assert not Preference.objects.filter(user=world.warga).exists()


def test_turning_on_the_sign_in_code_keeps_this_session_signed_in(world, client_for):
    client = client_for(world.warga)
    assert client.post("/akun/kode-masuk/", {"login_code_channel": "email"}).status_code == 302
    assert User.objects.get(pk=world.warga.pk).login_code_channel == "email"
    assert client.get("/akun/").status_code == 200
