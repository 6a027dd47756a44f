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


def test_login_codes_never_accept_an_activation_code(served):
    from pamong.accounts import services as accounts

    counter, receipt_url, ratna = served
    code = _print_code(counter, receipt_url)
    assert not accounts.verify_login_code(user=ratna, code=code)
    assert LoginCode.objects.get(user=ratna).used_at is None


def test_a_forgotten_password_is_replaced_with_a_code_from_the_counter_and_the_citizen_is_told(
    world, client_for
):
    from pamong.accounts.models import AccessLog
    from pamong.conftest import PASSWORD as OLD
    from pamong.notify.models import Notification

    counter = client_for(world.loket)
    siti_nik = world.niks.WARGA_NIK
    refused = counter.post("/loket/warga/", {"nik": siti_nik})
    assert refused.status_code == 422 and "Periksa KTP warga lebih dulu" in refused.content.decode()
    assert not LoginCode.objects.exists()

    page = counter.post("/loket/warga/", {"nik": siti_nik, "ktp_checked": "ya"})
    html = page.content.decode()
    code = re.search(r'<strong class="code">([0-9A-Z]{5}-[0-9A-Z]{5})</strong>', html).group(1)
    assert f"<strong>{world.warga.username}</strong>" in html  # the officer sees whose account it is
    assert AccessLog.objects.filter(citizen=world.warga, actor=world.loket).exists()  # she can see who looked
    told = Notification.objects.get(recipient=world.warga, template="activation_code_issued")
    assert "loket" in told.body and code not in told.body  # told, without the code itself
    entry = AuditEntry.objects.get(action="accounts.activation_code_issued")
    assert entry.data == {"replaces_password": True}

    siti = Client()
    siti.force_login(world.warga)
    assert _activate(Client(), code, nik=siti_nik).status_code == 302
    world.warga.refresh_from_db()
    assert world.warga.check_password(PASSWORD) and not world.warga.check_password(OLD)
    assert siti.get("/permohonan/")["Location"].startswith("/masuk/")  # her old sessions ended


@pytest.mark.parametrize(
    ("nik", "message"),
    [
        ("123", "NIK harus terdiri dari 16 angka"),
        ("3273025203900009", "Belum ada akun Pamong untuk NIK ini"),  # a real NIK without an account
    ],
)
def test_the_counter_lookup_explains_a_wrong_or_unknown_nik(world, client_for, nik, message):
    response = client_for(world.loket).post("/loket/warga/", {"nik": nik, "ktp_checked": "ya"})
    assert response.status_code == 422 and message in response.content.decode()
    assert not LoginCode.objects.exists()


def test_activation_attempts_are_rate_limited_per_address(settings, served):
    settings.PAMONG_RATE_LIMITS = {**settings.PAMONG_RATE_LIMITS, "activation": "3/h"}
    client = Client()
    statuses = [_activate(client, "ZZZZZ-ZZZZZ").status_code for _ in range(4)]
    assert statuses == [422, 422, 422, 429]
    assert User.objects.get(pk=served[2].pk).has_usable_password() is False


def test_a_weak_password_gets_the_same_answer_whether_or_not_the_nik_has_an_account(served):
    def summary(nik: str) -> str:
        response = _activate(Client(), "ZZZZZ-ZZZZZ", nik=nik, password="12345678")
        assert response.status_code == 422
        return re.search(r'<div class="error-summary".*?</div>', response.content.decode(), re.S).group(0)

    with_account, without_account = summary(NIK), summary("3204050101900001")
    assert "Kata sandi" in with_account and with_account == without_account
