"""Issue 15's pages in a real browser at 360 px, JavaScript off for the journey and on for axe (WCAG 2.1 AA): the
citizen's contact details and inbox, and the counter's case search, case page and letter queue."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from pamong.accounts.models import User
from pamong.cases import services as cases
from pamong.catalog.models import Service
from pamong.core.testing.browser import axe_violations, chromium
from pamong.notify import services as notify
from pamong.notify.models import Notification
from pamong.registry.demo import DENIED_NIK
from pamong.site.demo import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WIDTH = 360
SKTM_FORM = {
    "purpose": "pendidikan",
    "household_size": 3,
    "household_income": 4_500_000,
    "has_rt_rw_letter": True,
}


def cookie(username: str, url: str) -> dict:
    client = Client()
    client.force_login(User.objects.get(username=username))  # the shared conftest marks the second factor
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": url,
    }


def test_the_reach_pages_fit_360px_and_pass_axe(live_server, transactional_db, packs_root):
    load_demo(packs_root=packs_root)  # before Playwright: Django refuses ORM calls beside its event loop
    loket = User.objects.get(username="loket")
    application, _ = cases.submit_at_counter(
        actor=loket,
        service=Service.objects.get(slug="sktm"),
        nik=DENIED_NIK,
        full_name="Bambang Sutrisno",
        form=SKTM_FORM,
        consent_method="tanda_tangan",
        consent_statement="Saya setuju.",
        contact=cases.CounterContact(told_by=cases.ToldBy.COUNTER),
        form_source="json",
    )
    for pk in Notification.objects.filter(status="pending").values_list("pk", flat=True):
        notify.deliver(notification_id=pk)
    warga = cookie("warga", live_server.url)
    officer = cookie("loket", live_server.url)
    base = live_server.url
    wide, violations = {}, {}
    with chromium() as browser:

        def visit(session, path, *, find=False, axe=True):
            context = browser.new_context(
                locale="id-ID", viewport={"width": WIDTH, "height": 800}, java_script_enabled=axe
            )
            context.add_cookies([session])
            page = context.new_page()
            assert page.goto(f"{base}{path}").status == 200, path
            if find:  # the case page is the answer to the search form
                page.get_by_label("Nomor permohonan").fill(application.reference)
                page.get_by_label("NIK (16 angka, dari KTP-el)").fill(DENIED_NIK)
                page.get_by_role("button", name="Cari", exact=True).click()
                assert "Keputusan dan alasannya" in page.locator("main").inner_text()
                path += " (case)"
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > WIDTH:
                wide[path] = width
            found = axe_violations(page)
            if found:
                violations[path] = [v["id"] for v in found]
            context.close()

        visit(warga, "/akun/")
        visit(warga, "/akun/pemberitahuan/")
        visit(officer, "/loket/")
        visit(officer, "/loket/cari/")
        visit(officer, "/loket/cari/", find=True)
        visit(officer, "/loket/ajukan/sktm/")
        visit(officer, "/loket/surat/")
    assert wide == {}
    assert violations == {}
