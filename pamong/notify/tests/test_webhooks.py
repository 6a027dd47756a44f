"""The webhook outbox: signed deliveries after commit, retries with exponential backoff, a delivery log of every
attempt, giving up after the last attempt, cancelling. Every target is a loopback server."""

from __future__ import annotations

import datetime as dt
import json
import socket
from types import SimpleNamespace

import pytest
from standardwebhooks import Webhook

from pamong.notify import services, webhooks
from pamong.notify.models import WebhookDelivery

from .receiver import start_receiver

pytestmark = pytest.mark.django_db

BODY = json.dumps({"type": "application.decided", "data": {"reference": "PMG-1"}}, separators=(",", ":"))
T0 = dt.datetime(2026, 11, 30, 3, 0, tzinfo=dt.UTC)


@pytest.fixture
def receiver():
    receiver, server = start_receiver()
    yield receiver
    server.shutdown()
    server.server_close()


@pytest.fixture
def clock(monkeypatch):
    """The outbox's clock, moved by hand (the signature's timestamp comes from it too)."""
    state = SimpleNamespace(now=T0)
    monkeypatch.setattr(services, "timezone", SimpleNamespace(now=lambda: state.now))
    return state


def queue(url: str, secret: str) -> WebhookDelivery:
    return services.queue_webhook(
        source="clients.webhook:1", url=url, secret=secret, event_type="application.decided", body=BODY
    )


def test_a_delivery_is_sent_after_commit_signed_as_standard_webhooks_says(
    receiver, django_capture_on_commit_callbacks
):
    secret = webhooks.new_secret()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        delivery = queue(receiver.url, secret)
    assert receiver.requests == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 1)
    [request] = receiver.requests
    assert request.body == BODY.encode()
    assert request.headers["webhook-id"] == delivery.message_id
    assert Webhook(secret).verify(request.body, request.headers) == json.loads(BODY)
    [attempt] = delivery.attempt_log.all()
    assert (attempt.number, attempt.status_code, attempt.error) == (1, 200, "")


def test_failures_are_retried_with_exponential_backoff_and_every_attempt_is_logged(receiver, clock, settings):
    settings.PAMONG_WEBHOOK_RETRY_BASE_SECONDS = 30
    secret = webhooks.new_secret()
    receiver.statuses = [503, 500]
    delivery = queue(receiver.url, secret)

    first = services.deliver_webhook(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (first, delivery.attempts, delivery.next_attempt_at) == (
        "pending",
        1,
        T0 + dt.timedelta(seconds=30),
    )
    assert delivery.last_error == "HTTP 503"

    clock.now = T0 + dt.timedelta(seconds=29)  # not due yet: nothing is sent
    assert services.deliver_webhook(delivery_id=delivery.pk) == "pending"
    assert len(receiver.requests) == 1

    clock.now = T0 + dt.timedelta(seconds=30)
    assert services.deliver_webhook(delivery_id=delivery.pk) == "pending"
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == T0 + dt.timedelta(seconds=30 + 60)  # doubled

    clock.now = T0 + dt.timedelta(seconds=90)
    assert services.deliver_webhook(delivery_id=delivery.pk) == "delivered"
    assert services.deliver_webhook(delivery_id=delivery.pk) == "delivered"  # a second call sends nothing

    delivery.refresh_from_db()
    log = [(a.number, a.at, a.status_code, a.error) for a in delivery.attempt_log.all()]
    assert log == [
        (1, T0, 503, "HTTP 503"),
        (2, T0 + dt.timedelta(seconds=30), 500, "HTTP 500"),
        (3, T0 + dt.timedelta(seconds=90), 200, ""),
    ]
    assert (delivery.attempts, delivery.delivered_at, delivery.last_error) == (3, clock.now, "")
    # The same webhook-id every time (the subscriber drops duplicates); each try signed at its own time.
    assert {r.headers["webhook-id"] for r in receiver.requests} == {delivery.message_id}
    assert [r.headers["webhook-timestamp"] for r in receiver.requests] == [
        str(int((T0 + dt.timedelta(seconds=s)).timestamp())) for s in (0, 30, 90)
    ]


def test_after_the_last_attempt_the_delivery_has_failed(receiver, clock, settings):
    settings.PAMONG_WEBHOOK_MAX_ATTEMPTS = 2
    receiver.statuses = [500, 500, 500]
    delivery = queue(receiver.url, webhooks.new_secret())

    assert services.deliver_webhook(delivery_id=delivery.pk) == "pending"
    clock.now = T0 + dt.timedelta(hours=1)
    assert services.deliver_webhook(delivery_id=delivery.pk) == "failed"
    clock.now = T0 + dt.timedelta(hours=2)
    assert services.deliver_webhook(delivery_id=delivery.pk) == "failed"

    assert len(receiver.requests) == 2
    assert delivery.attempt_log.count() == 2


def test_an_unreachable_subscriber_and_a_redirect_are_failures(clock):
    with socket.socket() as probe:  # a loopback port that nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    delivery = queue(f"http://127.0.0.1:{closed_port}/", webhooks.new_secret())

    assert services.deliver_webhook(delivery_id=delivery.pk) == "pending"

    [attempt] = delivery.attempt_log.all()
    assert attempt.status_code is None
    assert attempt.error.startswith("unreachable:")


def test_redirects_are_not_followed(receiver, clock):
    receiver.statuses = [302]
    delivery = queue(receiver.url, webhooks.new_secret())
    assert services.deliver_webhook(delivery_id=delivery.pk) == "pending"
    assert delivery.attempt_log.get().status_code == 302
    assert len(receiver.requests) == 1


def test_cancelling_stops_pending_deliveries_of_one_source(receiver, clock):
    mine = queue(receiver.url, webhooks.new_secret())
    other = services.queue_webhook(
        source="clients.webhook:2", url=receiver.url, secret=webhooks.new_secret(), event_type="x", body="{}"
    )

    assert services.cancel_webhooks(source="clients.webhook:1") == 1

    assert services.deliver_webhook(delivery_id=mine.pk) == "cancelled"
    assert services.deliver_webhook(delivery_id=other.pk) == "delivered"
    assert [r.body for r in receiver.requests] == [b"{}"]


def test_the_periodic_job_sends_what_is_due(receiver, clock):
    delivery = queue(receiver.url, webhooks.new_secret())
    assert services.deliver_due() == 1
    delivery.refresh_from_db()
    assert delivery.status == "delivered"


@pytest.mark.parametrize(
    ("url", "allow_http", "problem"),
    [
        ("https://sistem.contoh.go.id/hook", False, None),
        ("http://127.0.0.1:8140/hook", True, None),
        ("http://sistem.contoh.go.id/hook", False, "scheme"),
        ("ftp://sistem.contoh.go.id/hook", True, "scheme"),
        ("https://user:pw@sistem.contoh.go.id/hook", False, "host"),
        ("https:///hook", False, "host"),
        ("https://sistem.contoh.go.id:port/hook", False, "port"),
        ("https://sistem.contoh.go.id/ho ok", False, "characters"),
        ("https://sistem.contoh.go.id/\x00", False, "characters"),
    ],
)
def test_subscriber_urls(settings, url, allow_http, problem):
    settings.PAMONG_WEBHOOK_ALLOW_HTTP = allow_http
    assert webhooks.check_url(url) == problem
