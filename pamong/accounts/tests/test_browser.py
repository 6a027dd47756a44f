"""The agency administrator's staff pages, the counter's account page and the account activation page in a
real browser (the pages use no JavaScript; axe itself needs it): screenshots into test-artifacts/ and axe
(WCAG 2.1 AA): no violations, also with an invalid form on the page."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.test import Client

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.core.testing.browser import ARTIFACTS, axe_violations, chromium, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def session_of(user) -> str:
    """A signed-in session cookie, made before Playwright starts (its sync API runs an event loop and Django
    refuses ORM calls beside one). The shared conftest marks the second factor as passed."""
    signed_in = Client()
    signed_in.force_login(user)
    return signed_in.cookies[settings.SESSION_COOKIE_NAME].value


@contextmanager
def browser_page(live_server, session: str | None = None, width: int = 1100) -> Iterator:
    with chromium() as browser:
        context = browser.new_context(locale="id-ID", viewport={"width": width, "height": 900})
        if session:
            cookie = {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}
            context.add_cookies([cookie])
        yield context.new_page()
        context.close()


@pytest.fixture
def admin_session(world) -> tuple[str, int]:
    admin = accounts.create_account(
        actor="system:test",
        username="admin",
        password=None,
        role=roles.ADMIN_INSTANSI,
        agency=world.bansos.agency,
    )
    return session_of(admin), world.petugas.pk


def test_staff_pages_read_well_and_pass_axe(live_server, admin_session):
    session, officer_id = admin_session
    found = {}
    with browser_page(live_server, session) as page:
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
    assert found == {"staff-list-error.png": [], "staff-detail.png": []}
    assert (ARTIFACTS / "staff-detail.png").stat().st_size > 10_000


def test_the_activation_page_with_errors_passes_axe(live_server, world):
    with browser_page(live_server, width=600) as page:
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
    assert found == []


@pytest.fixture
def counter_session(world) -> str:
    return session_of(world.loket)


def test_the_counter_account_page_with_errors_passes_axe(live_server, counter_session):
    with browser_page(live_server, counter_session) as page:
        page.goto(f"{live_server.url}/loket/warga/")
        page.get_by_label("NIK warga").fill("123")
        page.get_by_role("button", name="Cetak kode aktivasi").click()
        assert "Periksa KTP warga" in page.get_by_role("alert").inner_text()
        screenshot(page, "counter-citizen-error.png")
        found = axe_violations(page)
    assert found == []
