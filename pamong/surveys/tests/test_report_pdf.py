"""The IKM report per period as PDF (issue 19, point 1): the regulation's layout with the IKM, its band, every
element's mean and the respondents against Krejcie and Morgan's minimum sample; fonts embedded; the same readers
as the HTML report."""

from __future__ import annotations

import io
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader

from pamong.core.testing.pdf import pdf_text
from pamong.surveys.tests.test_survey_pages import _respond_worked_example

pytestmark = pytest.mark.django_db


def _pdf(client, **query):
    response = client.get(reverse("surveys:report-pdf"), query)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    return response


def _fonts(pdf: bytes) -> list[tuple[str, bool]]:
    """(name, embedded) of every font the pages use."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    fonts = []
    for page_ref in reader.root["/Pages"]["/Kids"]:
        resources = page_ref.get_object()["/Resources"].get_object()
        for font in resources["/Font"].get_object().values():
            font = font.get_object()
            described = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = described["/FontDescriptor"].get_object()
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts.append((str(font["/BaseFont"]), embedded))
    return fonts


def test_the_pdf_report_has_the_ikm_its_band_each_elements_mean_and_the_sample(client, world):
    _respond_worked_example(world)
    client.force_login(world.supervisor)
    year = str(timezone.localdate().year)
    page = client.get(reverse("surveys:report"), {"layanan": "bansos-pkh", "periode": year}).content.decode()
    link = re.search(r'href="([^"]+)" class="pdf-link"', page)
    assert link and link[1].replace("&amp;", "&") == (
        f"/survei/laporan/pdf/?instansi={world.bansos.agency.slug}&periode={year}&layanan=bansos-pkh"
    )

    response = _pdf(client, instansi=world.bansos.agency.slug, periode=year, layanan="bansos-pkh")
    assert (
        f'filename="ikm-{world.bansos.agency.slug}-bansos-pkh-{year}.pdf"' in response["Content-Disposition"]
    )
    assert response["Cache-Control"] == "private, no-store"
    pdf = response.content
    assert pdf.startswith(b"%PDF-") and len(pdf) <= 150 * 1024
    text = " ".join(pdf_text(pdf).split())  # table cells wrap: read the text as one line
    # the regulation's layout, in order
    headings = ["I. Pendahuluan", "II. Pengumpulan data", "III. Hasil", "IV. Analisis", "V. Kesimpulan"]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    # the worked example: IKM 77,78, band B; the index 28/9; each element's mean (NRR) in U1..U9 order
    assert "IKM (nilai indeks × 25) 77,78 B" in text, text
    assert "Nilai indeks (jumlah NRR tertimbang) 3,111" in text
    rows = re.findall(r"U(\d) \D+? (\d+) (\d,\d\d) \d,\d{3} \d+,\d\d ([ABCD])", text)
    assert rows == [
        ("1", "13", "3,25", "B"), ("2", "11", "2,75", "C"), ("3", "9", "2,25", "D"),
        ("4", "16", "4,00", "A"), ("5", "13", "3,25", "B"), ("6", "13", "3,25", "B"),
        ("7", "15", "3,75", "A"), ("8", "10", "2,50", "D"), ("9", "12", "3,00", "C"),
    ], text  # fmt: skip
    # respondents against the population served and Krejcie and Morgan's minimum sample (4 people: all asked)
    assert "Populasi yang dilayani (keputusan akhir dalam periode) 4 " in text
    assert "Sampel minimum (Krejcie dan Morgan) 4 Responden 4 (cukup)" in text, text
    assert "Waktu penyelesaian: 2,25 (D)" in text  # the weakest element, to act on first
    assert "Saran dan komentar Baik. (4 responden)" in text  # the comment, once with its count
    assert "Kepala unit penyelenggara pelayanan," in text  # signed by the head of the unit
    fonts = _fonts(pdf)
    assert fonts and all(embedded for _, embedded in fonts), fonts
    assert all("DejaVu" in name for name, _ in fonts), fonts


def test_the_pdf_report_follows_the_readers_language(client, world):
    _respond_worked_example(world)
    client.force_login(world.supervisor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = " ".join(pdf_text(_pdf(client, layanan="bansos-pkh").content).split())
    assert "Report of the community satisfaction survey".upper() in text.upper()
    assert "V. Conclusion" in text and "Minimum sample (Krejcie and Morgan) 4" in text
    assert "IKM (index × 25) 77.78 B" in text, text  # English decimals in the English report (issue 20)
    assert "Head of the service unit" in text


def test_the_pdf_report_has_the_readers_of_the_html_report(client, world):
    _respond_worked_example(world)
    url = reverse("surveys:report-pdf")
    assert client.get(url).status_code == 302  # signed out: to the sign-in page
    client.force_login(world.dukcapil_officer)
    assert client.get(url).status_code == 404  # a case officer reads no report
    world.dukcapil_officer.groups.set(world.supervisor.groups.all())  # a supervisor of another agency
    text = pdf_text(_pdf(client, instansi=world.bansos.agency.slug).content)
    assert "77,78" not in text and "Belum ada jawaban" in text  # their own agency's report, not another's


def test_a_bad_period_gives_this_years_pdf_not_an_error(client, world):
    _respond_worked_example(world)
    client.force_login(world.supervisor)
    response = _pdf(client, layanan="bansos-pkh", periode='2026-13"; x')
    year = timezone.localdate().year
    assert (
        f'filename="ikm-{world.bansos.agency.slug}-bansos-pkh-{year}.pdf"' in response["Content-Disposition"]
    )
    assert "77,78" in pdf_text(response.content)
