"""Pages and API of oversight: who may see and act (a parametrised matrix), the dashboard's JSON, closing a
breaker needs a written justification (audited), and the public register needs no login."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.utils import timezone

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.audit.models import AuditEntry
from pamong.cases import services as cases
from pamong.core.errors import ValidationFailed
from pamong.oversight import services
from pamong.oversight.models import CircuitBreaker

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def people(world):
    def make(username, role, agency=world.bansos.agency):
        return accounts.create_account(
            actor="system:test", username=username, password=None, role=role, agency=agency
        )

    return {
        "analis": make("analis", roles.ANALIS),
        "supervisor": world.supervisor,
        "auditor": make("auditor", roles.AUDITOR, None),
        "petugas": world.petugas,
        "warga": world.warga,
        "other_analis": make("analis-lain", roles.ANALIS, world.dukcapil_officer.agency),
    }


@pytest.fixture
def decided(world):
    for user in (world.warga, world.denied, world.refer):
        cases.submit_application(actor=user, service=world.bansos, applicant=user, form=world.forms[user.nik])


@pytest.fixture
def breaker(world, people):
    return services.open_breaker(
        world.bansos,
        rule_id="income_below_poverty_line",
        region_code="3204",
        actor=people["analis"],
        reason="Peta kemiskinan Kabupaten Bandung sedang diperiksa.",
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("analis", 200),
        ("supervisor", 200),
        ("auditor", 200),
        ("petugas", 404),
        ("warga", 404),
        ("other_analis", 404),
    ],
)
def test_who_sees_the_dashboard(client, people, decided, who, status):
    client.force_login(people[who])
    response = client.get("/pengawasan/?layanan=bansos-pkh")
    assert response.status_code == status


@pytest.mark.parametrize(
    ("who", "status"), [("analis", 200), ("auditor", 200), ("petugas", 403), ("other_analis", 404)]
)
def test_dashboard_json(client, people, decided, who, status):
    client.force_login(people[who])
    response = client.get("/api/v1/oversight/dashboard?service=bansos-pkh&days=7")
    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert body["totals"] == {"GRANT": 1, "DENY": 1, "REFER": 1, "evaluated": 3}
        assert {r["rule_id"] for r in body["rules"]} >= {"income_below_poverty_line", "registered_in_dtsen"}
        assert body["by_day"][-1]["day"] == timezone.localdate().isoformat()


def test_the_dashboard_page_draws_charts_and_works_without_javascript(client, people, decided, breaker):
    client.force_login(people["analis"])
    page = client.get("/pengawasan/?layanan=bansos-pkh&hari=7").content.decode()
    assert page.count("<svg") == 3 and 'role="img"' in page
    assert "income_below_poverty_line" in page and "/pengawasan/pemutus/" in page
    assert 'src="/static/oversight/refresh.js"' in page
    fragment = client.get("/pengawasan/?layanan=bansos-pkh&hari=7&bagian=data").content.decode()
    assert "<svg" in fragment and "<html" not in fragment


@pytest.mark.parametrize(("who", "status"), [("auditor", 403), ("petugas", 404), ("other_analis", 404)])
def test_only_the_agencys_analysts_and_supervisors_close_a_breaker(client, people, breaker, who, status):
    client.force_login(people[who])
    before = AuditEntry.objects.count()
    response = client.post(
        f"/api/v1/oversight/breakers/{breaker.pk}/close",
        json.dumps({"justification": "Data sudah diperiksa ulang dan benar."}),
        content_type="application/json",
    )
    assert response.status_code == status
    assert CircuitBreaker.objects.get(pk=breaker.pk).closed_at is None
    assert AuditEntry.objects.count() == before


def test_closing_needs_a_written_justification_and_is_audited(client, people, breaker):
    client.force_login(people["supervisor"])
    short = client.post(f"/pengawasan/pemutus/{breaker.pk}/", {"justification": "ok"})
    assert short.status_code == 422 and CircuitBreaker.objects.get(pk=breaker.pk).closed_at is None
    text = "Peta kemiskinan sudah diganti dengan publikasi BPS yang benar; diperiksa 20 sampel."
    done = client.post(f"/pengawasan/pemutus/{breaker.pk}/", {"justification": text})
    assert done.status_code == 302
    closed = CircuitBreaker.objects.get(pk=breaker.pk)
    assert (closed.closed_by, closed.close_justification) == (people["supervisor"], text)
    entry = AuditEntry.objects.get(action="oversight.breaker_closed")
    assert entry.data["justification"] == text and entry.actor == f"user:{people['supervisor'].pk}"


def test_an_open_breaker_turns_the_rules_deny_into_refer_for_its_region_only(world, people):
    services.open_breaker(
        world.bansos,
        rule_id="registered_in_dtsen",
        region_code="3273",
        actor=people["analis"],
        reason="Uji pemutus.",
    )
    denied, _ = cases.submit_application(
        actor=world.denied, service=world.bansos, applicant=world.denied, form=world.forms[world.denied.nik]
    )
    proposal = cases.latest_proposal(denied)
    rule = next(r for r in proposal.evaluation["rules"] if r["rule_id"] == "registered_in_dtsen")
    assert (rule["status"], rule["on_fail"]) == ("failed", "refer")  # Kota Bandung: the breaker applies
    assert proposal.outcome == "DENY"  # other deny rules (car, income) still deny: only that rule is paused


def test_the_algorithm_register_is_public(client, world, decided, breaker):
    listing = client.get("/algoritma/")
    assert listing.status_code == 200 and "Program Keluarga Harapan" in listing.content.decode()
    page = client.get("/algoritma/bansos-pkh/").content.decode()
    for text in ("Penghasilan per kapita", "≤", "Permensos 1/2018", "keberatan", "sha256:", "2026-07"):
        assert text in page
    body = client.get("/api/v1/algorithms/bansos-pkh").json()
    assert body["status"] == "breaker_open" and body["impact_level"] == 3
    assert body["rules"][0]["legal_basis"] and body["content_hash"].startswith("sha256:")
    listing_json = {e["slug"]: e for e in client.get("/api/v1/algorithms").json()}
    assert listing_json["bansos-pkh"]["status"] == "breaker_open" and "sktm" in listing_json
    assert "kartu-keluarga" not in listing_json  # not automated: not in the register
    assert client.get("/api/v1/algorithms/tidak-ada").status_code == 404


def test_the_register_publishes_the_impact_assessment_that_gives_the_level(client, world):
    body = client.get("/api/v1/algorithms/sktm").json()
    assessment = body["impact_assessment"]
    assert (body["impact_level"], assessment["level"], assessment["score"], assessment["max"]) == (
        2,
        2,
        10,
        21,
    )
    assert sum(row["points"] for row in assessment["rows"]) == 10
    assert {row["question"]: row["answer"] for row in assessment["rows"]}["vulnerable"] == "mostly"
    page = client.get("/algoritma/sktm/").content.decode()
    assert "Penilaian dampak" in page and "10 dari 21 poin" in page


@pytest.mark.parametrize("region", ["abc", "9999", "32.99"])
def test_a_breaker_for_a_region_that_does_not_exist_is_refused(world, people, region):
    before = CircuitBreaker.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        services.open_breaker(
            world.bansos,
            rule_id="income_below_poverty_line",
            region_code=region,
            actor=people["analis"],
            reason="Uji wilayah.",
        )
    assert refused.value.code == "region_unknown"
    assert CircuitBreaker.objects.count() == before
    dotted = services.open_breaker(
        world.bansos,
        rule_id="income_below_poverty_line",
        region_code="32.04",
        actor=people["analis"],
        reason="Uji.",
    )
    assert dotted.region_code == "3204"


@pytest.mark.parametrize("rule_id", ["tidak_ada", "", "income_below_poverty_line "])
def test_a_breaker_cannot_be_opened_for_a_rule_that_does_not_exist(client, people, rule_id):
    client.force_login(people["analis"])
    before = (CircuitBreaker.objects.count(), AuditEntry.objects.count())
    payload = {"service": "bansos-pkh", "rule_id": rule_id, "reason": "Uji aturan yang tidak ada."}
    response = client.post("/api/v1/oversight/breakers", json.dumps(payload), content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "unknown_rule"
    assert body["details"]["field"] == "rule_id"
    assert "income_below_poverty_line" in body["details"]["known"]
    assert (CircuitBreaker.objects.count(), AuditEntry.objects.count()) == before


def test_a_breaker_for_a_real_rule_opens_through_the_api(client, people):
    client.force_login(people["analis"])
    payload = {"service": "bansos-pkh", "rule_id": "registered_in_dtsen", "reason": "Data DTSEN diperiksa."}
    response = client.post("/api/v1/oversight/breakers", json.dumps(payload), content_type="application/json")
    assert response.status_code == 201
    assert CircuitBreaker.objects.get().rule_id == "registered_in_dtsen"


def test_a_re_run_shows_how_many_citizens_may_be_told_and_runs_only_when_confirmed(
    client, people, world, decided
):
    from pamong.notify.models import Notification
    from pamong.oversight.models import DecisionObservation

    region = DecisionObservation.objects.filter(service=world.bansos, outcome="DENY").values_list(
        "region_code", flat=True
    )[0]
    client.force_login(people["analis"])
    notices = Notification.objects.count()
    preview = client.post("/pengawasan/perbaikan/", {"layanan": "bansos-pkh", "region_code": region})
    page = preview.content.decode()
    assert preview.status_code == 200
    assert (
        f"Wilayah {region}: 1 penolakan akan diperiksa ulang" in page and 'name="confirm" value="1"' in page
    )
    # Nothing ran, nobody was told.
    assert not AuditEntry.objects.filter(action="oversight.rerun_started").exists()
    assert Notification.objects.count() == notices

    done = client.post(
        "/pengawasan/perbaikan/", {"layanan": "bansos-pkh", "region_code": region, "confirm": "1"}
    )
    assert done.status_code == 200 and "1 permohonan diperiksa" in done.content.decode()
    assert AuditEntry.objects.get(action="oversight.rerun_started").data["candidates"] == 1


def test_the_registers_own_words_follow_the_language(client, world):
    """Pamong's own sentences on the register (impact level, human oversight, objection) in Indonesian by default
    and in English under the switch, on the page and in the public API (Accept-Language)."""
    indonesian = client.get("/algoritma/bansos-pkh/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/algoritma/bansos-pkh/").content.decode()
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert "Tingkat III — dampak tinggi" in indonesian and "Mesin tidak pernah menolak sendiri" in indonesian
    assert "Level III — high impact" in english and "The machine never refuses on its own" in english
    assert "Mesin tidak pernah" not in english and "Anda dapat mengajukan keberatan" not in english
    body = client.get("/api/v1/algorithms/bansos-pkh", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["impact_text"].startswith("Level III") and body["objection"].startswith("You may object")
    assert client.get("/api/v1/algorithms/bansos-pkh").json()["objection"].startswith("Anda dapat mengajukan")
