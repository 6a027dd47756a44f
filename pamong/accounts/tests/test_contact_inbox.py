"""Issue 15 on /akun/: an e-mail address and a phone number added with a one-time code (any usual Indonesian
spelling of the phone), and the inbox of notices, unread first, whose opening records the reading."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from pamong.accounts import services
from pamong.accounts.models import ContactCode
from pamong.audit.models import AuditEntry
from pamong.notify import services as notify
from pamong.notify.models import Notification, Preference

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


class SmsBox:
    sent: list = []

    def send(self, message):
        SmsBox.sent.append(message)


@pytest.fixture
def sms(settings):
    settings.NOTIFY_CHANNELS = {
        **settings.NOTIFY_CHANNELS,
        "sms": "pamong.accounts.tests.test_contact_inbox.SmsBox",
    }
    SmsBox.sent = []
    return SmsBox


def sent_code(body: str) -> str:
    return re.search(r"\b(\d{6})\b", body).group(1)


def test_an_e_mail_address_is_added_with_a_code(world, client_for, django_capture_on_commit_callbacks):
    client = client_for(world.warga)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/akun/kontak/", {"kind": "email", "value": "siti@contoh.id"})
    assert response.status_code == 302
    world.warga.refresh_from_db()
    assert world.warga.email == ""  # not before the code comes back
    assert mail.outbox[0].to == ["siti@contoh.id"]
    code = sent_code(mail.outbox[0].body)
    wrong = client.post("/akun/kontak/verifikasi/", {"code": "000000" if code != "000000" else "111111"})
    assert wrong.status_code == 422
    assert "Kode tidak benar atau sudah kedaluwarsa." in text(wrong)
    assert client.post("/akun/kontak/verifikasi/", {"code": code}).status_code == 302
    world.warga.refresh_from_db()
    assert world.warga.email == "siti@contoh.id"
    assert services.verified_contacts(world.warga) == {"email": True, "phone": False}
    assert AuditEntry.objects.filter(action="accounts.contact_verified").count() == 1
    # The sent code is wiped from the outbox once used, and never listed in the inbox.
    assert Notification.objects.get(template="contact_code").body == "(kode sekali pakai dihapus)"
    assert list(notify.inbox_of(world.warga)) == []
    assert "siti@contoh.id (terkonfirmasi)" in text(client.get("/akun/"))


@pytest.mark.parametrize("typed", ["+62 812-3456-7890", "0812 3456 7890"])
def test_a_phone_in_any_usual_spelling_is_added_with_a_code_in_e164(
    typed, world, client_for, sms, django_capture_on_commit_callbacks
):
    client = client_for(world.warga)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/akun/kontak/", {"kind": "phone", "value": typed}).status_code == 302
    [message] = sms.sent
    assert message.to == "+6281234567890"
    assert client.post("/akun/kontak/verifikasi/", {"code": sent_code(message.body)}).status_code == 302
    preference = Preference.objects.get(user=world.warga)
    assert preference.phone == "+6281234567890" and preference.phone_verified_at is not None
    assert services.verified_contacts(world.warga)["phone"] is True


def test_a_wrong_address_is_a_clear_422_and_nothing_is_sent(world, client_for):
    client = client_for(world.warga)
    response = client.post("/akun/kontak/", {"kind": "phone", "value": "12345"})
    assert response.status_code == 422
    assert "Tulis nomor ponsel yang benar, misalnya 0812 3456 7890." in text(response)
    assert ContactCode.objects.count() == 0 and Notification.objects.count() == 0
    response = client.post("/akun/kontak/", {"kind": "email", "value": "bukan-alamat"})
    assert response.status_code == 422 and ContactCode.objects.count() == 0


def test_five_wrong_codes_spend_the_code(world):
    contact = services.start_contact_verification(user=world.warga, kind="email", value="a@contoh.id")
    for _ in range(5):
        assert services.verify_contact(user=world.warga, code="999999x") is None
    contact.refresh_from_db()
    assert contact.used_at is not None and contact.verified_at is None


def test_the_channels_form_takes_the_phone_in_any_spelling(world, client_for):
    client = client_for(world.warga)
    response = client.post("/akun/notifikasi/", {"channels": ["sms"], "phone": "+62 812-3456-7890"})
    assert response.status_code == 302
    assert Preference.objects.get(user=world.warga).phone == "+6281234567890"


def test_the_inbox_lists_notices_unread_first_and_opening_one_records_reading(world, client_for):
    older, newer = (
        notify.notify_user(
            user=world.warga,
            template="decision_made",
            context={"reference": ref, "service": "PKH", "status": "dikabulkan", "url": "https://x.test/p/"},
        )[0]
        for ref in ("PMG-LAMA", "PMG-BARU")
    )
    client = client_for(world.warga)
    notify.mark_read(newer)
    page = text(client.get("/akun/pemberitahuan/"))
    assert page.index("PMG-LAMA") < page.index("PMG-BARU")  # unread first
    assert "(belum dibaca)" in page
    opened = client.get(f"/akun/pemberitahuan/{older.pk}/")
    assert opened.status_code == 200 and "PMG-LAMA" in text(opened)
    older.refresh_from_db()
    assert older.read_at is not None and older.notified_at == older.read_at
    # Another citizen's notice is a 404.
    assert client_for(world.denied).get(f"/akun/pemberitahuan/{older.pk}/").status_code == 404
    # The API lists the same notices with their delivery status.
    api = client_for(world.warga).get("/api/v1/me/notifications").json()
    assert [item["id"] for item in api["items"]] == [newer.pk, older.pk]  # both read now: newest first
    assert {item["status"] for item in api["items"]} == {"pending"}


def test_the_api_records_reading(world, client_for):
    [notice] = notify.notify_user(
        user=world.warga,
        template="decision_made",
        context={"reference": "PMG-1", "service": "PKH", "status": "dikabulkan", "url": "-"},
    )
    response = client_for(world.warga).post(f"/api/v1/me/notifications/{notice.pk}/read")
    assert response.status_code == 200 and response.json()["read_at"] is not None
    missing = client_for(world.denied).post(f"/api/v1/me/notifications/{notice.pk}/read")
    assert missing.status_code == 404 and missing.json()["code"] == "notification_not_found"
