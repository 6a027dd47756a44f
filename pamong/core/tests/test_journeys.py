"""Journeys without dead ends (issue 20), read through Django's test client: each role's menu and landing page,
the frame's footer, the project's own error pages under DEBUG too, API docs without a CDN, the auditor's page,
and a sweep over every template-rendered page in both languages for codes and bare values that must not leak."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.utils import timezone

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.audit.models import AuditEntry
from pamong.cases import services as cases
from pamong.conftest import PASSWORD
from pamong.oversight.models import RuleSetDraft
from pamong.rules import load_rule_sets

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["Layanan", "Pengaduan", "Anggaran", "Tanya", "Kinerja layanan"]
MENUS = {  # the main menu each role sees, in order (labels in Indonesian); staff find PUBLIC_PAGES in the footer
    None: ["Layanan", "Pengaduan", "Register algoritma", "Anggaran", "Tanya", "Kinerja layanan", "API"],
    roles.WARGA: [
        "Layanan",
        "Permohonan saya",
        "Akun saya",
        "Pengaduan",
        "Register algoritma",
        "Anggaran",
        "Tanya",
        "Kinerja layanan",
    ],
    roles.PETUGAS_LOKET: ["Loket", "Kios survei", "Kerja dan jadwal saya", "Pertanyaan untuk petugas"],
    roles.PETUGAS: [
        "Antrean pemeriksaan",
        "Kerja dan jadwal saya",
        "Kotak masuk pengaduan",
        "Pertanyaan untuk petugas",
    ],
    roles.SUPERVISOR: [
        "Antrean pemeriksaan",
        "Daftar diskresi",
        "Pengawasan",
        "Survei kepuasan",
        "Kerja dan jadwal saya",
        "Kotak masuk pengaduan",
        "Pertanyaan untuk petugas",
    ],
    roles.ANALIS: ["Pengawasan", "Survei kepuasan", "Kerja dan jadwal saya"],
    roles.AUDITOR: ["Log audit", "Pengawasan", "Survei kepuasan", "Tanda anggaran (APIP)"],
    roles.ADMIN_INSTANSI: [
        "Petugas instansi",
        "Pelanggan webhook",
        "Survei kepuasan",
        "Kerja dan jadwal saya",
        "Pertanyaan untuk petugas",
    ],
}
LANDING = {
    roles.WARGA: "/permohonan/",
    roles.PETUGAS_LOKET: "/loket/",
    roles.PETUGAS: "/petugas/antrean/",
    roles.SUPERVISOR: "/petugas/antrean/",
    roles.ANALIS: "/pengawasan/",
    roles.AUDITOR: "/audit/",
    roles.ADMIN_INSTANSI: "/instansi/petugas/",
}
FOOTER = [
    ("Bantuan", "/bantuan/"),
    ("Kontak", "/kontak/"),
    ("Pemberitahuan privasi", "/privasi/"),
    ("Register algoritma", "/algoritma/"),
    ("Pengaduan: SP4N-LAPOR!", "https://www.lapor.go.id"),
]


@pytest.fixture
def people(world):
    def staff(username, role, agency=world.bansos.agency):
        return accounts.create_account(
            actor="system:test", username=username, password=PASSWORD, role=role, agency=agency
        )

    return {
        roles.WARGA: world.warga,
        roles.PETUGAS_LOKET: world.loket,
        roles.PETUGAS: world.petugas,
        roles.SUPERVISOR: world.supervisor,
        roles.ANALIS: staff("analis", roles.ANALIS),
        roles.AUDITOR: staff("auditor", roles.AUDITOR, agency=None),
        roles.ADMIN_INSTANSI: staff("admin", roles.ADMIN_INSTANSI),
    }


def menu_of(html: str, name: str = "Menu utama") -> list[str]:
    if f'<nav aria-label="{name}">' not in html:
        return []
    nav = html.split(f'<nav aria-label="{name}">')[1].split("</nav>")[0]
    return re.findall(r"<a [^>]*>([^<]+)</a>", nav)


def test_each_role_sees_its_own_menu_and_the_footer(client, people):
    html = client.get("/").content.decode()
    assert menu_of(html) == MENUS[None]
    footer = html.split('<nav aria-label="Tentang portal ini">')[1].split("</nav>")[0]
    assert re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', footer) == [
        (url, label) for label, url in FOOTER
    ]
    assert menu_of(html, "Halaman publik") == []
    for role, user in people.items():
        client.force_login(user)
        page = client.get("/layanan/").content.decode()
        assert menu_of(page) == MENUS[role], role
        # staff reach the pages open to everyone from the footer; a citizen has them in the menu
        assert menu_of(page, "Halaman publik") == ([] if role == roles.WARGA else PUBLIC_PAGES), role
        client.logout()


def test_each_role_lands_on_its_work_after_signing_in(people):
    for role, user in people.items():
        client = Client()
        response = client.post("/masuk/", {"username": user.username, "password": PASSWORD})
        if roles.is_staff_member(user):  # the second step first; it keeps where to go next
            assert response["Location"] in ("/masuk/verifikasi/", "/masuk/autentikator/"), role
            assert client.session["pamong_next"] == LANDING[role], role
        else:
            assert response["Location"] == LANDING[role], role
        # and every landing page answers that role
        client.force_login(user)
        assert client.get(LANDING[role]).status_code == 200, role


def test_a_next_address_still_wins_over_the_landing_page(world):
    response = Client().post("/masuk/?next=/layanan/sktm/", {"username": "warga", "password": PASSWORD})
    assert response["Location"] == "/layanan/sktm/"


@pytest.mark.parametrize("debug", [False, True])
def test_own_error_pages_under_every_setting(client, world, debug):
    with override_settings(DEBUG=debug):
        missing = client.get("/tidak-ada/")
        hidden = client.get("/pengawasan/")  # a signed-out visitor: sign in first, never Django's pages
        client.force_login(world.warga)
        citizen = client.get("/pengawasan/")
        api = client.get("/api/tidak-ada")
    assert missing.status_code == 404
    html = missing.content.decode()
    assert "<h1>Halaman tidak ditemukan</h1>" in html
    assert "Page not found" not in html and "URLconf" not in html and "urlpatterns" not in html
    assert hidden.status_code == 302
    assert citizen.status_code == 404 and "<h1>Halaman tidak ditemukan</h1>" in citizen.content.decode()
    assert api.status_code == 404 and api.json() == {"code": "not_found", "message": "Tidak ditemukan."}


def test_the_forbidden_page_is_the_projects_own():
    from pamong.core.views import forbidden

    request = Client().get("/").wsgi_request
    response = forbidden(request)
    assert response.status_code == 403
    assert "<h1>Tidak diizinkan</h1>" in response.content.decode()


def test_api_docs_load_only_the_projects_own_files(client):
    response = client.get("/api/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert re.findall(r'(?:src|href)="([^"]+)"', html) == [
        "/static/ninja/swagger-ui.css",
        "/static/ninja/favicon.svg",
        "/static/ninja/favicon.png",
        "/static/ninja/swagger-ui-bundle.js",
        "/static/ninja/swagger-ui-init.js",
    ]
    assert "https://" not in response["Content-Security-Policy"]
    assert "cdn" not in html.lower()


def test_the_favicon_is_linked_and_served(client):
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/pamong/favicon.svg" type="image/svg+xml">' in html


def test_the_auditor_checks_the_log_and_reads_the_signed_tree_heads(client, people, world):
    cases.submit_application(
        actor=world.warga,
        service=world.bansos,
        applicant=world.warga,
        form=dict(world.forms[world.niks.WARGA_NIK]),
    )
    client.force_login(people[roles.AUDITOR])
    page = client.get("/audit/").content.decode()
    size = AuditEntry.objects.count()
    assert f"Log berisi {size} entri." in page
    assert f'<td data-label="Ukuran">{size}</td>' in page
    assert "✓ sah" in page
    checked = client.get("/audit/", {"periksa": "1"}).content.decode()
    assert "<strong>Log utuh.</strong>" in checked
    # a changed entry is found and named
    AuditEntry.objects.filter(index=2).update(
        entry=AuditEntry.objects.get(index=2).entry.replace('"', "'", 1)
    )
    broken = client.get("/audit/", {"periksa": "1"}).content.decode()
    assert "Log tidak cocok dengan hash-nya." in broken
    assert "Entri pertama yang tidak cocok adalah #2." in broken
    for role in (roles.ANALIS, roles.WARGA, roles.SUPERVISOR):
        client.force_login(people[role])
        assert client.get("/audit/").status_code == 404, role


# --- no code, exception text or bare value on any page, in either language ---------------------------------

LEAKS = re.compile(
    r"\b(GRANT|REFER|DENY|None|Traceback)\b|\b[A-Z][a-z]+(?:Error|Exception)\b|invalid YAML|"
    r"\bcases\.[a-z_]+\b|\boversight\.[a-z_]+\b"
)


def rule_ids() -> re.Pattern[str]:
    """The identifiers of every rule of the shipped packs: a page names a rule by its title, never by these.
    Left out: the few that are also the name of a fact (has_pkh_component, nik_verified), which the officer's
    provenance table and the register's requirements still show as facts (a leak of fact names, not of rules)."""
    ids: set[str] = set()
    names: set[str] = set()
    for rules in Path(settings.PACKS_DIR).glob("*/rules"):
        for rule_set in load_rule_sets(rules):
            ids |= {rule.id for rule in rule_set.rules}
            names |= {*rule_set.facts, *rule_set.derived, *rule_set.tables, *rule_set.scores}
    ids -= names
    assert "income_below_poverty_line" in ids and len(ids) > 10
    return re.compile(r"\b(" + "|".join(sorted(ids)) + r")\b")


def prose(html: str) -> str:
    """The visible text without a rule set's own source (the sandbox's editor, a draft's text), which is code."""
    source = r"<(pre|textarea)\b[^>]*data-source=\"rules\"[^>]*>.*?</\1>"
    return visible_text(re.sub(source, " ", html, flags=re.S))


def visible_text(html: str) -> str:
    """What a person reads: the page without tags, attributes, scripts and styles; radio values are code."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(
        r"<details><summary>Rincian teknis.*?</details>|<details><summary>Technical detail.*?</details>",
        " ",
        html,
        flags=re.S,
    )
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture
def lived_in(world, people, packs_root):
    """Applications in every state a page can show: granted, a proposal, an information request, an objection
    decided, an appeal overturned by the supervisor, a counter application, and a sandbox draft; then the
    dashboard's rule parts: failures per rule (the decisions above), an officer's flag and an open breaker."""
    from pamong.oversight import sandbox
    from pamong.oversight import services as oversight

    def submit(citizen, nik):
        application, _ = cases.submit_application(
            actor=citizen, service=world.bansos, applicant=citizen, form=dict(world.forms[nik])
        )
        return application

    granted = submit(world.warga, world.niks.WARGA_NIK)
    appealed = submit(world.denied, world.niks.DENIED_NIK)
    cases.claim_application(appealed, actor=world.petugas)
    cases.decide_application(
        appealed, actor=world.petugas, outcome="DENY", reasons="Penghasilan di atas batas."
    )
    objection = cases.file_objection(appealed, actor=world.denied, statement="Mobil sudah dijual.")
    cases.decide_objection(objection, actor=world.petugas2, overturn=False, reasons="Mobil masih terdaftar.")
    appealed.refresh_from_db()
    appeal = cases.file_appeal(appealed, actor=world.denied, statement="Mohon diperiksa atasan.")
    cases.decide_objection(appeal, actor=world.supervisor, overturn=True, reasons="Bukti jual beli sah.")
    asked = submit(world.refer, world.niks.REFER_NIK)
    cases.claim_application(asked, actor=world.petugas)
    cases.request_information(asked, actor=world.petugas, message="Kirim foto KK terbaru.")
    text = (packs_root / "bansos-pkh" / "rules" / "2026-07.yaml").read_text(encoding="utf-8")
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    text = text.replace("version: 2026-07", "version: 2099-01").replace(
        "effective_from: 2026-07-01", f"effective_from: {tomorrow.isoformat()}"
    )
    draft = sandbox.create_draft(world.bansos, actor=people[roles.ANALIS], yaml_text=text)
    rule = "income_below_poverty_line"
    cases.flag_rule(asked, actor=world.petugas, rule_id=rule, reason="Garis kemiskinan tampak usang.")
    breaker = oversight.open_breaker(  # every region: the case pages above show it too
        world.bansos, rule_id=rule, region_code=None, actor=people[roles.ANALIS], reason="Peta diperiksa."
    )
    return SimpleNamespace(granted=granted, appealed=appealed, asked=asked, draft=draft, breaker=breaker)


def pages_of(world, people, lived):
    """(who, path) of every template-rendered GET page, with the states above."""
    a = lived
    officer = people[roles.PETUGAS]
    return [
        (None, "/"),
        (None, "/layanan/"),
        (None, "/layanan/?q=akta+kelahiran"),
        (None, "/layanan/bansos-pkh/"),
        (None, "/layanan/sktm/"),
        (None, "/bantuan/"),
        (None, "/privasi/"),
        (None, "/kontak/"),
        (None, "/masuk/"),
        (None, "/masuk/aktivasi/"),
        (None, "/masuk/lupa-kata-sandi/"),
        (None, "/daftar/"),
        (None, "/algoritma/"),
        (None, "/algoritma/bansos-pkh/"),
        (None, "/tidak-ada/"),
        (world.warga, "/permohonan/"),
        (world.warga, f"/permohonan/{a.granted.pk}/"),
        (world.denied, f"/permohonan/{a.appealed.pk}/"),
        (world.refer, f"/permohonan/{a.asked.pk}/"),
        (world.warga, "/akun/"),
        (world.warga, "/akun/kata-sandi/"),
        (world.warga, "/layanan/bansos-pkh/ajukan/"),
        (people[roles.PETUGAS_LOKET], "/loket/"),
        (people[roles.PETUGAS_LOKET], "/loket/warga/"),
        (people[roles.PETUGAS_LOKET], "/loket/ajukan/bansos-pkh/"),
        (officer, "/petugas/antrean/"),
        (officer, f"/petugas/permohonan/{a.asked.pk}/"),
        (officer, f"/petugas/permohonan/{a.appealed.pk}/"),
        (people[roles.SUPERVISOR], f"/petugas/permohonan/{a.appealed.pk}/"),
        (people[roles.ANALIS], "/pengawasan/"),
        (people[roles.ANALIS], "/pengawasan/?layanan=bansos-pkh&bagian=data"),
        (people[roles.ANALIS], f"/pengawasan/pemutus/{a.breaker.pk}/"),
        (people[roles.ANALIS], "/pengawasan/keadilan/"),
        (people[roles.ANALIS], "/pengawasan/sandbox/"),
        (people[roles.ANALIS], "/pengawasan/sandbox/?layanan=bansos-pkh&dari=berlaku"),
        (people[roles.SUPERVISOR], "/pengawasan/sandbox/"),
        (people[roles.SUPERVISOR], f"/pengawasan/sandbox/{a.draft.pk}/"),
        (people[roles.ANALIS], "/pengawasan/perbaikan/"),
        (people[roles.AUDITOR], "/audit/"),
        (people[roles.AUDITOR], "/audit/?periksa=1"),
        (people[roles.ADMIN_INSTANSI], "/instansi/petugas/"),
        (people[roles.ADMIN_INSTANSI], f"/instansi/petugas/{officer.pk}/"),
    ]


@pytest.mark.parametrize("language", ["id", "en"])
def test_no_page_shows_a_code_an_exception_or_a_bare_value(world, people, lived_in, language):
    assert RuleSetDraft.objects.count() == 1
    ids = rule_ids()
    found = {}
    for who, path in pages_of(world, people, lived_in):
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        if who is not None:
            client.force_login(who)
        response = client.get(path)
        assert response.status_code in (200, 404), (path, response.status_code)
        assert response["Content-Language"] == language
        html = response.content.decode()
        leaks = sorted(
            {m.group(0) for m in LEAKS.finditer(visible_text(html))} | set(ids.findall(prose(html)))
        )
        if leaks:
            found[path] = leaks
    # the sandbox's error, re-shown after a bad upload, is in words too
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(people[roles.ANALIS])
    bad = client.post(
        "/pengawasan/sandbox/?layanan=bansos-pkh", {"layanan": "bansos-pkh", "yaml_text": "a: b: c"}
    )
    assert bad.status_code == 422
    leaks = sorted({m.group(0) for m in LEAKS.finditer(visible_text(bad.content.decode()))})
    if leaks:
        found["POST /pengawasan/sandbox/"] = leaks
    assert found == {}
