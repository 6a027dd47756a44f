from __future__ import annotations

import pytest

from pamong.cases import services as cases
from pamong.catalog.models import Service
from pamong.surveys.ikm import ELEMENTS


@pytest.fixture
def granted(world):
    """Siti's bansos PKH application, granted automatically by the rules (a final decision)."""
    application, _ = cases.submit_application(
        actor=world.warga,
        service=world.bansos,
        applicant=world.warga,
        form=dict(world.forms[world.niks.WARGA_NIK]),
    )
    assert application.status == "granted"
    return application


def answers(*scores: int, **extra: str) -> dict[str, str]:
    """A filled-in form: the nine scores in the regulation's order, and optional fields."""
    return {**{name: str(score) for name, score in zip(ELEMENTS, scores, strict=True)}, **extra}


@pytest.fixture(autouse=True)
def repeats_allowed(request):
    """These tests file several applications for one citizen and service to build their figures; the duplicate
    guard of issue 15 (tested in cases) would refuse the second one."""
    if "world" not in request.fixturenames:
        return
    world = request.getfixturevalue("world")
    Service.objects.filter(pk__in=[world.bansos.pk, world.sktm.pk]).update(repeat_allowed=True)
    world.bansos.refresh_from_db()
    world.sktm.refresh_from_db()
