"""The outbox: chosen channels, delivery after commit, retries with exponential backoff, at least once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.notify import services
from pamong.notify.channels import DeliveryError
from pamong.notify.models import LetterTask, Notification

pytestmark = pytest.mark.django_db

CONTEXT = {"reference": "PMG-1", "service": "SKTM", "status": "sudah dikabulkan", "url": "/permohonan/1/"}


@pytest.fixture
def citizen():
    accounts.ensure_role_groups()
    user = accounts.create_account(actor=None, username="siti", password="x" * 12, role=roles.WARGA)
    user.email = "siti@contoh.id"
    user.save()
    return user


class FlakyChannel:
    failures_left = 0
    sent: list = []

    def send(self, message):
        if FlakyChannel.failures_left:
            FlakyChannel.failures_left -= 1
            raise DeliveryError("gateway answered 503")
        FlakyChannel.sent.append(message)


@pytest.fixture
def flaky_sms(settings):
    settings.NOTIFY_CHANNELS = {
        **settings.NOTIFY_CHANNELS,
        "sms": "pamong.notify.tests.test_services.FlakyChannel",
    }
    FlakyChannel.sent = []
    return FlakyChannel


def test_email_by_default_rendered_in_indonesian(citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = services.notify_user(user=citizen, template="decision_made", context=CONTEXT)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert mail.outbox[0].subject == "Keputusan atas permohonan PMG-1"
    assert "Permohonan SKTM Anda (PMG-1) sudah dikabulkan." in mail.outbox[0].body
    assert mail.outbox[0].to == ["siti@contoh.id"]


def test_nothing_is_sent_before_commit(citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notify_user(user=citizen, template="decision_made", context=CONTEXT)
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_the_citizen_chooses_channels(citizen, flaky_sms, django_capture_on_commit_callbacks):
    services.set_preference(user=citizen, channels=["sms", "email"], phone="081234567890")
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = services.notify_user(user=citizen, template="decision_made", context=CONTEXT)
    notification.refresh_from_db()
    # One notice, on the first chosen channel that works; the others stay as fallbacks.
    assert (notification.channel, notification.status, notification.fallbacks) == (
        "sms",
        "sent",
        ["email", "whatsapp"],
    )
    assert flaky_sms.sent[0].to == "+6281234567890"
    assert mail.outbox == []
    with pytest.raises(ValueError, match="unknown or no channels"):
        services.set_preference(user=citizen, channels=["merpati"])


def test_failed_delivery_is_retried_with_backoff_then_delivered(citizen, flaky_sms):
    services.set_preference(user=citizen, channels=["sms"], phone="081234567890")
    flaky_sms.failures_left = 2
    [notification] = services.notify_user(user=citizen, template="decision_made", context=CONTEXT)
    started = timezone.now()
    assert services.deliver(notification_id=notification.pk) == "pending"
    notification.refresh_from_db()
    assert (notification.attempts, notification.last_error) == (1, "gateway answered 503")
    first_delay = notification.next_attempt_at - started
    assert dt.timedelta(seconds=59) < first_delay < dt.timedelta(seconds=65)
    # Not due yet: a second call does nothing.
    assert services.deliver(notification_id=notification.pk) == "pending"
    assert Notification.objects.get(pk=notification.pk).attempts == 1
    Notification.objects.filter(pk=notification.pk).update(next_attempt_at=started)
    assert services.deliver(notification_id=notification.pk) == "pending"
    notification.refresh_from_db()
    second_delay = notification.next_attempt_at - timezone.now()
    assert dt.timedelta(seconds=115) < second_delay < dt.timedelta(seconds=121)  # doubled
    Notification.objects.filter(pk=notification.pk).update(next_attempt_at=started)
    assert services.deliver_due() == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, len(flaky_sms.sent)) == ("sent", 3, 1)
    assert services.deliver(notification_id=notification.pk) == "sent"  # delivering twice sends nothing more
    assert len(flaky_sms.sent) == 1


def test_after_the_maximum_attempts_the_next_channel_is_tried(citizen, flaky_sms, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 2
    services.set_preference(user=citizen, channels=["sms"], phone="081234567890")
    flaky_sms.failures_left = 5
    [notification] = services.notify_user(user=citizen, template="decision_made", context=CONTEXT)
    services.deliver(notification_id=notification.pk)
    Notification.objects.filter(pk=notification.pk).update(next_attempt_at=timezone.now())
    # SMS failed twice; WhatsApp is not configured (skipped at once); e-mail delivers.
    assert services.deliver(notification_id=notification.pk) == "sent"
    notification.refresh_from_db()
    assert notification.channel == "email" and mail.outbox[0].to == ["siti@contoh.id"]
    assert [(a["channel"], a["error"]) for a in notification.attempt_log] == [
        ("sms", "gateway answered 503"),
        ("sms", "gateway answered 503"),
        ("whatsapp", "NOTIFY_WHATSAPP_GATEWAY_URL is not configured"),
        ("email", ""),
    ]
    assert notification.notified_at == notification.sent_at


def test_a_code_for_one_channel_gives_up_after_the_maximum_attempts(citizen, flaky_sms, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 2
    services.set_preference(user=citizen, channels=["sms"], phone="081234567890")
    flaky_sms.failures_left = 5
    [notification] = services.notify_user(
        user=citizen, template="login_code", context={"code": "123456", "minutes": 5}, channels=["sms"]
    )
    services.deliver(notification_id=notification.pk)
    Notification.objects.filter(pk=notification.pk).update(next_attempt_at=timezone.now())
    assert services.deliver(notification_id=notification.pk) == "failed"
    assert LetterTask.objects.count() == 0


def test_unconfigured_gateway_is_a_recorded_failure_not_a_crash(citizen, settings):
    settings.NOTIFY_WHATSAPP_GATEWAY_URL = ""
    services.set_preference(user=citizen, channels=["whatsapp"], phone="081234567890")
    [notification] = services.notify_user(
        user=citizen, template="decision_made", context=CONTEXT, channels=["whatsapp"]
    )
    services.deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.last_error == "NOTIFY_WHATSAPP_GATEWAY_URL is not configured"
    assert notification.status == "failed"


def test_sms_goes_to_the_gateway_over_http(citizen, settings):
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    received = []

    class Gateway(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            received.append((self.headers["Authorization"], json.loads(self.rfile.read(length))))
            self.send_response(202)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Gateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings.NOTIFY_SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/kirim"
        settings.NOTIFY_SMS_GATEWAY_TOKEN = "rahasia"
        services.set_preference(user=citizen, channels=["sms"], phone="081234567890")
        [notification] = services.notify_user(user=citizen, template="decision_made", context=CONTEXT)
        assert services.deliver(notification_id=notification.pk) == "sent"
    finally:
        server.shutdown()
    [(authorization, body)] = received
    assert authorization == "Bearer rahasia"
    assert body["to"] == "+6281234567890"
    assert body["text"].startswith("Keputusan atas permohonan PMG-1\nPermohonan SKTM Anda (PMG-1)")


def test_what_a_notification_says_is_encrypted_at_rest(citizen, django_capture_on_commit_callbacks):
    from django.db import connection

    with django_capture_on_commit_callbacks(execute=True):
        services.notify_user(user=citizen, template="decision_made", context=CONTEXT)
    notification = Notification.objects.get()
    assert "PMG-1" in notification.body and notification.context == CONTEXT
    with connection.cursor() as cursor:
        cursor.execute("SELECT subject, body, context FROM notify_notification")
        stored = cursor.fetchone()
    assert all(str(value).startswith("v1:dev:") for value in stored)
    assert not any("PMG-1" in str(value) or "SKTM" in str(value) for value in stored)


def test_a_phone_is_found_by_its_blind_index_in_any_spelling(citizen):
    services.set_preference(user=citizen, channels=["sms"], phone="0812 3456 7890")
    stored = Notification._meta.apps.get_model("notify", "Preference").objects.get(user=citizen)
    assert stored.phone_index == services.phone_key("+62 812-3456-7890") == services.phone_key("081234567890")
    assert "81234567890" not in stored.phone_index
