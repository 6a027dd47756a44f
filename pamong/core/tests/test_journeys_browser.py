"""Journeys in a real browser at 360 px (issue 20): each role signs in through the form (staff with their TOTP
code), lands on its page and reaches every page of its menu by clicking, never by a typed address; no page
scrolls sideways at 360 px; /api/docs renders its operations with every host but 127.0.0.1 blocked.

Data is loaded before Playwright starts: its sync API runs an event loop, and Django refuses ORM calls beside one.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from pamong.accounts import roles
from pamong.accounts.models import User
from pamong.cases import services as cases
from pamong.catalog.models import Service
from pamong.core.testing.browser import chromium, screenshot, squeezed_text
from pamong.core.testing.browser import sign_in as browser_sign_in
from pamong.registry.demo import DEMO_BANSOS_FORMS, REFER_NIK, WARGA_NIK
from pamong.site.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, load_demo

from .test_journeys import LANDING, MENUS, PUBLIC_PAGES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 360
DEMO_USER = {
    roles.WARGA: "warga",
    roles.PETUGAS_LOKET: "loket",
    roles.PETUGAS: "petugas",
    roles.SUPERVISOR: "supervisor",
    roles.ANALIS: "analis",
    roles.AUDITOR: "auditor",
    roles.ADMIN_INSTANSI: "admin",
}
OVERSIGHT_ROLES = {roles.SUPERVISOR, roles.ANALIS, roles.AUDITOR}


@pytest.fixture
def demo(transactional_db, packs_root):
    """The demo world with a granted application (Siti) and one waiting for an officer (Asep)."""
    load_demo(packs_root=packs_root)
    bansos = Service.objects.get(slug="bansos-pkh")
    for username, nik in (("warga", WARGA_NIK), ("warga-rujuk", REFER_NIK)):
        citizen = User.objects.get(username=username)
        cases.submit_application(
            actor=citizen, service=bansos, applicant=citizen, form=dict(DEMO_BANSOS_FORMS[nik])
        )


@pytest.fixture
def browser(demo):
    with chromium() as browser:
        yield browser


def fits(page) -> None:
    """Nothing wider than the screen: the document does not scroll sideways, and no text is squeezed into a
    column a few letters wide to make it so."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{page.url} is {width} px wide at {WIDTH} px"
    assert squeezed_text(page) == [], page.url


def sign_in(page, base: str, username: str) -> None:
    browser_sign_in(page, base, username, DEMO_PASSWORD, DEMO_TOTP_SECRET)


def follow(page, nav, label: str) -> None:
    """Click a menu entry and check that it opened a page of the project, not an error page."""
    with page.expect_navigation():
        nav.get_by_role("link", name=label, exact=True).click()
    assert page.title() not in ("Tidak ditemukan · Pamong", "Terjadi gangguan · Pamong"), page.url


def open_first_row(page) -> None:
    """Open the first entry of the page's table and wait for its page: a check made before the new page has
    arrived reads the old one (this made the officer's walk fail one run in many on PostgreSQL)."""
    with page.expect_navigation():
        page.locator("main table a").first.click()


@pytest.mark.parametrize("role", [None, *DEMO_USER])
def test_each_role_lands_on_its_page_and_reaches_its_menu_at_360px(live_server, browser, role):
    base = live_server.url
    context = browser.new_context(locale="id-ID", viewport={"width": WIDTH, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{base}/")
    if role is not None:
        page.get_by_role("link", name="Masuk").first.click()
        sign_in(page, base, DEMO_USER[role])
        assert urlsplit(page.url).path == LANDING[role]
    fits(page)
    menu = page.get_by_role("navigation", name="Menu utama")
    labels = menu.get_by_role("link").all_inner_texts()
    assert labels == MENUS[role]
    for label in labels:
        if label == "API":
            continue  # the API docs are checked with the network blocked, below
        follow(page, page.get_by_role("navigation", name="Menu utama"), label)
        fits(page)
        if label == "Pengawasan":  # the oversight pages are reached from its own sub-menu
            sub = page.get_by_role("navigation", name="Pengawasan")
            for sublabel in sub.get_by_role("link").all_inner_texts():
                follow(page, page.get_by_role("navigation", name="Pengawasan"), sublabel)
                fits(page)
    # staff reach the pages open to everyone from the footer
    public = page.get_by_role("navigation", name="Halaman publik")
    expected = PUBLIC_PAGES if role not in (None, roles.WARGA) else []
    assert (public.get_by_role("link").all_inner_texts() if expected else []) == expected
    for label in expected:
        follow(page, page.get_by_role("navigation", name="Halaman publik"), label)
        fits(page)
    if role in (None, roles.WARGA):
        expect(page.get_by_role("navigation", name="Halaman publik")).to_have_count(0)
    # the footer's pages, reached by clicking too
    for label in ("Bantuan", "Kontak", "Pemberitahuan privasi", "Register algoritma"):
        follow(page, page.get_by_role("navigation", name="Tentang portal ini"), label)
        fits(page)
    if role == roles.AUDITOR:
        follow(page, page.get_by_role("navigation", name="Menu utama"), "Log audit")
        page.get_by_role("button", name="Periksa sekarang").click()
        assert page.get_by_role("status").inner_text().startswith("Log utuh.")
        fits(page)
    if role == roles.WARGA:  # her application, from the list
        follow(page, page.get_by_role("navigation", name="Menu utama"), "Permohonan saya")
        open_first_row(page)
        expect(page.locator("main")).to_contain_text("Keputusan: dikabulkan")
        fits(page)
    if role == roles.PETUGAS:  # Asep's case, from the queue
        follow(page, page.get_by_role("navigation", name="Menu utama"), "Antrean pemeriksaan")
        open_first_row(page)
        expect(page.get_by_role("button", name="Ambil permohonan ini")).to_be_visible()
        fits(page)
    screenshot(page, f"journey-{role or 'public'}-360.png")
    context.close()


def session_cookie(username: str, url: str) -> dict:
    client = Client()
    client.force_login(User.objects.get(username=username))  # the shared conftest marks the second factor
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": url,
    }


@pytest.fixture
def sessions(demo, live_server):
    """Signed-in cookies for the typed-address sweep, made before Playwright starts."""
    return {
        name: session_cookie(name, live_server.url)
        for name in ("warga", "loket", "analis", "admin", "petugas")
    }


def test_the_pages_of_the_existing_browser_tests_fit_360px(live_server, sessions):
    """Every page the other browser tests visit, with their error states, at 360 px."""
    base = live_server.url
    visits = [
        (None, "/layanan/bansos-pkh/"),
        (None, "/masuk/"),
        (None, "/masuk/aktivasi/"),
        (None, "/algoritma/"),
        (None, "/algoritma/bansos-pkh/"),
        ("warga", "/layanan/bansos-pkh/ajukan/"),
        ("warga", "/permohonan/"),
        ("admin", "/instansi/petugas/"),
        ("loket", "/loket/warga/"),
        ("loket", "/loket/ajukan/bansos-pkh/"),
        ("analis", "/pengawasan/?layanan=bansos-pkh&hari=7"),
        ("analis", "/pengawasan/keadilan/?layanan=bansos-pkh"),
        ("analis", "/pengawasan/sandbox/?layanan=bansos-pkh&dari=berlaku"),
        ("petugas", "/petugas/antrean/"),
    ]
    with chromium() as browser:
        wide = {}
        for who, path in visits:
            context = browser.new_context(locale="id-ID", viewport={"width": WIDTH, "height": 800})
            if who:
                context.add_cookies([sessions[who]])
            page = context.new_page()
            assert page.goto(f"{base}{path}").status == 200, path
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > WIDTH:
                wide[path] = width
            if squeezed := squeezed_text(page):
                wide[path + " (squeezed)"] = squeezed
            if path == "/masuk/aktivasi/":  # and with its errors shown
                page.get_by_role("button", name="Aktifkan akun saya").click()
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > WIDTH:
                    wide[path + " (errors)"] = width
            context.close()
    assert wide == {}


def test_api_docs_render_their_operations_with_the_network_blocked(live_server, demo):
    from pamong.api import api

    operations = sum(len(methods) for methods in api.get_openapi_schema()["paths"].values())
    base = live_server.url.replace("localhost", "127.0.0.1")
    blocked = []

    def only_loopback(route):
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    with chromium() as browser:
        context = browser.new_context(locale="id-ID")
        context.route("**/*", only_loopback)
        page = context.new_page()
        page.goto(f"{base}/api/docs")
        page.locator(".opblock").first.wait_for(timeout=15_000)
        rendered = page.locator(".opblock").count()
        title = page.locator(".info .title").inner_text()
        context.close()
    assert blocked == []
    assert rendered == operations
    assert title.startswith("Pamong API")


INVALID_VISITS = [  # who, page, values typed (the rest left empty), in the browser with its own checks off
    (
        "warga",
        "/layanan/bansos-pkh/ajukan/",
        {"f-household_income": "2.000.000,50", "f-assets_value": "Rp 1.00"},
    ),
    ("loket", "/loket/ajukan/bansos-pkh/", {"nik": "3273994108870002", "f-household_income": "12,5"}),
    ("loket", "/loket/warga/", {"nik": "3273094108870000"}),
    ("warga", "/pengaduan/baru/", {"service": "bansos-pkh", "title": "x", "description": "kurang"}),
    ("warga", "/akun/dokumen/", {}),
]
FOREIGN = {  # function words of the other language in an error text
    "en": re.compile(
        r"\b(yang|harus|wajib|tidak|paling|dengan|atau|untuk|belum|sudah|Tuliskan|Tulis|Pilih|Periksa)\b"
    ),
    "id": re.compile(r"\b(the|must|is|are|not|Choose|Write|cannot|only|Please|with|already)\b"),
}


@pytest.mark.parametrize("language", ["id", "en"])
def test_invalid_main_forms_at_360px_speak_the_pages_language(live_server, sessions, language):
    """The main forms sent with bad input at 360 px: every error in the page's language, nothing wider than
    the screen (screenshots in test-artifacts/)."""
    base = live_server.url
    found, wide, silent = {}, {}, []
    with chromium() as browser:
        for who, path, values in INVALID_VISITS:
            context = browser.new_context(locale="id-ID", viewport={"width": WIDTH, "height": 800})
            context.add_cookies(
                [sessions[who], {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}]
            )
            page = context.new_page()
            page.goto(f"{base}{path}")
            page.evaluate("document.querySelectorAll('form').forEach(f => f.noValidate = true)")
            for name, value in values.items():
                field = page.locator(f'main [name="{name}"]')
                if field.evaluate("el => el.tagName") == "SELECT":
                    field.select_option(value)
                else:
                    field.fill(value)
            with page.expect_navigation():
                page.locator("main form button.primary").first.click()
            errors = " ".join(
                page.locator(".error-summary, .field-error, [role=alert], .flash, .error").all_inner_texts()
            )
            if not errors.strip():
                silent.append(path)
            if leaks := sorted({m.group(0) for m in FOREIGN[language].finditer(errors)}):
                found[path] = (leaks, errors)
            if (width := page.evaluate("document.documentElement.scrollWidth")) > WIDTH:
                wide[path] = width
            screenshot(page, f"invalid-{language}{path.replace('/', '-').rstrip('-')}-360.png")
            context.close()
    assert silent == []
    assert found == {}
    assert wide == {}
