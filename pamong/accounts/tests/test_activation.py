"""A citizen served at a counter gets an account without a password; the counter prints an activation code on
the proof of application, and the citizen chooses a password with it at /masuk/aktivasi/."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from pamong.accounts import twofactor
from pamong.accounts.models import LoginCode, User
from pamong.audit.models import AuditEntry
from pamong.cases.models import Application
from pamong.cases.tests.test_views import counter_post

NIK = "3273025203900009"
PASSWORD = "sawah-hijau-di-cihapit"


@pytest.fixture
def served(world, client_for):
    """Ratna was served at the counter: her account exists, without a password."""
    counter = client_for(world.loket)
    response = counter.post("/loket/ajukan/bansos-pkh/", counter_post(world))
    application = Application.objects.get()
    assert not application.applicant.has_usable_password()
    return counter, response["Location"], application.applicant


def _print_code(counter, receipt_url: str) -> str:
    receipt = counter.get(receipt_url).content.decode()
    assert "Cetak kode aktivasi" in receipt
    page = counter.post(receipt_url + "kode-aktivasi/")
    assert page.status_code == 200
    return re.search(r'<strong class="code">([0-9A-Z]{5}-[0-9A-Z]{5})</strong>', page.content.decode()).group(
        1
    )


def _activate(client: Client, code: str, nik: str = NIK, password: str = PASSWORD, again: str | None = None):
    data = {"nik": nik, "code": code, "password": password, "password_again": again or password}
    return client.post("/masuk/aktivasi/", data)


def test_the_printed_code_lets_the_citizen_choose_a_password_and_sign_in_with_the_nik(served):
    counter, receipt_url, ratna = served
    code = _print_code(counter, receipt_url)
    stored = LoginCode.objects.get(user=ratna, channel="counter")
    assert code not in stored.code_hash and stored.code_hash == twofactor.code_hash(ratna.pk, code)
    assert AuditEntry.objects.filter(
        action="accounts.activation_code_issued", subject=f"accounts.user:{ratna.pk}"
    )

    citizen = Client()
    response = _activate(citizen, code.lower().replace("-", " "))  # typed loosely: still the same code
    assert (response.status_code, response["Location"]) == (302, "/masuk/")
    ratna.refresh_from_db()
    assert ratna.check_password(PASSWORD)
    assert AuditEntry.objects.filter(action="accounts.account_claimed", subject=f"accounts.user:{ratna.pk}")
    signed_in = citizen.post("/masuk/", {"username": NIK, "password": PASSWORD})
    assert signed_in.status_code == 302 and citizen.get("/permohonan/").status_code == 200

    again = _activate(Client(), code, password="lain-lagi-kata-sandinya")  # a used code opens nothing
    assert again.status_code == 422 and "tidak cocok" in again.content.decode()
    ratna.refresh_from_db()
    assert ratna.check_password(PASSWORD)
    assert "Cetak kode aktivasi" not in counter.get(receipt_url).content.decode()  # active: nothing to print


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"nik": "3273094108870002"}, "code", "NIK dan kode aktivasi tidak cocok"),  # someone else's NIK
        ({"nik": "9999999999999999"}, "code", "NIK dan kode aktivasi tidak cocok"),
        ({"code": "00000-00000"}, "code", "NIK dan kode aktivasi tidak cocok"),
        ({"password": "12345678"}, "password", "Kata sandi"),
        ({"again": "bukan-yang-sama-sama"}, "password_again", "Kedua kata sandi tidak sama."),
    ],
)
def test_every_mismatch_is_a_clear_422_and_changes_nothing(served, change, field, message):
    counter, receipt_url, ratna = served
    code = _print_code(counter, receipt_url)
    args = {"code": code, **change}
    response = _activate(Client(), **args)
    html = response.content.decode()
    assert response.status_code == 422 and message in html
    assert f'href="#id_{field}"' in html  # the error summary links to the field
    ratna.refresh_from_db()
    assert not ratna.has_usable_password()


def test_five_wrong_codes_spend_the_code_and_a_new_one_replaces_the_old(served):
    counter, receipt_url, ratna = served
    code = _print_code(counter, receipt_url)
    for _ in range(5):
        assert _activate(Client(), "ZZZZZ-ZZZZZ").status_code == 422
    assert _activate(Client(), code).status_code == 422  # spent by the guessing
    first = _print_code(counter, receipt_url)
    second = _print_code(counter, receipt_url)
    assert _activate(Client(), first).status_code == 422  # replaced by the second
    assert _activate(Client(), second).status_code == 302
    ratna.refresh_from_db()
    assert ratna.check_password(PASSWORD)


def test_an_active_account_gets_no_code_and_login_codes_ignore_activation_codes(world, client_for, served):
    from pamong.accounts import services as accounts

    counter, receipt_url, ratna = served
    code = _print_code(counter, receipt_url)
    assert not accounts.verify_login_code(user=ratna, code=code)  # never a sign-in code
    assert LoginCode.objects.get(user=ratna).used_at is None
    application = Application.objects.get()
    application.applicant = world.warga  # Siti has a password
    application.save(update_fields=["applicant"])
    response = counter.post(receipt_url + "kode-aktivasi/", follow=True)
    assert "Akun ini sudah aktif" in response.content.decode()
    assert not LoginCode.objects.filter(user=world.warga).exists()


def test_activation_attempts_are_rate_limited_per_address(settings, served):
    settings.PAMONG_RATE_LIMITS = {**settings.PAMONG_RATE_LIMITS, "activation": "3/h"}
    client = Client()
    statuses = [_activate(client, "ZZZZZ-ZZZZZ").status_code for _ in range(4)]
    assert statuses == [422, 422, 422, 429]
    assert User.objects.get(pk=served[2].pk).has_usable_password() is False
