"""The staffing pages in a real browser at 360 px: no horizontal scrolling, axe (WCAG 2.1 AA) finds nothing, and
recording leave works with JavaScript off."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.core.testing.browser import axe_violations, chromium, screenshot
from pamong.staffing import demo, services
from pamong.staffing.models import Leave

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def session(world):
    """The demo week loaded before Playwright starts; the supervisor's session cookie."""
    accounts.create_account(
        actor="system:test", username="analis", password=None, role=roles.ANALIS, agency=world.petugas.agency
    )
    demo.load(world.petugas.agency)
    signed_in = Client()
    signed_in.force_login(world.supervisor)
    return signed_in.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture
def planning(world):
    """A rota whose solver job has not finished: its page says "Sedang disusun"."""
    return services.request_rota(
        world.supervisor.agency, actor=world.supervisor, first_day=dt.date(2026, 11, 23), queue=False
    )


def test_staffing_pages_at_360_px(live_server, session, planning):
    cookies = [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    with chromium() as browser:
        context = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 800})
        context.add_cookies(cookies)
        page = context.new_page()
        found = {}
        for path, shot in (
            ("/staf/", "staffing-mine-360.png"),
            ("/staf/dasbor/?hari=28", "staffing-dashboard-360.png"),
            ("/staf/jadwal/", "staffing-rotas-360.png"),
            (f"/staf/jadwal/{planning.pk}/", "staffing-rota-planning-360.png"),
        ):
            assert page.goto(f"{live_server.url}{path}").status == 200, path
            overflow = page.evaluate("document.documentElement.scrollWidth")
            assert overflow <= 360, (path, overflow)
            screenshot(page, shot)
            found[path] = axe_violations(page)
        context.close()

        without_js = browser.new_context(
            java_script_enabled=False, locale="id-ID", viewport={"width": 360, "height": 800}
        )
        without_js.add_cookies(cookies)
        page = without_js.new_page()
        page.goto(f"{live_server.url}/staf/")
        page.select_option("#kind", "sakit")
        page.fill("#first_day", "2026-12-01")
        page.fill("#last_day", "2026-12-02")
        page.get_by_role("button", name="Catat cuti").click()
        page.wait_for_load_state()
        assert "Tersimpan" in page.content()
        page.goto(f"{live_server.url}/staf/jadwal/{planning.pk}/")
        assert "Sedang disusun" in page.content()  # the page reloads itself by a header, not by a script
        without_js.close()
    assert found == {path: [] for path in found}
    assert Leave.objects.filter(kind="sakit").count() == 1
