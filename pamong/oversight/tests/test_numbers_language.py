"""Numbers and the fairness notes follow the reader's language (issue 20 point 3): a percentage is 42,0% on an
Indonesian page and 42.0% on an English one, and the fairness notes the API serves are in the request's language.
The JSON keeps machine numbers (a share as a float) whatever the language."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.audit import services as audit
from pamong.audit.models import AuditEntry
from pamong.audit.services import PendingEvent
from pamong.oversight import selectors, services, stats
from pamong.oversight.models import CircuitBreaker
from pamong.oversight.tests.test_rule_titles import (  # noqa: F401 (fixtures)
    RULE,
    TITLE_ID,
    analyst,
    page,
    visible,
    watched,
)

pytestmark = pytest.mark.django_db

INDONESIAN_PERCENT = re.compile(r"\b\d{1,3},\d%")
ENGLISH_PERCENT = re.compile(r"\b\d{1,3}\.\d%")


@pytest.mark.parametrize(
    "path", ["/pengawasan/?layanan=bansos-pkh", "/pengawasan/keadilan/?layanan=bansos-pkh"]
)
def test_percentages_are_written_the_readers_way(analyst, watched, path):  # noqa: F811
    english = visible(page(analyst, path, "en"))
    indonesian = visible(page(analyst, path, "id"))
    assert ENGLISH_PERCENT.search(english) and not INDONESIAN_PERCENT.search(english), english
    assert INDONESIAN_PERCENT.search(indonesian) and not ENGLISH_PERCENT.search(indonesian), indonesian


def fairness_json(user, language: str) -> dict:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    response = client.get("/api/v1/oversight/fairness?service=bansos-pkh&days=90&basis=rules")
    assert response.status_code == 200
    return response.json()


def test_the_fairness_notes_of_the_api_follow_the_request_language(analyst, watched):  # noqa: F811
    english, indonesian = fairness_json(analyst, "en"), fairness_json(analyst, "id")
    notes_en = [note for feature in english["features"] for note in feature["notes"]]
    notes_id = [note for feature in indonesian["features"] for note in feature["notes"]]
    assert notes_en and notes_id  # three applications: every group is a small sample
    assert all("fewer than 30 applications" in note and "sampel kecil" not in note for note in notes_en)
    assert all("kurang dari 30 permohonan" in note and "'sampel kecil'" in note for note in notes_id)
    # the figures stay machine numbers in either language
    figures = [
        [(g["n"], g["selected"], g["rate"]) for g in feature["groups"]]
        for language in (english, indonesian)
        for feature in language["features"]
    ]
    half = len(figures) // 2
    assert figures[:half] == figures[half:]
    assert isinstance(english["features"][0]["groups"][0]["rate"], float)


INDONESIAN_GROUPS = (
    "laki-laki",
    "perempuan",
    "loket (dibantu petugas)",
    "tanpa disabilitas",
    "tidak diketahui",
)


def test_the_fairness_groups_are_named_in_the_readers_language(analyst, watched):  # noqa: F811
    english = fairness_json(analyst, "en")
    labels_en = {g["label"] for feature in english["features"] for g in feature["groups"]}
    labels_id = {
        g["label"] for feature in fairness_json(analyst, "id")["features"] for g in feature["groups"]
    }
    assert labels_id & set(INDONESIAN_GROUPS), labels_id  # the world's citizens have a sex and a channel
    assert not labels_en & set(INDONESIAN_GROUPS), labels_en
    page_en = visible(page(analyst, "/pengawasan/keadilan/?layanan=bansos-pkh", "en"))
    assert not [label for label in INDONESIAN_GROUPS if label in page_en]
    assert {"male", "female"} & labels_en or "unknown" in labels_en


def spike(method: str) -> stats.SpikeTest:
    z = 3.4567 if method == "z" else None
    return stats.SpikeTest(
        key=(RULE, "3273"), recent_n=40, recent_failed=18, baseline_n=400, baseline_failed=40,
        baseline_kind="region", recent_rate=0.45, baseline_rate=0.1, method=method, z=z,
        p_value=0.00000034, threshold=0.000125, critical_z=3.6623, groups_tested=8, spike=True,
    )  # fmt: skip


@pytest.mark.parametrize("method", ["z", "binomial"])
def test_an_automatic_breaker_gives_its_reason_in_the_readers_language(world, analyst, method):  # noqa: F811
    test = spike(method)
    breaker = CircuitBreaker.objects.create(
        service=world.bansos,
        rule_id=RULE,
        region_code="3273",
        opened_at=timezone.now(),
        opened_by=None,
        reason=services._spike_reason(TITLE_ID, "3273", test),
        statistics=test.as_dict(),
    )
    # stored in Bahasa Indonesia, the record's language, with its numbers written that way
    assert breaker.reason.startswith(
        f"Lonjakan kegagalan aturan '{TITLE_ID}' di wilayah 3273: 18 dari 40 (45%)"
    )
    assert ("z = 3,46" if method == "z" else "uji binomial eksak, p = 3,4e-07") in breaker.reason
    assert "ambang p ≤ 0,00013 setelah koreksi Bonferroni untuk 8 kelompok" in breaker.reason
    english = unescape(visible(page(analyst, f"/pengawasan/pemutus/{breaker.pk}/", "en")))
    indonesian = unescape(visible(page(analyst, f"/pengawasan/pemutus/{breaker.pk}/", "id")))
    assert "Spike in failures of the rule" in english and "in region 3273: 18 of 40 (45%)" in english
    assert ("z = 3.46" if method == "z" else "exact binomial test, p = 3.4e-07") in english
    assert "threshold p ≤ 0.00013" in english and "p = 3.4e-07" in english and "Lonjakan" not in english
    assert breaker.reason in indonesian and "p = 3,4e-07" in indonesian and "p = 3.4e-07" not in indonesian


def test_the_dashboard_counts_are_grouped_the_readers_way(analyst, watched, monkeypatch):  # noqa: F811
    """A count of 21,076 applications reads 21.076 on an Indonesian page and 21,076 on an English one (it was
    printed bare: 21076)."""
    real_dashboard = selectors.dashboard

    def with_many(service, period, today=None):
        data = real_dashboard(service, period, today)
        data["totals"]["evaluated"] = 21076
        data["sla"]["total"] = 12345
        for row in data["rules"]:  # the failure chart's labels: "16,0% gagal dari 54.321"
            row["n"] = 54321
        return data

    monkeypatch.setattr(selectors, "dashboard", with_many)
    english = visible(page(analyst, "/pengawasan/?layanan=bansos-pkh", "en"))
    indonesian = visible(page(analyst, "/pengawasan/?layanan=bansos-pkh", "id"))
    assert "21,076" in english and "12,345" in english and "21076" not in english
    assert "21.076" in indonesian and "12.345" in indonesian and "21076" not in indonesian
    assert "gagal dari 54.321" in page(analyst, "/pengawasan/?layanan=bansos-pkh", "id")
    assert "failed of 54,321" in page(analyst, "/pengawasan/?layanan=bansos-pkh", "en")


@pytest.mark.parametrize(("language", "count"), [("id", "1.234"), ("en", "1,234")])
def test_the_audit_page_groups_the_size_of_the_log(world, client_for, language, count):
    auditor = accounts.create_account(actor="system:test", username="apip", password=None, role=roles.AUDITOR)
    missing = 1234 - AuditEntry.objects.count()
    at = timezone.now()
    audit.record_events(
        [PendingEvent(at, "system:test", audit.Action.DECISION_RECORDED, "test:x") for _ in range(missing)]
    )
    audit.sign_tree_head()
    client = client_for(auditor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    shown = visible(client.get("/audit/").content.decode())
    assert f" {count} entri" in shown if language == "id" else f" {count} entries" in shown
    assert "1234" not in shown  # the signed tree head's size too
