"""The verification page and My documents in a real browser: JavaScript off, 360 px wide, and axe (WCAG 2.1 AA)
in a separate JavaScript-enabled context."""

from __future__ import annotations

import pytest

from pamong.accounts.models import User
from pamong.cases import services as cases
from pamong.catalog.models import Service
from pamong.core.testing.browser import axe_violations, chromium
from pamong.documents.models import Letter
from pamong.registry.demo import DEMO_BANSOS_FORMS, WARGA_NIK
from pamong.site.demo import DEMO_PASSWORD, load_demo

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def granted(transactional_db, packs_root):
    """The demo world and Siti's granted bansos application; its letter is issued after commit (Huey is immediate
    in tests). Made before Playwright starts, as Django refuses ORM calls beside its event loop."""
    load_demo(packs_root=packs_root)
    warga = User.objects.get(username="warga")
    application, _ = cases.submit_application(
        actor=warga,
        service=Service.objects.get(slug="bansos-pkh"),
        applicant=warga,
        form=dict(DEMO_BANSOS_FORMS[WARGA_NIK]),
    )
    letter = Letter.objects.get(application=application)
    assert letter.status == "valid"
    return application, letter


def test_the_verification_page_and_my_documents_at_360_px(live_server, granted):
    application, letter = granted
    with chromium() as browser:
        context = browser.new_context(
            java_script_enabled=False, locale="id-ID", viewport={"width": 360, "height": 740}
        )
        page = context.new_page()
        page.goto(f"{live_server.url}/v/{letter.code}")
        body = page.locator("main").inner_text()
        assert "SAH" in body and letter.number in body
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        # the citizen signs in and finds the letter on her case page, then her documents page
        page.goto(f"{live_server.url}/masuk/")
        page.get_by_label("NIK atau nama pengguna").fill("warga")
        page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        page.goto(f"{live_server.url}/permohonan/{application.pk}/")
        assert (
            page.get_by_role("link", name="Unduh surat keputusan bertanda tangan elektronik (PDF)").count()
            == 1
        )
        page.goto(f"{live_server.url}/akun/dokumen/")
        assert "Dokumen Saya" in page.locator("h1").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        cookies = context.cookies()
        context.close()
        for url in (f"{live_server.url}/v/{letter.code}", f"{live_server.url}/akun/dokumen/"):
            checked = browser.new_context(java_script_enabled=True, locale="id-ID")
            checked.add_cookies(cookies)
            tab = checked.new_page()
            tab.goto(url)
            assert axe_violations(tab) == [], url
            checked.close()
