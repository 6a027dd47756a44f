"""Complaints on top of the world: a report about Bambang's refused application, and helpers."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from pamong.cases import services as cases
from pamong.complaints import services

WIB = ZoneInfo("Asia/Jakarta")
# Tuesday 22 December 2026, 10:00 WIB: Thursday 24 (cuti bersama) and Friday 25 (Christmas) are not working days.
BEFORE_CHRISTMAS = dt.datetime(2026, 12, 22, 10, 0, tzinfo=WIB)


def report(world, **changes) -> services.Report:
    values = {
        "service": world.bansos,
        "title": "Bantuan PKH tidak cair tiga bulan",
        "description": "Sudah tiga bulan bantuan PKH keluarga kami tidak cair, padahal status masih aktif di DTKS.",
        "region_code": "3273011001",
        **changes,
    }
    return services.Report(**values)


@pytest.fixture
def refused(world):
    """Bambang's bansos application, refused by an officer."""
    application, _ = cases.submit_application(
        actor=world.denied,
        service=world.bansos,
        applicant=world.denied,
        form=dict(world.forms[world.niks.DENIED_NIK]),
    )
    application.refresh_from_db()
    if application.status == "under_review":
        cases.claim_application(application, actor=world.petugas2)
        cases.decide_application(
            application, actor=world.petugas2, outcome="DENY", reasons="Di atas garis kemiskinan."
        )
        application.refresh_from_db()
    assert application.status == "denied", application.status
    return application
