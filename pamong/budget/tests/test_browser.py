"""The public budget page and the APIP queue in a real browser: 360 px wide with nothing scrolling sideways, axe
(WCAG 2.1 AA) without violations, and a flag dismissed with JavaScript off."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.budget import demo
from pamong.budget.models import Flag
from pamong.core.testing.browser import axe_violations, chromium, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def budget_world(world):
    """Loaded before Playwright starts (its sync API runs an event loop, and Django refuses ORM calls beside one)."""
    auditor = accounts.create_account(actor="system:test", username="apip", password=None, role=roles.AUDITOR)
    assert demo.load_demo_budget(actor="system:test") == 4
    signed_in = Client()
    signed_in.force_login(auditor)
    split = Flag.objects.get(kind="pemecahan_paket")
    return signed_in.cookies[settings.SESSION_COOKIE_NAME].value, split.pk


@pytest.fixture
def browser(budget_world):
    with chromium() as browser:
        yield browser


def test_pages_fit_360_px_and_pass_axe(live_server, browser, budget_world):
    session, flag_id = budget_world
    cookies = [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    pages = [
        ("/anggaran/?instansi=dinsos-kota-bandung&tahun=2025", [], "budget-public-360.png", "Dinas Sosial"),
        ("/apip/", cookies, "budget-apip-queue-360.png", "Tanda anggaran"),
        (f"/apip/?tanda={flag_id}", cookies, "budget-apip-flag-360.png", "3 pembelian"),
    ]
    found = {}
    for path, jar, shot, heading in pages:
        context = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 740})
        context.add_cookies(jar)
        page = context.new_page()
        assert page.goto(live_server.url + path).status == 200
        assert page.get_by_role("heading", level=1).inner_text().startswith(heading)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
        screenshot(page, shot)
        found[path] = axe_violations(page)
        context.close()
    assert found == {path: [] for path, *_ in pages}


def test_an_auditor_dismisses_a_flag_without_javascript(live_server, browser, budget_world):
    session, flag_id = budget_world
    context = browser.new_context(
        java_script_enabled=False, locale="id-ID", viewport={"width": 360, "height": 740}
    )
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/apip/?tanda={flag_id}")
    page.get_by_label("Alasan").fill(
        "Tiga paket untuk tiga kecamatan berbeda; dokumen DPA dan kontrak sudah diperiksa."
    )
    page.get_by_role("button", name="Tutup dengan alasan ini").click()
    assert "Tanda ditutup" in page.content()
    assert "dokumen DPA dan kontrak sudah diperiksa" in page.content()
    context.close()
