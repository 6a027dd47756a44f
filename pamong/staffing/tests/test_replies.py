"""Acknowledging an urgent notice by answering it (issue 17, point 3): the gateway's signed webhook maps "OK",
"1", "ya" from a staff member's phone or e-mail to their open darurat notice, acknowledges it (audited) and the
escalation stops; a forged or stale signature, an unknown reply or an unknown sender changes nothing."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest

from pamong.audit.models import AuditEntry
from pamong.core import gateway
from pamong.notify.services import set_preference
from pamong.staffing import routing
from pamong.staffing.models import StaffNotice

from .conftest import WIB
from .test_routing import publish_rota, sent_to

SECRET = "rahasia-balasan-uji"
NIGHT = dt.datetime(2026, 11, 21, 2, 0, tzinfo=WIB)
ALERT = {"service": "Bansos", "rule_id": "R1", "region": "3204", "reason": "x", "automatic": True, "url": "/"}


def reply(client, body: dict, *, secret: str = SECRET, stamp: int | None = None):
    raw = json.dumps(body).encode()
    headers = gateway.signed_headers(secret, raw, stamp)
    return client.post("/api/v1/staffing/replies", raw, content_type="application/json", headers=headers)


def alert_on_duty(agency) -> None:
    routing.notify_on_duty(
        agency=agency, function="alerts", urgency="darurat", template="breaker_opened", context=ALERT
    )


@pytest.fixture
def alert(world, clock, analysts, settings):
    """02:00: the on-duty primary (with a phone on WhatsApp and an e-mail address) is alerted."""
    settings.PAMONG_STAFF_REPLY_SECRET = SECRET
    primary, backup = analysts
    primary.email = "analis.a@dinsos.example.id"
    primary.save(update_fields=["email"])
    set_preference(user=primary, channels=["whatsapp", "email"], phone="0812-3456-7890", phone_verified=True)
    publish_rota(world.petugas.agency, primary, backup, start=dt.datetime(2026, 11, 20, 16, 0, tzinfo=WIB))
    clock.set(NIGHT)
    alert_on_duty(world.petugas.agency)
    clock.set(NIGHT + dt.timedelta(minutes=3))
    return StaffNotice.objects.get(recipient=primary)


def acknowledgements():
    return AuditEntry.objects.filter(action="staffing.notice_acknowledged")


@pytest.mark.parametrize("text", ["OK", "ok.", "1", "Ya", "siap 👍"])
def test_ok_from_the_primarys_phone_acknowledges_and_stops_the_escalation(
    world, clock, analysts, alert, client, text
):
    primary, backup = analysts
    [message] = sent_to(primary)
    assert f'balas pesan ini dengan "OK {routing.reply_code(alert)}"' in message.body
    response = reply(client, {"from": "+62 812-3456-7890", "text": text, "channel": "whatsapp"})
    assert response.status_code == 200
    assert response.json()["code"] == "acknowledged" and response.json()["acknowledged"] is True
    assert "tidak akan diteruskan" in response.json()["reply"]
    alert.refresh_from_db()
    assert alert.status == "acknowledged" and alert.acknowledged_by == primary
    [entry] = acknowledgements()
    assert entry.actor == f"user:{primary.pk}" and entry.data["via"] == "reply:whatsapp"
    clock.set(NIGHT + dt.timedelta(minutes=20))
    assert routing.route_due()["escalated"] == 0
    assert sent_to(backup) == []


def test_an_e_mail_reply_quoting_the_message_acknowledges(analysts, alert, client):
    text = (
        "Ya, saya tangani.\n\nPada 21 Nov 2026 02.00, Pamong menulis:\n> Darurat: tandai sudah diterima ..."
    )
    response = reply(
        client, {"from": "Analis A <Analis.A@dinsos.example.id>", "text": text, "channel": "email"}
    )
    assert response.json()["code"] == "acknowledged"
    assert acknowledgements().get().data["via"] == "reply:email"


@pytest.mark.parametrize(
    ("secret", "stamp_offset"),
    [("rahasia-palsu", 0), (SECRET, -301)],  # forged with another secret; a replay older than five minutes
)
def test_a_forged_or_stale_signature_is_refused_and_changes_nothing(
    clock, analysts, alert, client, secret, stamp_offset
):
    response = reply(
        client, {"from": "+6281234567890", "text": "OK"}, secret=secret, stamp=int(time.time()) + stamp_offset
    )
    assert response.status_code == 401 and response.json()["code"] == "bad_signature"
    alert.refresh_from_db()
    assert alert.acknowledged_at is None and not acknowledgements().exists()
    clock.set(NIGHT + dt.timedelta(minutes=15))
    assert routing.route_due()["escalated"] == 1  # the backup is called as if nothing had come


def test_a_body_changed_after_signing_is_refused(alert, client):
    raw = json.dumps({"from": "+6281234567890", "text": "apa ini"}).encode()
    stamp = int(time.time())
    response = client.post(
        "/api/v1/staffing/replies",
        json.dumps({"from": "+6281234567890", "text": "OK"}),
        content_type="application/json",
        headers={"X-Pamong-Timestamp": str(stamp), "X-Pamong-Signature": gateway.sign(SECRET, stamp, raw)},
    )
    assert response.status_code == 401
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_an_unknown_reply_or_sender_acknowledges_nothing_and_the_backup_is_called(clock, alert, client):
    unknown = reply(client, {"from": "+6281234567890", "text": "apa maksudnya?"})
    assert unknown.status_code == 200
    assert unknown.json() == {
        "code": "reply_not_understood",
        "acknowledged": False,
        "reply": 'Balasan tidak dipahami. Untuk menandai pemberitahuan darurat sudah diterima, balas "OK" atau '
        "gunakan tautan di dalamnya.",
    }
    stranger = reply(client, {"from": "+6285299990000", "text": "OK"})
    assert stranger.json()["code"] == "unknown_sender" and stranger.json()["acknowledged"] is False
    assert not acknowledgements().exists()
    clock.set(NIGHT + dt.timedelta(minutes=15))
    assert routing.route_due()["escalated"] == 1  # neither answer stopped the chain: the backup is called
    wrong_code = reply(client, {"from": "+6281234567890", "text": "OK 99999"})  # not four digits: plain OK
    assert wrong_code.json()["code"] == "acknowledged"  # the only open notice
    assert reply(client, {"from": "+6281234567890", "text": "OK"}).json()["code"] == "nothing_to_acknowledge"
    assert acknowledgements().count() == 1


def test_with_two_open_alerts_the_reply_must_name_one_by_its_code(world, clock, analysts, alert, client):
    primary, _backup = analysts
    alert_on_duty(world.petugas.agency)
    second = StaffNotice.objects.filter(recipient=primary).exclude(pk=alert.pk).get()
    while routing.reply_code(second) == routing.reply_code(alert):  # 1 in 10,000: draw the token again
        second.token = StaffNotice._meta.get_field("token").default()
        second.save(update_fields=["token"])
    ambiguous = reply(client, {"from": "+6281234567890", "text": "OK"})
    assert ambiguous.json()["code"] == "which_notice"
    assert routing.reply_code(alert) in ambiguous.json()["reply"]
    assert not acknowledgements().exists()
    named = reply(client, {"from": "+6281234567890", "text": f"ok {routing.reply_code(second)}"})
    assert named.json()["code"] == "acknowledged"
    second.refresh_from_db()
    alert.refresh_from_db()
    assert second.acknowledged_at is not None and alert.acknowledged_at is None


def test_without_a_secret_the_webhook_does_not_exist(alert, client, settings):
    settings.PAMONG_STAFF_REPLY_SECRET = ""
    assert reply(client, {"from": "+6281234567890", "text": "OK"}).status_code == 404


def test_a_malformed_body_is_a_422(alert, client):
    response = reply(client, {"from": "+6281234567890", "text": "  "})
    assert response.status_code == 422 and response.json()["code"] == "invalid_message"
