"""Issue 15: a notice always ends somewhere (a channel, or a printed-letter task), phones in E.164, the inbox
order, reading and hand-over recorded, and when the person was told."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.notify import services
from pamong.notify.models import LetterTask, Notification

pytestmark = pytest.mark.django_db

CONTEXT = {"reference": "PMG-1", "service": "SKTM", "status": "ditolak", "url": "https://x.test/p/1/"}


@pytest.fixture
def counter_citizen():
    """A citizen made at a counter: no e-mail, no phone, no channel chosen."""
    accounts.ensure_role_groups()
    return accounts.create_account(actor=None, username="warga-1", password=None, role=roles.WARGA)


@pytest.fixture
def officer():
    return accounts.create_account(actor=None, username="loket", password="x" * 12, role=roles.AUDITOR)


def test_usual_indonesian_spellings_are_accepted_and_equal():
    assert services.parse_phone("+62 812-3456-7890") == "+6281234567890"
    assert services.parse_phone("0812 3456 7890") == "+6281234567890"
    assert services.parse_phone("62 812 3456 7890") == "+6281234567890"
    assert services.parse_phone("(0812) 3456-7890") == "+6281234567890"
    assert services.phone_key("+62 812-3456-7890") == services.phone_key("0812 3456 7890")
    for bad in ("12345", "0812", "telepon saya", ""):
        with pytest.raises(services.InvalidPhone):
            services.parse_phone(bad)


def test_a_citizen_without_any_address_gets_a_printed_letter_task(counter_citizen):
    [notification] = services.notify_user(
        user=counter_citizen,
        template="decision_made",
        context=CONTEXT,
        subject_ref="cases.application:1",
        letter_queue="dinsos",
    )
    assert services.deliver(notification_id=notification.pk) == "letter"
    notification.refresh_from_db()
    # Every channel was tried in order and the reason recorded; none failed silently.
    assert [a["channel"] for a in notification.attempt_log] == ["email", "whatsapp", "sms"]
    assert notification.notified_at is None
    task = LetterTask.objects.get()
    assert (task.queue, task.status) == ("dinsos", "open")
    assert task.text.startswith("Keputusan atas permohonan PMG-1\n\nPermohonan SKTM Anda (PMG-1) ditolak.")
    assert list(services.letter_tasks(queue="dinsos")) == [task]
    assert list(services.letter_tasks(queue="dukcapil")) == []


def test_handing_the_letter_over_tells_the_citizen_posting_does_not(counter_citizen, officer):
    notices = [
        services.notify_user(
            user=counter_citizen, template="decision_made", context=CONTEXT, letter_queue="dinsos"
        )[0]
        for _ in range(2)
    ]
    for notice in notices:
        services.deliver(notification_id=notice.pk)
    given, posted = LetterTask.objects.order_by("pk")
    services.record_letter_handled(task=given, officer=officer, how="handed_over")
    services.record_letter_handled(task=posted, officer=officer, how="posted")
    given.refresh_from_db()
    assert (given.status, given.handled_by) == ("handed_over", officer)
    first, second = (Notification.objects.get(pk=n.pk) for n in notices)
    assert first.handed_over_at is not None and first.notified_at == first.handed_over_at
    assert second.notified_at is None
    assert list(services.letter_tasks(queue="dinsos")) == []
    with pytest.raises(ValueError):
        services.record_letter_handled(task=given, officer=officer, how="thrown_away")


def test_reading_on_the_site_counts_once_and_the_inbox_lists_unread_first(counter_citizen):
    older, newer = (
        services.notify_user(user=counter_citizen, template="decision_made", context=CONTEXT)[0]
        for _ in range(2)
    )
    services.notify_user(user=counter_citizen, template="login_code", context={"code": "1", "minutes": 5})
    services.mark_read(older)
    first_read = Notification.objects.get(pk=older.pk).read_at
    services.mark_read(older)
    older.refresh_from_db()
    assert older.read_at == first_read == older.notified_at
    # Unread first, then read; one-time codes are never in the inbox.
    assert list(services.inbox_of(counter_citizen)) == [newer, older]


def test_notified_at_is_the_first_of_delivery_reading_and_hand_over(counter_citizen):
    counter_citizen.email = "warga@contoh.id"
    counter_citizen.save()
    before = timezone.now()
    [notice] = services.notify_user(
        user=counter_citizen, template="decision_made", context=CONTEXT, subject_ref="cases.application:9"
    )
    assert services.notified_at(subject_ref="cases.application:9", since=before) is None
    services.deliver(notification_id=notice.pk)
    notice.refresh_from_db()
    assert mail.outbox[0].to == ["warga@contoh.id"]
    assert services.notified_at(subject_ref="cases.application:9", since=before) == notice.sent_at
    assert services.notified_at(subject_ref="cases.application:9", since=timezone.now()) is None
    assert services.notified_at(subject_ref="cases.application:8", since=before) is None


def test_links_are_absolute(settings):
    settings.PAMONG_BASE_URL = "https://layanan.contoh.go.id"
    assert services.absolute_url("/permohonan/1/") == "https://layanan.contoh.go.id/permohonan/1/"
    assert services.absolute_url("https://a.test/x") == "https://a.test/x"
