"""A citizen in a real browser with JavaScript off: sign in, apply for bansos, read why it was granted.
The same pages are checked with axe (WCAG 2.1 AA) in a separate JavaScript-enabled context, as axe needs it."""

from __future__ import annotations

import pytest

from pamong.core.testing.browser import axe_violations, chromium, screenshot
from pamong.registry.demo import DEMO_BANSOS_FORMS, WARGA_NIK
from pamong.site.demo import DEMO_PASSWORD, load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_world(transactional_db, packs_root):
    """Loaded before Playwright starts: its sync API runs an event loop, and Django refuses ORM calls beside one."""
    load_demo(packs_root=packs_root)


@pytest.fixture
def browser(demo_world):
    with chromium() as browser:
        yield browser


def violations_at(browser, url: str, cookies: list) -> list[dict]:
    context = browser.new_context(java_script_enabled=True, locale="id-ID")
    context.add_cookies(cookies)
    page = context.new_page()
    page.goto(url)
    found = axe_violations(page)
    context.close()
    return found


def test_citizen_applies_for_bansos_and_reads_the_explanation(live_server, browser):
    # Given the demo world (the browser fixture loads it), where "warga" is Siti Nurhaliza with WARGA_NIK
    form = DEMO_BANSOS_FORMS[WARGA_NIK]
    context = browser.new_context(
        java_script_enabled=False, locale="id-ID", viewport={"width": 1100, "height": 900}
    )
    page = context.new_page()

    # When she signs in, opens the service and applies with her answers
    page.goto(f"{live_server.url}/layanan/bansos-pkh/")
    page.get_by_role("link", name="Ajukan permohonan").click()
    assert page.url.startswith(f"{live_server.url}/masuk/")
    page.get_by_label("NIK atau nama pengguna").fill("warga")
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    assert page.url == f"{live_server.url}/layanan/bansos-pkh/ajukan/"
    apply_url = page.url
    page.get_by_label("Kota Bandung", exact=True).check()
    page.get_by_label("Jumlah anggota keluarga").fill(str(form["household_size"]))
    page.get_by_label("Penghasilan keluarga per bulan (rupiah)").fill(str(form["household_income"]))
    page.get_by_label("Perkiraan nilai aset keluarga (rupiah)").fill(str(form["assets_value"]))
    page.locator("#f-has_pkh_component-1").check()
    page.get_by_role("button", name="Kirim permohonan").click()

    # Then she lands on the status page and reads the decision and every rule's reason in Indonesian
    assert "/permohonan/" in page.url
    body = page.locator("main").inner_text()
    assert "Keputusan: dikabulkan" in body
    assert "✓ Terpenuhi" in body
    assert "tidak melebihi 120% garis kemiskinan wilayah Anda" in body
    assert "Keluarga Anda terdaftar dalam Data Tunggal Sosial dan Ekonomi Nasional (DTSEN)." in body
    screenshot(page, "citizen-bansos-status.png")

    # And both pages have no WCAG 2.1 AA violations
    cookies = context.cookies()
    status_url = page.url
    context.close()
    assert violations_at(browser, apply_url, cookies) == []
    assert violations_at(browser, status_url, cookies) == []
