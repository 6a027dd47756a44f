"""Signing in: NIK or username and password, a citizen's optional one-time code, staff TOTP (enrolment on the
first sign-in, then every time), lockout after repeated failures, and the staff idle timeout."""

from __future__ import annotations

import time

import pyotp
import pytest

from pamong.accounts import roles, twofactor
from pamong.accounts import services as accounts
from pamong.accounts.models import LoginCode, TOTPDevice, User
from pamong.audit.models import AuditEntry
from pamong.notify.models import Notification

pytestmark = pytest.mark.django_db
PASSWORD = "uji-coba-pamong-2026"
NIK = "3273094108870002"


@pytest.fixture
def siti(db):
    accounts.ensure_role_groups()
    user = accounts.create_account(
        actor="system:test", username="siti", password=PASSWORD, role=roles.WARGA, nik=NIK, full_name="Siti N"
    )
    User.objects.filter(pk=user.pk).update(email="siti@example.id")
    user.refresh_from_db()
    return user


@pytest.fixture
def officer(world):
    return world.petugas


def signed_in_as(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def sign_in(client, username: str, password: str = PASSWORD, **extra):
    return client.post("/masuk/", {"username": username, "password": password, **extra})


# --- citizens -----------------------------------------------------------------------------------------------------


def test_a_citizen_signs_in_with_the_nik_even_typed_with_spaces(client, siti):
    response = sign_in(client, "3273 0941 0887 0002", next="/permohonan/")
    assert (response.status_code, response["Location"]) == (302, "/permohonan/")
    assert signed_in_as(client) == siti.pk
    assert client.get("/permohonan/").status_code == 200


def test_the_username_still_works_and_a_wrong_nik_is_the_same_error(client, siti):
    assert sign_in(client, "siti").status_code == 302
    client.logout()
    response = sign_in(client, "3273094108870099")
    assert response.status_code == 422
    assert "NIK atau nama pengguna dan kata sandi tidak cocok." in response.content.decode()


def test_a_citizen_who_chose_a_code_gets_one_by_email_and_it_works_once(client, siti):
    accounts.set_login_code_channel(user=siti, channel="email")
    response = sign_in(client, NIK)
    assert response["Location"] == "/masuk/verifikasi/"
    # Signed in with the password only: pages send to the second step, the API sees no one.
    assert client.get("/permohonan/")["Location"] == "/masuk/verifikasi/"
    assert client.get("/api/v1/me/data").status_code == 401
    [message] = Notification.objects.filter(template="login_code")
    code = message.body.split("Kode masuk Anda: ")[1][:6]
    assert (message.subject, message.channel) == ("Kode masuk Pamong", "email")
    stored = LoginCode.objects.get()
    assert code not in stored.code_hash and len(stored.code_hash) == 64
    page = client.get("/masuk/verifikasi/").content.decode()
    assert "Kami telah mengirim kode 6 angka" in page and 'autocomplete="one-time-code"' in page
    assert client.post("/masuk/verifikasi/", {"code": code}).status_code == 302
    assert client.get("/api/v1/me/data").status_code == 200
    # The message no longer holds the code, and the code cannot be used again.
    assert code not in Notification.objects.get(template="login_code").body
    client.logout()
    sign_in(client, NIK)
    assert client.post("/masuk/verifikasi/", {"code": code}).status_code == 422


def test_an_expired_code_is_refused(client, siti, settings):
    accounts.set_login_code_channel(user=siti, channel="email")
    sign_in(client, NIK)
    code = Notification.objects.get(template="login_code").body.split("Kode masuk Anda: ")[1][:6]
    LoginCode.objects.update(expires_at=LoginCode.objects.get().created_at)
    response = client.post("/masuk/verifikasi/", {"code": code})
    assert response.status_code == 422
    assert "Kode tidak benar atau sudah kedaluwarsa." in response.content.decode()
    assert client.get("/permohonan/").status_code == 302


def test_sms_codes_need_a_phone_number(siti):
    with pytest.raises(ValueError, match="phone"):
        accounts.set_login_code_channel(user=siti, channel="sms")
    accounts.set_notification_channels(user=siti, channels=["email", "sms"], phone="081234567890")
    accounts.set_login_code_channel(user=siti, channel="sms")
    assert AuditEntry.objects.filter(action="accounts.login_code_setting_changed").count() == 1


# --- staff: TOTP --------------------------------------------------------------------------------------------------


def _enrol(client) -> str:
    page = client.get("/masuk/autentikator/")
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "<script" not in html
    secret = TOTPDevice.objects.get().secret
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in html
    return secret


def test_staff_must_enrol_on_the_first_sign_in_and_are_refused_until_then(client, officer):
    response = sign_in(client, "petugas", next="/petugas/antrean/")
    assert response["Location"] == "/masuk/autentikator/"
    assert client.get("/petugas/antrean/")["Location"] == "/masuk/autentikator/"
    assert client.get("/api/v1/staff/queue").status_code == 401
    secret = _enrol(client)
    assert client.post("/masuk/autentikator/", {"code": "000000"}).status_code == 422
    response = client.post("/masuk/autentikator/", {"code": pyotp.TOTP(secret).now()})
    assert (response.status_code, response["Location"]) == (302, "/petugas/antrean/")
    assert client.get("/petugas/antrean/").status_code == 200
    assert client.get("/api/v1/staff/queue").status_code == 200
    assert AuditEntry.objects.filter(action="accounts.totp_enrolled").count() == 1
    # The secret is encrypted at rest.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM accounts_totpdevice")
        [(raw,)] = cursor.fetchall()
    assert raw.startswith("v1:") and secret not in raw


def test_staff_with_a_device_give_a_fresh_code_each_time(client, officer):
    device = accounts.start_totp_enrolment(user=officer)
    totp = pyotp.TOTP(device.secret)
    assert accounts.confirm_totp_device(user=officer, code=totp.at(time.time() - 30))
    response = sign_in(client, "petugas")
    assert response["Location"] == "/masuk/verifikasi/"
    assert client.get("/petugas/antrean/")["Location"] == "/masuk/verifikasi/"
    # The code already used at enrolment is refused (replay), the current one works.
    assert client.post("/masuk/verifikasi/", {"code": totp.at(time.time() - 30)}).status_code == 422
    assert client.post("/masuk/verifikasi/", {"code": totp.now()}).status_code == 302
    assert client.get("/petugas/antrean/").status_code == 200
    assert client.session.get_expire_at_browser_close()


def test_staff_are_signed_out_after_the_idle_time(client, officer, settings):
    client.force_login(officer)
    assert client.get("/petugas/antrean/").status_code == 200
    session = client.session
    session[twofactor.SESSION_SEEN] = int(time.time()) - settings.PAMONG_STAFF_IDLE_SECONDS - 1
    session.save()
    response = client.get("/petugas/antrean/")
    assert response["Location"] == "/masuk/?next=%2Fpetugas%2Fantrean%2F"
    assert signed_in_as(client) is None


# --- lockout ------------------------------------------------------------------------------------------------------


def test_repeated_failures_lock_the_account_from_every_address_with_an_indonesian_page(
    client, siti, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "siti", "salah-sekali").status_code == 422
    locked = sign_in(client, "siti", "salah-sekali")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Masuk dikunci sementara" in html and "15 menit" in html
    # Even the right password is refused while locked, and the lockout is in the audit log.
    assert sign_in(client, "siti").status_code == 429
    assert signed_in_as(client) is None
    assert AuditEntry.objects.filter(action="accounts.login_failed_locked").exists()
    # The account is locked, not the address: another address is refused too (issue 21).
    assert (
        client.post("/masuk/", {"username": "siti", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9").status_code
        == 429
    )


def test_wrong_second_factor_codes_count_towards_the_lockout(client, officer, settings):
    device = accounts.start_totp_enrolment(user=officer)
    accounts.confirm_totp_device(user=officer, code=pyotp.TOTP(device.secret).now())
    sign_in(client, "petugas")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post("/masuk/verifikasi/", {"code": "000000"}).status_code == 422
    assert client.post("/masuk/verifikasi/", {"code": "000000"}).status_code == 429
    assert signed_in_as(client) is None
