"""Issue 13's new pages in a real browser at 360 px, in Bahasa Indonesia and English, with JavaScript off: the
four-eyes proposal of a pack version, the draft it becomes, the impact assessment in the register, and the
confirmation before a re-run. Screenshots into test-artifacts/; axe (WCAG 2.1 AA): no violations; nothing
scrolls sideways."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.cases import rulebook
from pamong.cases import services as cases
from pamong.catalog import services as catalog
from pamong.core.testing.browser import ARTIFACTS, axe_violations, chromium, screenshot

from .test_pack_four_eyes import pack_with_new_version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTH = 360


@pytest.fixture
def sessions(world, tmp_path, packs_root, settings):
    """A pending pack version and two staff sessions (loaded before Playwright starts its event loop)."""
    catalog.load_packs(root=pack_with_new_version(tmp_path, packs_root, settings))
    for user in (world.warga, world.denied, world.refer):
        cases.submit_application(actor=user, service=world.bansos, applicant=user, form=world.forms[user.nik])
    analyst = accounts.create_account(
        actor="system:test", username="analis", password=None, role=roles.ANALIS, agency=world.bansos.agency
    )
    out = {}
    for name, user in (("supervisor", world.supervisor), ("analyst", analyst)):
        client = Client()
        client.force_login(user)
        out[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
    yield out
    rulebook.pack_rule_sets.cache_clear()


def page_for(browser, live_server, session: str | None, language: str, *, script: bool = False):
    context = browser.new_context(
        java_script_enabled=script, locale="id-ID", viewport={"width": WIDTH, "height": 780}
    )
    jar = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    if session:
        jar.append({"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url})
    context.add_cookies(jar)
    return context, context.new_page()


def look(page, shot: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, page.url
    screenshot(page, shot)
    assert (ARTIFACTS / shot).stat().st_size > 5_000


def axe_on(browser, live_server, session: str | None, language: str, url: str) -> list[dict]:
    """axe needs a script of its own: the same page read again in a context with JavaScript on."""
    context, page = page_for(browser, live_server, session, language, script=True)
    page.goto(url)
    found = axe_violations(page)
    context.close()
    return found


TEXT = {
    "id": {
        "pending": "Versi paket menunggu penyetuju kedua",
        "propose": "Usulkan untuk disetujui",
        "assessment": "Penilaian dampak",
        "preview": "Tampilkan yang akan diperiksa ulang",
        "confirm": "Konfirmasi dan jalankan ulang",
        "region": "Kode wilayah",
    },
    "en": {
        "pending": "Pack versions awaiting a second approver",
        "propose": "Propose for approval",
        "assessment": "Impact assessment",
        "preview": "Show what a re-run would touch",
        "confirm": "Confirm and re-run",
        "region": "Region code",
    },
}


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_new_safeguard_pages_work_at_360_px_without_javascript(live_server, sessions, language):
    text = TEXT[language]
    base = live_server.url
    with chromium() as browser:
        # The supervisor proposes the pending pack version: a plain form, no script.
        context, page = page_for(browser, live_server, sessions["supervisor"], language)
        page.goto(f"{base}/pengawasan/sandbox/?layanan=bansos-pkh")
        assert page.get_by_role("heading", name=text["pending"]).is_visible()
        look(page, f"safeguards-pack-pending-{language}-360.png")
        sandbox_axe = axe_on(
            browser,
            live_server,
            sessions["supervisor"],
            language,
            f"{base}/pengawasan/sandbox/?layanan=bansos-pkh",
        )
        page.get_by_role("button", name=text["propose"]).click()
        draft_url = page.url
        assert draft_url.rstrip("/").split("/")[-1].isdigit(), draft_url
        look(page, f"safeguards-pack-draft-{language}-360.png")
        context.close()

        # The public register shows the assessment that gives the level.
        context, page = page_for(browser, live_server, None, language)
        page.goto(f"{base}/algoritma/sktm/")
        heading = page.get_by_role("heading", name=text["assessment"])
        assert heading.is_visible()
        heading.scroll_into_view_if_needed()
        look(page, f"safeguards-impact-assessment-{language}-360.png")
        context.close()

        # A re-run shows what it would touch and waits for a confirmation.
        context, page = page_for(browser, live_server, sessions["analyst"], language)
        page.goto(f"{base}/pengawasan/perbaikan/?layanan=bansos-pkh")
        page.get_by_label(text["region"]).fill("3273")
        page.get_by_role("button", name=text["preview"]).click()
        assert page.get_by_role("button", name=text["confirm"]).is_visible()
        look(page, f"safeguards-rerun-confirm-{language}-360.png")
        context.close()

        violations = {
            "sandbox": sandbox_axe,
            "draft": axe_on(browser, live_server, sessions["supervisor"], language, draft_url),
            "register": axe_on(browser, live_server, None, language, f"{base}/algoritma/sktm/"),
        }
        context, page = page_for(browser, live_server, sessions["analyst"], language, script=True)
        page.goto(f"{base}/pengawasan/perbaikan/?layanan=bansos-pkh")
        page.get_by_label(text["region"]).fill("3273")
        page.get_by_role("button", name=text["preview"]).click()
        violations["rerun"] = axe_violations(page)
        context.close()
    assert violations == {"sandbox": [], "draft": [], "register": [], "rerun": []}
