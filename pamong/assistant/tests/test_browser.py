"""/tanya/ in a real browser, 360 px wide with JavaScript off: a question asked, the answer and its sources read;
the page fits the width and has no WCAG 2.1 AA violation (axe, in a JavaScript-enabled context)."""

from __future__ import annotations

import pytest

from pamong.core.testing.browser import axe_violations, chromium, screenshot
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
