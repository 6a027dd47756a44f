"""Issue 13: the impact level that decides who refuses is the one the pack's impact assessment computes."""

from __future__ import annotations

import shutil

import pytest

from pamong.cases import services as cases
from pamong.cases.models import Application
from pamong.catalog import services as catalog
from pamong.catalog.models import Service

pytestmark = pytest.mark.django_db
SKTM_FORM = {
    "purpose": "pendidikan",
    "household_size": 3,
    "household_income": 4_500_000,
    "has_rt_rw_letter": True,
}


def refuse_sktm(world) -> Application:
    application, _ = cases.submit_application(
        actor=world.denied, service=Service.objects.get(slug="sktm"), applicant=world.denied, form=SKTM_FORM
    )
    return application


def test_answers_that_raise_the_level_make_a_refusal_a_proposal_for_a_person(world, tmp_path, packs_root):
    # At the shipped answers (level 2) an automated refusal is a notice of intended refusal
    # (cases/tests/test_hearing.py). Here the pack's answers say a refusal is hard to undo and lasts years
    # (14 of 21: level 3); the declared
    # level goes (it would be refused as disagreeing). Nobody types 3: the load computes it.
    copy = tmp_path / "packs"
    shutil.copytree(packs_root, copy)
    path = copy / "sktm" / "service.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in (
        ("  reversibility: easy", "  reversibility: hard"),
        ("  duration: months", "  duration: years"),
        ("impact_level: 2\n", ""),
    ):
        assert old in text
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    catalog.load_packs(root=copy)

    sktm = Service.objects.get(slug="sktm")
    assert (sktm.impact_level, sktm.impact_assessment["score"]) == (3, 14)
    assert refuse_sktm(world).status == Application.Status.UNDER_REVIEW  # a person decides the refusal
