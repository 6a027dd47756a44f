"""Webhooks end to end: an agency administrator registers a subscriber (the secret shown once); a decision sends
a signed event to it through the outbox; the verifier printed in docs/webhooks.md accepts it and rejects a
tampered body, signature or timestamp. Subscribers listen on loopback only."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.audit.models import AuditEntry
from pamong.cases import services as cases
from pamong.cases.models import Decision
from pamong.catalog.models import Agency
from pamong.clients.models import WebhookSubscription
from pamong.core import generations
from pamong.notify.models import WebhookDelivery
from pamong.notify.tests.receiver import start_receiver
from pamong.registry import demo

pytestmark = pytest.mark.django_db

DOC = Path(settings.BASE_DIR) / "docs" / "webhooks.md"


def documented_verify():
    """The `verify` function exactly as docs/webhooks.md prints it (the first Python block)."""
    source = re.search(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)[1]
    namespace: dict = {}
    exec(compile(source, str(DOC), "exec"), namespace)  # noqa: S102  (our own documentation)
    return namespace["verify"]


@pytest.fixture
def receiver():
    receiver, server = start_receiver()
    yield receiver
    server.shutdown()
    server.server_close()


@pytest.fixture
def admin(world):
    return accounts.create_account(
        actor="system:test",
        username="admin-dinsos",
        password="x" * 12,
        role=roles.ADMIN_INSTANSI,
        agency=world.bansos.agency,
    )


def subscribe(client, admin, url, events):
    client.force_login(admin)
    response = client.post(
        "/api/v1/webhooks", json.dumps({"url": url, "events": events}), content_type="application/json"
    )
    client.logout()
    return response


def test_an_agency_administrator_registers_a_subscriber_and_sees_the_secret_once(world, admin, client):
    response = subscribe(client, admin, "https://sistem.dinsos.contoh.go.id/pamong", ["application.decided"])

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["secret"].startswith("whsec_")
    assert (body["url"], body["events"], body["active"]) == (
        "https://sistem.dinsos.contoh.go.id/pamong",
        ["application.decided"],
        True,
    )
    subscription = WebhookSubscription.objects.get()
    assert (subscription.agency, subscription.secret) == (world.bansos.agency, body["secret"])
    entry = AuditEntry.objects.get(action="clients.webhook_registered")
    assert (entry.actor, entry.subject) == (f"user:{admin.pk}", f"clients.webhook:{subscription.pk}")
    client.force_login(admin)
    listed = client.get("/api/v1/webhooks").json()
    assert [set(item) for item in listed] == [{"id", "url", "description", "events", "active", "created_at"}]


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        (
            {"url": "http://sistem.contoh.go.id/hook", "events": ["application.decided"]},
            "invalid_webhook_url",
        ),
        ({"url": "https://sistem.contoh.go.id/hook", "events": []}, "invalid_input"),
        ({"url": "https://sistem.contoh.go.id/hook", "events": ["application.deleted"]}, "invalid_input"),
    ],
)
def test_an_unacceptable_subscriber_is_refused_and_nothing_is_stored(
    world, admin, client, payload, code, settings
):
    settings.PAMONG_WEBHOOK_ALLOW_HTTP = False
    client.force_login(admin)
    response = client.post("/api/v1/webhooks", json.dumps(payload), content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (422, code)
    assert WebhookSubscription.objects.count() == 0


def test_only_the_agency_administrator_manages_its_subscribers(world, admin, client):
    created = subscribe(client, admin, "https://a.contoh.go.id/hook", ["application.decided"]).json()
    other_admin = accounts.create_account(
        actor="system:test",
        username="admin-dukcapil",
        password="x" * 12,
        role=roles.ADMIN_INSTANSI,
        agency=Agency.objects.get(slug="disdukcapil-kota-bandung"),
    )
    for user in (world.petugas, world.warga, other_admin):
        client.force_login(user)
        assert client.post(f"/api/v1/webhooks/{created['id']}/disable").status_code == 404
        assert client.get(f"/api/v1/webhooks/{created['id']}/deliveries").status_code == 404
    client.force_login(world.petugas)
    assert client.get("/api/v1/webhooks").status_code == 404
    client.force_login(other_admin)
    assert client.get("/api/v1/webhooks").json() == []
    assert WebhookSubscription.objects.get().active is True


def test_a_decision_is_delivered_signed_and_the_documented_verifier_accepts_it(
    world, admin, client, receiver, django_capture_on_commit_callbacks
):
    secret = subscribe(client, admin, receiver.url, ["application.decided"]).json()["secret"]

    with django_capture_on_commit_callbacks(execute=True):  # Siti's PKH application is granted at once
        application, _ = cases.submit_application(
            actor=world.warga,
            service=world.bansos,
            applicant=world.warga,
            form=dict(world.forms[demo.WARGA_NIK]),
        )

    [request] = receiver.requests
    event = documented_verify()(secret, request.headers, request.body)
    assert event == Webhook(secret).verify(request.body, request.headers)  # the spec's own library agrees
    decision = application.decisions.get(final=True)
    assert event["type"] == "application.decided"
    assert event["data"] == {
        "application": str(application.pk),
        "reference": application.reference,
        "service": "bansos-pkh",
        "agency": "dinsos-kota-bandung",
        "status": "granted",
        "change": "decision_made",
        "decision": {
            "id": decision.pk,
            "kind": "automatic",
            "outcome": "GRANT",
            "decided_at": decision.decided_at.isoformat(),
            "audit_index": decision.audit_index,
        },
    }
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.message_id) == (
        "delivered",
        1,
        request.headers["webhook-id"],
    )
    # The delivery log, as the administrator reads it.
    client.force_login(admin)
    subscription = WebhookSubscription.objects.get()
    [logged] = client.get(f"/api/v1/webhooks/{subscription.pk}/deliveries").json()
    assert (logged["status"], logged["event_type"], [a["status_code"] for a in logged["attempt_log"]]) == (
        "delivered",
        "application.decided",
        [200],
    )


def test_a_tampered_delivery_is_rejected_by_the_documented_verifier(
    world, admin, client, receiver, django_capture_on_commit_callbacks
):
    secret = subscribe(client, admin, receiver.url, ["application.decided"]).json()["secret"]
    with django_capture_on_commit_callbacks(execute=True):
        cases.submit_application(
            actor=world.warga,
            service=world.bansos,
            applicant=world.warga,
            form=dict(world.forms[demo.WARGA_NIK]),
        )
    [request] = receiver.requests
    verify = documented_verify()
    headers, body = request.headers, request.body
    signature = headers["webhook-signature"]
    # Change the first base64 character after "v1,": it always carries signature bits (the last characters hold
    # padding bits, and flipping one of those leaves the decoded signature the same one time in sixteen).
    flipped = signature[:3] + ("A" if signature[3] != "A" else "B") + signature[4:]
    tampered = {
        "body": (headers, body.replace(b'"GRANT"', b'"DENY"')),
        "signature": ({**headers, "webhook-signature": flipped}, body),
        "another secret": (headers, body),
        "timestamp": ({**headers, "webhook-timestamp": str(int(headers["webhook-timestamp"]) + 1)}, body),
        "replayed an hour later": ({**headers, "webhook-timestamp": str(int(time.time()) - 3600)}, body),
        "no signature": ({k: v for k, v in headers.items() if k != "webhook-signature"}, body),
    }
    assert verify(secret, headers, body)["data"]["decision"]["outcome"] == "GRANT"
    for case, (changed_headers, changed_body) in tampered.items():
        key = (
            "whsec_" + "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE=" if case == "another secret" else secret
        )
        with pytest.raises(ValueError):
            verify(key, changed_headers, changed_body)
        with pytest.raises(WebhookVerificationError):
            Webhook(key).verify(changed_body, changed_headers)


def test_status_changes_and_decisions_go_to_the_subscribers_who_asked_for_them(
    world, admin, client, receiver, django_capture_on_commit_callbacks
):
    subscribe(client, admin, receiver.url, ["application.status_changed", "application.decided"])
    decided_only = subscribe(client, admin, receiver.url + "/keputusan", ["application.decided"]).json()
    other_agency = WebhookSubscription.objects.create(
        agency=Agency.objects.get(slug="disdukcapil-kota-bandung"),
        url=receiver.url + "/dukcapil",
        events=["application.status_changed", "application.decided"],
        secret="whsec_AAAA",
        created_at=admin.date_joined,
    )

    with django_capture_on_commit_callbacks(execute=True):  # Bambang: a DENY proposed, an officer decides
        refused, _ = cases.submit_application(
            actor=world.denied,
            service=world.bansos,
            applicant=world.denied,
            form=dict(world.forms[demo.DENIED_NIK]),
        )
    with django_capture_on_commit_callbacks(execute=True):
        cases.claim_application(refused, actor=world.petugas)
        cases.decide_application(
            refused, actor=world.petugas, outcome="DENY", reasons="Di atas garis kemiskinan."
        )

    seen = [
        (r.path, json.loads(r.body)["type"], json.loads(r.body)["data"]["status"]) for r in receiver.requests
    ]
    assert sorted(seen) == [
        ("/pamong-hook", "application.decided", "denied"),
        ("/pamong-hook", "application.status_changed", "under_review"),
        ("/pamong-hook/keputusan", "application.decided", "denied"),
    ]
    assert not WebhookDelivery.objects.filter(source=other_agency.source).exists()
    assert decided_only["id"] != other_agency.pk


def test_a_rolled_back_decision_sends_nothing(
    world, admin, client, receiver, django_capture_on_commit_callbacks
):
    subscribe(client, admin, receiver.url, ["application.status_changed", "application.decided"])
    with django_capture_on_commit_callbacks(execute=True):
        refused, _ = cases.submit_application(
            actor=world.denied,
            service=world.bansos,
            applicant=world.denied,
            form=dict(world.forms[demo.DENIED_NIK]),
        )
        cases.claim_application(refused, actor=world.petugas)
    before = (WebhookDelivery.objects.count(), len(receiver.requests))

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Exception, match="alasan"):
        cases.decide_application(
            refused, actor=world.petugas, outcome="DENY", reasons=""
        )  # a DENY needs reasons

    assert (WebhookDelivery.objects.count(), len(receiver.requests)) == before


def test_a_disabled_subscriber_gets_nothing_more_and_its_pending_deliveries_stop(
    world, admin, client, django_capture_on_commit_callbacks
):
    created = subscribe(client, admin, "https://sistem.contoh.go.id/hook", ["application.decided"]).json()
    with django_capture_on_commit_callbacks(execute=False):  # queued, not yet sent
        cases.submit_application(
            actor=world.warga,
            service=world.bansos,
            applicant=world.warga,
            form=dict(world.forms[demo.WARGA_NIK]),
        )
    client.force_login(admin)

    response = client.post(f"/api/v1/webhooks/{created['id']}/disable")

    assert (response.status_code, response.json()["active"]) == (200, False)
    assert list(WebhookDelivery.objects.values_list("status", flat=True)) == ["cancelled"]
    entry = AuditEntry.objects.get(action="clients.webhook_disabled")
    assert json.loads(entry.payload) == {"cancelled_deliveries": 1}
    # A grant more than a year old, so that Siti may apply again (issue 15 refuses it right after a grant).
    Decision.objects.update(decided_at=timezone.now() - dt.timedelta(days=400))
    cases.submit_application(
        actor=world.warga,
        service=world.bansos,
        applicant=world.warga,
        form=dict(world.forms[demo.WARGA_NIK]),
        idempotency_key="second",
    )
    assert WebhookDelivery.objects.count() == 1


def test_a_subscriber_registered_after_a_decision_receives_the_next_one(world, admin, client):
    world.bansos.repeat_allowed = True  # the same citizen files twice
    world.bansos.save(update_fields=["repeat_allowed"])

    def decide(key: str) -> None:
        form = dict(world.forms[demo.WARGA_NIK])
        cases.submit_application(
            actor=world.warga, service=world.bansos, applicant=world.warga, form=form, idempotency_key=key
        )

    assert generations.current_token("webhooks") is not None  # the subscribers are cached, not read each time
    decide("before")  # nobody subscribed yet (and the process remembers that)
    subscribe(client, admin, "https://sistem.contoh.go.id/hook", ["application.decided"])
    decide("after")
    assert WebhookDelivery.objects.count() == 1
