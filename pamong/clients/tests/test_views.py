"""The agency administrator's webhook pages: register (the secret shown once, on the answer only), the delivery
log, switching a subscriber off."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.catalog.models import Agency
from pamong.clients.models import WebhookSubscription
from pamong.notify import services as notify
from pamong.notify.models import WebhookAttempt

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(world):
    return accounts.create_account(
        actor="system:test",
        username="admin-dinsos",
        password="x" * 12,
        role=roles.ADMIN_INSTANSI,
        agency=world.bansos.agency,
    )


def test_registering_shows_the_secret_once_in_indonesian(admin, client):
    client.force_login(admin)

    response = client.post(
        "/instansi/webhook/",
        {"url": "https://sistem.dinsos.contoh.go.id/pamong", "events": ["application.decided"]},
    )

    assert response.status_code == 201
    subscription = WebhookSubscription.objects.get()
    page = response.content.decode()
    assert "Pelanggan terdaftar: salin rahasianya sekarang" in page
    assert subscription.secret in page
    assert list(get_messages(response.wsgi_request)) == []  # not kept anywhere to be shown again
    again = client.get("/instansi/webhook/").content.decode()
    assert subscription.secret not in again
    assert "https://sistem.dinsos.contoh.go.id/pamong" in again
    assert "Keputusan akhir telah dicatat" in again


def test_an_invalid_subscriber_is_refused_on_the_form(admin, client, settings):
    settings.PAMONG_WEBHOOK_ALLOW_HTTP = False
    client.force_login(admin)

    plain_http = client.post(
        "/instansi/webhook/", {"url": "http://sistem.contoh.go.id/x", "events": ["application.decided"]}
    )
    no_events = client.post("/instansi/webhook/", {"url": "https://sistem.contoh.go.id/x"})

    assert (plain_http.status_code, no_events.status_code) == (422, 422)
    assert (
        "Berikan alamat https:// dengan nama host, tanpa nama pengguna atau kata sandi."
        in plain_http.content.decode()
    )
    assert no_events.context["form"].errors == {"events": ["Bidang ini tidak boleh kosong."]}
    assert WebhookSubscription.objects.count() == 0


def test_the_delivery_log_and_switching_off(admin, client, world):
    subscription = WebhookSubscription.objects.create(
        agency=admin.agency,
        url="https://sistem.contoh.go.id/hook",
        events=["application.decided"],
        secret="whsec_QUFBQQ==",
        created_at=admin.date_joined,
    )
    delivery = notify.queue_webhook(
        source=subscription.source,
        url=subscription.url,
        secret=subscription.secret,
        event_type="application.decided",
        body="{}",
    )
    WebhookAttempt.objects.create(
        delivery=delivery, number=1, at=admin.date_joined, status_code=503, duration_ms=12
    )
    client.force_login(admin)

    page = client.get(f"/instansi/webhook/{subscription.pk}/").content.decode()
    assert delivery.message_id in page
    assert "HTTP 503 (12 ms)" in page

    response = client.post(f"/instansi/webhook/{subscription.pk}/nonaktifkan/")
    assert response.status_code == 302
    subscription.refresh_from_db()
    delivery.refresh_from_db()
    assert (subscription.active, delivery.status) == (False, "cancelled")


def test_another_agencys_administrator_sees_a_404(admin, client):
    subscription = WebhookSubscription.objects.create(
        agency=admin.agency,
        url="https://a.contoh.go.id/",
        events=["application.decided"],
        secret="whsec_QUFBQQ==",
        created_at=admin.date_joined,
    )
    other = accounts.create_account(
        actor="system:test",
        username="admin-dukcapil",
        password="x" * 12,
        role=roles.ADMIN_INSTANSI,
        agency=Agency.objects.get(slug="disdukcapil-kota-bandung"),
    )
    client.force_login(other)
    assert client.get(f"/instansi/webhook/{subscription.pk}/").status_code == 404
    assert client.post(f"/instansi/webhook/{subscription.pk}/nonaktifkan/").status_code == 404
    subscription.refresh_from_db()
    assert subscription.active is True
