"""The complaint journey in a real browser at 360 px, in Indonesian and in English: a citizen files a report with
a photo (JavaScript off), an officer verifies, forwards, starts and answers it from the inbox, and the citizen sees
the answer and rates it. On every page: no horizontal scroll and no axe (WCAG 2.1 AA) violation; screenshots into
test-artifacts/."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from pamong.complaints.models import Complaint
from pamong.core.testing.browser import axe_violations, chromium, screenshot

from .conftest import photo_with_metadata

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 360, "height": 740}
TITLE = "Bantuan PKH belum cair"
ANSWER = (
    "Rekening KKS keluarga Ibu sudah diaktifkan kembali oleh bank penyalur pada hari ini; bantuan tahap "
    "ketiga cair dalam tiga hari kerja."
)
WORDS = {
    "id": {
        "new": "Laporkan masalah",
        "service": "Layanan yang dilaporkan",
        "title": "Judul",
        "description": "Apa yang terjadi, kapan dan di mana",
        "photos": "Foto (opsional)",
        "send": "Kirim laporan",
        "received": "Laporan Anda diterima",
        "verify": "Verifikasi",
        "officer": "Kepada petugas instansi ini",
        "forward": "Teruskan",
        "note": "Tanggapan awal untuk pelapor",
        "start": "Mulai",
        "answer": "Apa yang dilakukan, oleh siapa dan kapan",
        "send_answer": "Kirim jawaban",
        "answer_title": "Jawaban instansi",
        "accept": "Terima dan tutup",
    },
    "en": {
        "new": "Report a problem",
        "service": "Service the report is about",
        "title": "Title",
        "description": "What happened, when and where",
        "photos": "Photos (optional)",
        "send": "Send report",
        "received": "Your report was received",
        "verify": "Verify",
        "officer": "To an officer of this agency",
        "forward": "Forward",
        "note": "First response to the reporter",
        "start": "Start",
        "answer": "What was done, by whom and when",
        "send_answer": "Send answer",
        "answer_title": "The agency's answer",
        "accept": "Accept and close",
    },
}


@pytest.fixture
def sessions(world, tmp_path):
    """Session cookies of Siti (citizen) and of an officer, and a phone photo on disk (all before Playwright)."""
    cookies = {}
    for name, user in (("warga", world.warga), ("petugas", world.petugas)):
        client = Client()
        client.force_login(user)
        cookies[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
    photo = tmp_path / "IMG_20261130.jpg"
    photo.write_bytes(photo_with_metadata("Siti Aminah"))
    cache.clear()
    return cookies, photo, world.petugas.username


def _page(browser, live_server, cookie: str, language: str, *, javascript: bool):
    context = browser.new_context(java_script_enabled=javascript, locale="id-ID", viewport=PHONE)
    context.add_cookies(
        [
            {"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url},
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
        ]
    )
    return context, context.new_page()


def _check(page, name: str, found: dict) -> None:
    """Record horizontal overflow and axe violations (axe needs JavaScript: a second look with it on)."""
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    screenshot(page, name)
    found[name] = (overflow, axe_violations(page))


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_complaint_journey_on_a_phone(live_server, sessions, language):
    cookies, photo, officer = sessions
    words = WORDS[language]
    found: dict[str, tuple] = {}
    with chromium() as browser:
        # 1. the citizen files a report with a photo, JavaScript off
        context, page = _page(browser, live_server, cookies["warga"], language, javascript=False)
        page.goto(f"{live_server.url}/pengaduan/baru/")
        assert page.get_by_role("heading", level=1).inner_text() == words["new"]
        page.get_by_label(words["service"]).select_option("bansos-pkh")
        page.get_by_role("textbox", name=words["title"]).fill(TITLE)
        page.get_by_label(words["description"]).fill(
            "Bantuan PKH tahap ketiga belum cair padahal keluarga kami masih terdaftar aktif."
        )
        page.get_by_label(words["photos"]).set_input_files(str(photo))
        page.get_by_role("button", name=words["send"]).click()
        assert words["received"] in page.get_by_role("status").inner_text()
        detail_url = page.url
        context.close()
        context, page = _page(browser, live_server, cookies["warga"], language, javascript=True)
        for path, name in (("/pengaduan/baru/", "form"), (detail_url, "filed")):
            page.goto(path if path.startswith("http") else live_server.url + path)
            _check(page, f"complaint-{language}-{name}.png", found)
        assert page.locator("ul.photos img").count() == 1
        context.close()

        # 2. the officer finds it in the inbox and takes it to an answer, JavaScript off
        context, page = _page(browser, live_server, cookies["petugas"], language, javascript=False)
        page.goto(f"{live_server.url}/pengaduan/masuk/")
        row = page.get_by_role("row").filter(has_text=TITLE)
        row.get_by_role("link").click()
        staff_url = page.url
        assert page.locator("ul.photos img").count() == 1
        page.get_by_role("button", name=words["verify"], exact=True).click()
        page.get_by_label(words["officer"]).select_option(label=officer)
        page.get_by_role("button", name=words["forward"], exact=True).click()
        page.get_by_label(words["note"]).fill("Kami periksa data rekening KKS keluarga Ibu hari ini.")
        page.get_by_role("button", name=words["start"], exact=True).click()
        page.get_by_label(words["answer"]).fill(ANSWER)
        page.get_by_role("button", name=words["send_answer"]).click()
        assert ANSWER in page.content()
        context.close()
        context, page = _page(browser, live_server, cookies["petugas"], language, javascript=True)
        for path, name in ((f"{live_server.url}/pengaduan/masuk/", "inbox"), (staff_url, "answered")):
            page.goto(path)
            _check(page, f"complaint-{language}-staff-{name}.png", found)
        context.close()

        # 3. the citizen sees the answer and rates it
        context, page = _page(browser, live_server, cookies["warga"], language, javascript=False)
        page.goto(detail_url)
        answer = page.get_by_role("region", name=words["answer_title"])
        assert ANSWER in answer.inner_text()
        page.get_by_label("4", exact=True).check()
        page.get_by_role("button", name=words["accept"]).click()
        context.close()
        context, page = _page(browser, live_server, cookies["warga"], language, javascript=True)
        page.goto(detail_url)
        _check(page, f"complaint-{language}-closed.png", found)
        context.close()
    assert {name: result for name, result in found.items() if result != (0, [])} == {}
    assert len(found) == 5
    complaint = Complaint.objects.get(title=TITLE)
    assert (complaint.status, complaint.rating, complaint.answer) == ("closed", 4, ANSWER)
