"""The analyst's dashboard and the public algorithm register in a real browser: screenshots into test-artifacts/
and axe (WCAG 2.1 AA): no violations. The dashboard is also read with JavaScript off (it must still work)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.cases import services as cases
from pamong.core.testing.browser import ARTIFACTS, axe_violations, chromium, screenshot
from pamong.oversight import services

from .factories import Population

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def oversight_world(world, monkeypatch):
    """Loaded before Playwright starts (its sync API runs an event loop, and Django refuses ORM calls beside one)."""
    analis = accounts.create_account(
        actor="system:test", username="analis", password=None, role=roles.ANALIS, agency=world.bansos.agency
    )
    population = Population()
    population.install(monkeypatch)
    citizens = population.make(60, regency="3273") + population.make(40, regency="3204", disability=0.2)
    population.register_people(citizens)
    with transaction.atomic():
        for c in citizens:
            cases.submit_application(actor=c.user, service=world.bansos, applicant=c.user, form=c.form)
    services.open_breaker(
        world.bansos,
        rule_id="income_below_poverty_line",
        region_code="3204",
        actor=analis,
        reason="Peta kemiskinan Kabupaten Bandung sedang diperiksa ulang.",
    )
    signed_in = Client()
    signed_in.force_login(analis)  # the shared conftest marks the second factor as passed
    return signed_in.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture
def browser(oversight_world):
    with chromium() as browser:
        yield browser


def check(browser, url: str, shot: str, cookies: list, heading: str) -> list[dict]:
    context = browser.new_context(
        java_script_enabled=True, locale="id-ID", viewport={"width": 1100, "height": 900}
    )
    context.add_cookies(cookies)
    page = context.new_page()
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).inner_text().startswith(heading), page.url
    screenshot(page, shot)
    found = axe_violations(page)
    context.close()
    return found


def test_dashboard_and_register_read_well_and_pass_axe(live_server, browser, oversight_world):
    cookies = [{"name": settings.SESSION_COOKIE_NAME, "value": oversight_world, "url": live_server.url}]
    pages = [
        (
            f"{live_server.url}/pengawasan/?layanan=bansos-pkh&hari=7",
            "oversight-dashboard.png",
            cookies,
            "Dasbor",
        ),
        (
            f"{live_server.url}/pengawasan/keadilan/?layanan=bansos-pkh",
            "oversight-fairness.png",
            cookies,
            "Laporan",
        ),
        (f"{live_server.url}/algoritma/", "algorithm-register.png", [], "Register algoritma"),
        (f"{live_server.url}/algoritma/bansos-pkh/", "algorithm-register-bansos.png", [], "Bantuan Sosial"),
    ]
    violations = {shot: check(browser, url, shot, jar, heading) for url, shot, jar, heading in pages}
    assert violations == {page[1]: [] for page in pages}
    for _, shot, _, _ in pages:
        assert (ARTIFACTS / shot).stat().st_size > 10_000


def test_the_dashboard_works_without_javascript(live_server, browser, oversight_world):
    context = browser.new_context(java_script_enabled=False, locale="id-ID")
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": oversight_world, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/pengawasan/")
    page.get_by_label("Periode").select_option("7")
    page.get_by_role("button", name="Tampilkan").click()
    assert "hari=7" in page.url
    assert page.get_by_role("img", name="Hasil aturan per hari, 7 hari terakhir").is_visible()
    assert page.get_by_role("alert").inner_text().startswith("Pemutus")
    context.close()
