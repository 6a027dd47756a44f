"""/tanya/ in a real browser, 360 px wide with JavaScript off: a question asked, the answer and its sources read;
the page fits the width and has no WCAG 2.1 AA violation (axe, in a JavaScript-enabled context)."""

from __future__ import annotations

import pytest

from pamong.core.testing.browser import axe_violations, chromium, screenshot
from pamong.core.testing.browser import sign_in as browser_sign_in
from pamong.site.demo import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser(transactional_db, packs_root):
    load_demo(packs_root=packs_root)  # before Playwright starts (its event loop forbids ORM calls beside it)
    with chromium() as browser:
        yield browser


def test_a_citizen_asks_on_a_small_phone_without_javascript(live_server, browser):
    context = browser.new_context(
        java_script_enabled=False, locale="id-ID", viewport={"width": 360, "height": 740}
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/tanya/")
    page.get_by_label("Pertanyaan Anda").fill("syarat bikin akta kelahiran apa aja?")
    page.get_by_role("button", name="Tanya").click()
    body = page.locator("main").inner_text()
    assert "Persyaratan Akta Kelahiran:" in body
    assert "• Kartu Keluarga (KK) orang tua" in body
    page.get_by_role("link", name="Akta Kelahiran").first.click()
    assert page.url == f"{live_server.url}/layanan/akta-kelahiran/"
    page.go_back()
    screenshot(page, "assistant-360.png")
    context.close()

    checked = browser.new_context(
        java_script_enabled=True, locale="id-ID", viewport={"width": 360, "height": 740}
    )
    page = checked.new_page()
    page.goto(f"{live_server.url}/tanya/")
    page.get_by_label("Pertanyaan Anda").fill("siapa presiden pertama?")
    page.get_by_role("button", name="Tanya").click()
    assert "di luar layanan yang kami ketahui" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_violations(page) == []
    checked.close()


# --- the refused citizen and the counter officer serving him, in both languages --------------------------------

WIDTH = 360


@pytest.fixture
def refused_browser(transactional_db, packs_root):
    """The demo with Bambang's (warga-ditolak) bansos application refused by an officer, then chromium."""
    from pamong.accounts.models import User
    from pamong.cases import services as cases
    from pamong.catalog.models import Service
    from pamong.registry.demo import DEMO_BANSOS_FORMS, DENIED_NIK

    load_demo(packs_root=packs_root)
    bambang = User.objects.get(username="warga-ditolak")
    application, _ = cases.submit_application(
        actor=bambang,
        service=Service.objects.get(slug="bansos-pkh"),
        applicant=bambang,
        form=dict(DEMO_BANSOS_FORMS[DENIED_NIK]),
    )
    officer = User.objects.get(username="petugas")
    cases.claim_application(application, actor=officer)
    cases.decide_application(
        application, actor=officer, outcome="DENY", reasons="Penghasilan di atas garis kemiskinan."
    )
    with chromium() as browser:
        yield browser, application.reference


def sign_in(page, base: str, username: str) -> None:
    from pamong.site.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET

    browser_sign_in(page, base, username, DEMO_PASSWORD, DEMO_TOTP_SECRET)


def narrow(browser, *, javascript: bool = False):
    return browser.new_context(
        java_script_enabled=javascript, locale="id-ID", viewport={"width": WIDTH, "height": 740}
    )


def test_the_refused_citizen_asks_and_is_handed_over_in_both_languages(live_server, refused_browser):
    browser, reference = refused_browser
    context = narrow(browser, javascript=True)
    page = context.new_page()
    sign_in(page, live_server.url, "warga-ditolak")
    page.goto(f"{live_server.url}/tanya/")
    page.get_by_label("Pertanyaan Anda").fill("kenapa bansos saya ditolak")
    page.get_by_role("button", name="Tanya").click()
    body = page.locator("main").inner_text()
    assert f"({reference}) ditolak." in body and "Anda dapat mengajukan keberatan sampai" in body
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    assert axe_violations(page) == []
    screenshot(page, "assistant-citizen-refused-id-360.png")
    page.get_by_role("button", name="English").click()
    page.get_by_label("Your question").fill("siapa presiden pertama?")
    page.get_by_role("button", name="Ask", exact=True).click()
    body = page.locator("main").inner_text()
    assert "Report number: ADU-" in body and "An officer answers on working days" in body
    assert (
        "Nomor laporan" not in body and "paling lambat" not in body
    )  # the assistant's words follow the switch
    page.get_by_role("link", name="Your report and its answer").click()
    assert "/pengaduan/l/ADU-" in page.url and "siapa presiden pertama?" in page.locator("main").inner_text()
    page.go_back()
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    assert axe_violations(page) == []
    screenshot(page, "assistant-citizen-handover-en-360.png")
    context.close()


def test_the_counter_officer_asks_for_the_citizen_served_in_both_languages(live_server, refused_browser):
    from pamong.registry.demo import DENIED_NIK

    browser, reference = refused_browser
    context = narrow(browser)  # no JavaScript: the counter works without it
    page = context.new_page()
    sign_in(page, live_server.url, "loket")
    page.goto(f"{live_server.url}/loket/cari/")
    page.get_by_label("Nomor permohonan").fill(reference)
    page.get_by_label("NIK (16 angka, dari KTP-el)").fill(DENIED_NIK)
    page.get_by_role("button", name="Cari").click()
    page.get_by_label("Pertanyaan warga").fill("kenapa permohonannya ditolak")
    page.get_by_role("button", name="Tanya", exact=True).click()
    body = page.locator("main").inner_text()
    assert f"({reference}) ditolak." in body and "Alasan petugas:" in body
    screenshot(page, "assistant-counter-id-360.png")
    page.get_by_label("Pertanyaan warga").fill("sampai kapan batas keberatannya")
    page.get_by_role("button", name="Tanya", exact=True).click()
    assert "Anda dapat mengajukan keberatan sampai" in page.locator("main").inner_text()
    page.get_by_role("button", name="English").click()
    page.goto(f"{live_server.url}/tanya/loket/")
    page.get_by_label("Reference number").fill(reference)
    page.get_by_label("NIK (16 digits, from the KTP-el)").fill(DENIED_NIK)
    page.get_by_label("The citizen's question").fill("status permohonannya apa")
    page.get_by_role("button", name="Ask", exact=True).click()
    body = page.locator("main").inner_text()
    assert (
        f"Your application for Bantuan Sosial Program Keluarga Harapan (PKH) ({reference}) was refused."
        in body
    )
    assert "ditolak." not in body and "Selengkapnya" not in body
    screenshot(page, "assistant-counter-en-360.png")
    context.close()
    checked = narrow(browser, javascript=True)
    page = checked.new_page()
    sign_in(page, live_server.url, "loket")
    page.goto(f"{live_server.url}/tanya/loket/")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    assert axe_violations(page) == []
    checked.close()
