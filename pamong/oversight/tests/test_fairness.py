"""The fairness report: selection rates per group, the lowest-to-highest ratio and the four-fifths flag.
The numbers must equal fairlearn's (MetricFrame with selection_rate, demographic_parity_ratio) on the same data."""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from fairlearn.metrics import MetricFrame, demographic_parity_ratio, selection_rate

from pamong.audit.models import AuditEntry
from pamong.cases import services as cases
from pamong.core.testing import snapshot
from pamong.core.testing.letters import letters_left_to_the_sweep
from pamong.core.testing.staff_notices import staff_told
from pamong.oversight import guard, selectors, stats
from pamong.oversight.stats import UNKNOWN

from .factories import Population

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def decided_snapshot(snapshot_on_world):
    """About 400 bansos applications: two regencies, both sexes, all ages, and a group of people with a
    disability who are less often in DTSEN (so the rules grant them less often). Decided once per session through
    the real decision path (with the in-memory registries) and restored in each test."""
    citizens = []

    def build(world):
        with pytest.MonkeyPatch.context() as monkeypatch:
            population = Population()
            population.install(monkeypatch)
            citizens.extend(
                population.make(220, regency="3273", per_capita=(150_000, 700_000))
                + population.make(140, regency="3204", per_capita=(150_000, 600_000), female=0.3)
                + population.make(24, regency="3204", disability=1.0, in_dtsen=0.4)
            )
            population.register_people(
                citizens[:-4]
            )  # four applicants are not in the registry: disability unknown
            with transaction.atomic():
                for citizen in citizens:
                    cases.submit_application(
                        actor=citizen.user, service=world.bansos, applicant=citizen.user, form=citizen.form
                    )

    with letters_left_to_the_sweep():  # around the build's commit, where the letters would be issued
        return snapshot_on_world("fairness", build), tuple(citizens)


@pytest.fixture
def decided(world, decided_snapshot):
    taken, citizens = decided_snapshot
    snapshot.restore(taken)
    return list(citizens)


def fairlearn_view(records, feature):
    y_pred = [int(r["selected"]) for r in records]
    groups = [r[feature] if r[feature] is not None else UNKNOWN for r in records]
    frame = MetricFrame(metrics=selection_rate, y_true=y_pred, y_pred=y_pred, sensitive_features=groups)
    return frame.by_group.to_dict(), demographic_parity_ratio(
        y_pred, y_pred, sensitive_features=groups, method="between_groups"
    )


def test_fairness_numbers_equal_fairlearns(world, decided):
    period = selectors.last_days(30)
    records = selectors.fairness_records(world.bansos, period, basis="rules")
    report = selectors.fairness(world.bansos, period, basis="rules")

    assert len(records) == report["applications"] == len(decided)
    assert {f["feature"] for f in report["features"]} == {
        "region",
        "area",
        "channel",
        "sex",
        "age_band",
        "disability",
    }
    for feature in report["features"]:
        rates, ratio = fairlearn_view(records, feature["feature"])
        assert {g["label"]: g["rate"] for g in feature["groups"]} == pytest.approx(rates, abs=1e-12)
        assert feature["ratio"] == pytest.approx(ratio, abs=1e-12)
        assert sum(g["n"] for g in feature["groups"]) == len(decided)
        assert feature["flagged"] == (feature["ratio"] < 0.8)


def test_groups_are_read_from_the_nik_and_the_registry_and_small_samples_are_marked(world, decided):
    report = selectors.fairness(world.bansos, selectors.last_days(30), basis="rules")
    by_feature = {f["feature"]: f for f in report["features"]}

    sexes = {g["label"]: g["n"] for g in by_feature["sex"]["groups"]}
    assert sexes == {
        "laki-laki": sum(1 for c in decided if c.sex == "L"),
        "perempuan": sum(1 for c in decided if c.sex == "P"),
    }
    assert {g["label"]: g["n"] for g in by_feature["region"]["groups"]} == {"3204": 164, "3273": 220}
    # 32.04 is a kabupaten, 32.73 a kota; every application came through the portal
    assert {g["label"]: g["n"] for g in by_feature["area"]["groups"]} == {
        "kabupaten (perdesaan)": 164,
        "kota (perkotaan)": 220,
    }
    assert {g["label"]: g["n"] for g in by_feature["channel"]["groups"]} == {"portal": 384}
    disability = {g["label"]: g for g in by_feature["disability"]["groups"]}
    assert (disability["penyandang disabilitas"]["n"], disability[UNKNOWN]["n"]) == (20, 4)
    assert disability["penyandang disabilitas"]["small"] and disability[UNKNOWN]["small"]
    assert not disability["tanpa disabilitas"]["small"]
    assert by_feature["disability"]["flagged"] and by_feature["disability"]["lowest"] in (
        "penyandang disabilitas",
        UNKNOWN,
    )
    assert "NIK" in report["claimed_note"] and "diklaim" in report["claimed_note"]


def test_four_fifths_rule_on_a_table_a_lawyer_can_check():
    records = (
        [{"g": "A", "selected": True}] * 40
        + [{"g": "A", "selected": False}] * 10  # 80%
        + [{"g": "B", "selected": True}] * 30
        + [{"g": "B", "selected": False}] * 20  # 60%
        + [{"g": "C", "selected": True}] * 5
        + [{"g": "C", "selected": False}] * 5  # 50%, 10 people
    )
    (feature,) = stats.fairness_report(records, ["g"])
    assert [(g.label, g.n, g.rate, g.small) for g in feature.groups] == [
        ("A", 50, 0.8, False),
        ("B", 50, 0.6, False),
        ("C", 10, 0.5, True),
    ]
    assert feature.ratio == pytest.approx(0.625)  # 0.5 / 0.8
    assert feature.ratio_large == pytest.approx(0.75)  # 0.6 / 0.8, the small group left out
    assert feature.flagged and (feature.lowest, feature.highest) == ("C", "A")


def test_the_four_fifths_flag_is_decided_exactly_at_the_boundary():
    # 100/300 against 125/300 is exactly 0.8 (in floating point 0.8000000000000002 or 0.7999999999999999
    # depending on the order of operations): exactly four-fifths is not below four-fifths.
    at = stats.feature_fairness({"a": (300, 100), "b": (300, 125)}, "sex")
    assert at.flagged is False and at.ratio == pytest.approx(0.8)
    below = stats.feature_fairness({"a": (300, 99), "b": (300, 125)}, "sex")
    assert below.flagged is True


def test_a_group_below_four_fifths_alerts_once_a_week(world, decided):
    assert "disability" in guard.check_fairness(world.bansos)
    entry = AuditEntry.objects.get(action="oversight.fairness_alerted")
    assert "disability" in [f["feature"] for f in entry.data["features"]]
    # the agency has no analyst in this world: its supervisor is told
    [alert] = staff_told("fairness_alert")
    assert alert.recipient == world.supervisor and "empat perlima" in alert.subject
    # in Bahasa Indonesia throughout: the feature by its words, not its code, and a decimal comma (issue 20)
    assert re.search(r"\(disabilitas[^,]*, rasio \d,\d\d\)", alert.body, re.IGNORECASE), alert.body
    assert "(disability," not in alert.body and not re.search(r"rasio \d\.\d", alert.body)
    assert "disability" in guard.check_fairness(world.bansos)  # still flagged, but told once a week
    assert len(staff_told("fairness_alert")) == 1
