"""The survey, the report and the public performance page in a real browser at 360 px: the citizen answers the
survey with JavaScript off; axe (WCAG 2.1 AA) finds no violation; screenshots into test-artifacts/."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from pamong.cases import services as cases
from pamong.core.testing.browser import axe_violations, chromium, screenshot
from pamong.surveys import services as surveys
from pamong.surveys.forms import clean_survey
from pamong.surveys.ikm import ELEMENTS
from pamong.surveys.models import SurveyResponse

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def survey_world(world):
    """A granted application of Siti's, and session cookies of Siti and of the supervisor (loaded before
    Playwright starts: its event loop and Django's ORM do not mix)."""
    application, _ = cases.submit_application(
        actor=world.warga,
        service=world.bansos,
        applicant=world.warga,
        form=dict(world.forms[world.niks.WARGA_NIK]),
    )
    # The report with content: one paper questionnaire and a follow-up action.
    surveys.record_paper_response(
        world.bansos,
        actor=world.supervisor,
        answers=clean_survey(dict.fromkeys(ELEMENTS, "3")),
        month=timezone.localdate(),
    )
    surveys.record_followup(
        actor=world.supervisor, agency=world.bansos.agency, service=world.bansos,
        period=str(timezone.localdate().year), element="waktu", action="Menambah petugas verifikasi.",
        responsible="Bidang Perlindungan Sosial", due=timezone.localdate(),
    )  # fmt: skip
    cookies = {}
    for name, user in (("warga", world.warga), ("supervisor", world.supervisor)):
        client = Client()
        client.force_login(user)
        cookies[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
    cache.clear()
    return application, cookies


def _context(browser, live_server, cookie: str | None, *, javascript: bool):
    context = browser.new_context(java_script_enabled=javascript, locale="id-ID", viewport=PHONE)
    if cookie:
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return context


def test_the_citizen_answers_the_survey_on_a_phone_without_javascript(live_server, survey_world):
    application, cookies = survey_world
    with chromium() as browser:
        context = _context(browser, live_server, cookies["warga"], javascript=False)
        page = context.new_page()
        page.goto(f"{live_server.url}/permohonan/{application.pk}/")
        page.get_by_role("link", name="Isi survei kepuasan").click()
        for group, answer in (
            ("Bagaimana pendapat Saudara tentang kesesuaian persyaratan", "Sesuai"),
            ("Bagaimana pemahaman Saudara tentang kemudahan prosedur", "Mudah"),
            ("Bagaimana pendapat Saudara tentang kecepatan waktu", "Kurang cepat"),
            ("Bagaimana pendapat Saudara tentang kewajaran biaya", "Gratis"),
            ("Bagaimana pendapat Saudara tentang kesesuaian produk", "Sesuai"),
            ("Bagaimana pendapat Saudara tentang kompetensi", "Kompeten"),
            ("Bagaimana pendapat Saudara tentang perilaku petugas", "Sangat sopan dan ramah"),
            ("Bagaimana pendapat Saudara tentang penanganan pengaduan", "Berfungsi kurang maksimal"),
            ("Bagaimana pendapat Saudara tentang kualitas sarana", "Baik"),
        ):
            page.get_by_role("group", name=group).get_by_label(answer, exact=True).check()
        page.get_by_label("Pendidikan").select_option("sma")
        screenshot(page, "survey-phone.png")
        page.get_by_role("button", name="Kirim jawaban").click()
        assert page.url.endswith(f"/permohonan/{application.pk}/")
        assert "Terima kasih" in page.get_by_role("status").inner_text()
        context.close()
    stored = SurveyResponse.objects.get(channel="web")
    assert (stored.waktu, stored.biaya, stored.pengaduan, stored.education) == (2, 4, 3, "sma")


def test_survey_report_and_performance_pages_pass_axe_at_360px(live_server, survey_world):
    application, cookies = survey_world
    pages = [
        (f"/permohonan/{application.pk}/survei/", cookies["warga"], "survey-form.png"),
        ("/survei/laporan/?layanan=bansos-pkh", cookies["supervisor"], "survey-report.png"),
        ("/kinerja/layanan/bansos-pkh/", None, "performance-bansos.png"),
    ]
    found = {}
    with chromium() as browser:
        for path, cookie, shot in pages:
            context = _context(browser, live_server, cookie, javascript=True)
            page = context.new_page()
            assert page.goto(live_server.url + path).status == 200, path
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            screenshot(page, shot)
            found[shot] = (axe_violations(page), overflow)
            if shot == "survey-report.png":  # the report links its PDF, which the same reader downloads
                link = page.get_by_role(
                    "link", name="Unduh laporan ini sebagai PDF (untuk ditandatangani dan diarsipkan)"
                )
                pdf = context.request.get(live_server.url + link.get_attribute("href"))
                found["pdf"] = (pdf.status, pdf.headers["content-type"], pdf.body()[:5])
            context.close()
    assert found.pop("pdf") == (200, "application/pdf", b"%PDF-")
    assert found == {shot: ([], 0) for _, _, shot in pages}
