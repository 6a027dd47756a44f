"""Fixtures of the assistant's tests: the world with Bambang's (warga-ditolak) bansos application refused by an
officer, and the knowledge base built from that database."""

from __future__ import annotations

import pytest

from pamong.assistant import knowledge
from pamong.cases import services as cases


def refuse_bambang(world):
    """Bambang's application: the rules propose DENY (impact level 3), an officer confirms the refusal."""
    application, _ = cases.submit_application(
        actor=world.denied,
        service=world.bansos,
        applicant=world.denied,
        form=dict(world.forms[world.niks.DENIED_NIK]),
    )
    cases.claim_application(application, actor=world.petugas)
    cases.decide_application(
        application, actor=world.petugas, outcome="DENY", reasons="Penghasilan di atas garis kemiskinan."
    )
    application.refresh_from_db()
    return application


@pytest.fixture
def refused(world):
    return refuse_bambang(world)


@pytest.fixture
def kb(world):
    return knowledge.build_knowledge()
