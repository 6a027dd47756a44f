"""Citizens on their own (issue 20): self-registration checked against the population registry, then a one-time
code to the e-mail address or phone given; a forgotten password replaced with a code to the account's own channel.
One answer whether a NIK exists, matches or has an account; limited per address."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from pamong.accounts.models import LoginCode, User
from pamong.audit.models import AuditEntry
from pamong.notify import services as notify
from pamong.notify.models import Notification
from pamong.registry.demo import WARGA_HUSBAND_NIK, WARGA_KK, WARGA_NIK

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "sawah-hijau-di-cihapit"
DEDI = {  # the registry's Dedi Supriadi, Siti's husband, who has no account yet
    "nik": WARGA_HUSBAND_NIK,
    "kk_number": WARGA_KK,
    "full_name": "dedi  SUPRIADI",
    "birth_date": "1984-03-15",
    "email": "dedi@example.id",
    "phone": "",
}
SENT = "Bila data cocok dengan data kependudukan, kode aktivasi sedang dikirim"
RESET = "Bila NIK ini memiliki akun dengan kanal kontak, kode aktivasi sedang dikirim"


def answer(response) -> tuple[int, str, str]:
    """What the person sees after sending: the status, where they go, and the message there."""
    follow = response.client.get(response["Location"])
    flash = re.search(
        r"<div class=\"flash\" role=\"status\"><p>(.*?)</p>", follow.content.decode(), re.S
    ).group(1)
    return response.status_code, response["Location"], flash.strip()


def sent_code(user: User) -> str:
    notification = Notification.objects.get(recipient=user, template="activation_code_sent")
    return re.search(r"Kode aktivasi Anda: (\S+)", notification.body).group(1)


def activate(nik: str, code: str):
    return Client().post(
        "/masuk/aktivasi/",
        {"nik": nik, "code": code, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD},
    )


def test_a_citizen_registers_online_and_signs_in_with_the_code_sent(world):
    response = Client().post("/daftar/", DEDI)
    status, location, message = answer(response)
    assert (status, location) == (302, "/masuk/aktivasi/") and message.startswith(SENT)
    dedi = User.objects.get(nik_index__isnull=False, email="dedi@example.id")
    assert dedi.get_full_name() == "Dedi Supriadi"  # the registry's spelling, not the typed one
    assert dedi.has_usable_password() is False
    entry = AuditEntry.objects.filter(action="accounts.activation_code_issued").get()
    assert (entry.data["sent_by"], entry.data["purpose"]) == ("email", "registration")
    assert activate(WARGA_HUSBAND_NIK, sent_code(dedi))["Location"] == "/masuk/"
    dedi.refresh_from_db()
    assert dedi.check_password(NEW_PASSWORD)
    assert (
        "Kode aktivasi" not in Notification.objects.get(recipient=dedi, template="activation_code_sent").body
    )
    signed_in = Client().post("/masuk/", {"username": WARGA_HUSBAND_NIK, "password": NEW_PASSWORD})
    assert signed_in["Location"] == "/permohonan/"


@pytest.mark.parametrize(
    "change",
    [
        {"nik": "3273090101900001"},  # no such person
        {"kk_number": "3273090000000000"},  # another family card
        {"full_name": "Dedi Suprapto"},
        {"birth_date": "1984-03-16"},
        {
            "nik": WARGA_NIK,
            "full_name": "Siti Nurhaliza",
            "birth_date": "1987-08-01",
        },  # has an account already
    ],
)
def test_any_mismatch_gets_the_same_answer_and_sends_nothing(world, change):
    matched = answer(Client().post("/daftar/", DEDI))
    assert matched[2].startswith(SENT)
    before = (User.objects.count(), LoginCode.objects.count(), Notification.objects.count())
    entries = AuditEntry.objects.count()
    refused = answer(Client().post("/daftar/", DEDI | change))
    assert refused == matched
    assert (User.objects.count(), LoginCode.objects.count(), Notification.objects.count()) == before
    assert AuditEntry.objects.count() == entries
    assert world.warga.has_usable_password()


def test_a_forgotten_password_is_replaced_with_a_code_to_the_accounts_email(world):
    world.warga.email = "siti@example.id"
    world.warga.save()
    status, location, message = answer(Client().post("/masuk/lupa-kata-sandi/", {"nik": WARGA_NIK}))
    assert (status, location) == (302, "/masuk/aktivasi/") and message.startswith(RESET)
    notification = Notification.objects.get(recipient=world.warga, template="activation_code_sent")
    assert notification.channel == "email"
    assert notify.address_for(notification) == "siti@example.id"
    assert activate(WARGA_NIK, sent_code(world.warga)).status_code == 302
    world.warga.refresh_from_db()
    assert world.warga.check_password(NEW_PASSWORD)


def test_the_reset_answer_is_the_same_for_an_unknown_nik_or_an_account_without_a_channel(world):
    unknown = answer(Client().post("/masuk/lupa-kata-sandi/", {"nik": "3273090101900001"}))
    no_channel = answer(
        Client().post("/masuk/lupa-kata-sandi/", {"nik": WARGA_NIK})
    )  # Siti has no e-mail here
    assert unknown == no_channel and unknown[2].startswith(RESET)
    assert not Notification.objects.filter(template="activation_code_sent").exists()
    assert not LoginCode.objects.exists()


def test_self_service_requests_are_rate_limited_per_address(settings, world):
    settings.PAMONG_RATE_LIMITS = {**settings.PAMONG_RATE_LIMITS, "self_service": "2/h"}
    client = Client()
    statuses = [client.post("/masuk/lupa-kata-sandi/", {"nik": WARGA_NIK}).status_code for _ in range(2)]
    statuses.append(client.post("/daftar/", DEDI).status_code)
    assert statuses == [302, 302, 429]
    assert not User.objects.filter(email="dedi@example.id").exists()


def test_registration_needs_a_channel_and_well_formed_numbers(world):
    response = Client().post("/daftar/", DEDI | {"email": "", "nik": "12345", "birth_date": "kemarin"})
    html = response.content.decode()
    assert response.status_code == 422
    assert "Tulis 16 angka." in html
    assert "Berikan alamat e-mail atau nomor ponsel untuk kodenya." in html
    assert "Tulis tanggal seperti pada KTP Anda, misalnya 1987-08-01." in html
    assert not Notification.objects.exists()
