"""The agency administrator's staff pages and the account activation page in a real browser (the pages use
no JavaScript; axe itself needs it): screenshots into test-artifacts/ and axe (WCAG 2.1 AA): no violations,
also with an invalid form on the page."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.core.testing.browser import ARTIFACTS, axe_violations, chromium, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def admin_session(world) -> tuple[str, int]:
    """Made before Playwright starts (its sync API runs an event loop; Django refuses ORM calls beside one)."""
    admin = accounts.create_account(
        actor="system:test",
        username="admin",
        password=None,
        role=roles.ADMIN_INSTANSI,
        agency=world.bansos.agency,
    )
    signed_in = Client()
    signed_in.force_login(admin)  # the shared conftest marks the second factor as passed
    return signed_in.cookies[settings.SESSION_COOKIE_NAME].value, world.petugas.pk


def test_staff_pages_read_well_and_pass_axe(live_server, admin_session):
    session, officer_id = admin_session
    with chromium() as browser:
        context = browser.new_context(locale="id-ID", viewport={"width": 1100, "height": 900})
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        page = context.new_page()
        found = {}

        page.goto(f"{live_server.url}/instansi/petugas/")
        assert page.get_by_role("heading", level=1).inner_text() == "Petugas instansi"
        page.get_by_label("Nama lengkap").fill("Budi Santoso")
        page.get_by_label("Nama pengguna").fill("Budi Santoso")  # not a valid username
        page.get_by_role("button", name="Buat akun").click()
        assert page.get_by_role("alert").inner_text().startswith("Ada masalah")
        screenshot(page, "staff-list-error.png")
        found["staff-list-error.png"] = axe_violations(page)

        page.goto(f"{live_server.url}/instansi/petugas/{officer_id}/")
        page.get_by_label("Atasan (supervisor)").check()
        page.get_by_role("button", name="Simpan peran").click()
        assert "Peran telah disimpan." in page.content()
        screenshot(page, "staff-detail.png")
        found["staff-detail.png"] = axe_violations(page)
        context.close()
    assert found == {"staff-list-error.png": [], "staff-detail.png": []}
    assert (ARTIFACTS / "staff-detail.png").stat().st_size > 10_000


def test_the_activation_page_with_errors_passes_axe(live_server, world):
    with chromium() as browser:
        context = browser.new_context(locale="id-ID", viewport={"width": 600, "height": 900})
        page = context.new_page()
        page.goto(f"{live_server.url}/masuk/aktivasi/")
        assert page.get_by_role("heading", level=1).inner_text() == "Aktifkan akun Anda"
        page.get_by_label("NIK").fill("3273025203900009")
        page.get_by_label("Kode aktivasi").fill("ZZZZZ-ZZZZZ")
        page.get_by_label("Kata sandi baru", exact=True).fill("sawah-hijau-di-cihapit")
        page.get_by_label("Ulangi kata sandi baru").fill("sawah-hijau-di-cihapit")
        page.get_by_role("button", name="Aktifkan akun saya").click()
        assert "tidak cocok" in page.get_by_role("alert").inner_text()
        screenshot(page, "activation-error.png")
        found = axe_violations(page)
        context.close()
    assert found == []
