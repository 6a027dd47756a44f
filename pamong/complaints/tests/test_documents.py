"""PDF documents with a report (issue 16): type by content through the shared upload checker, a size and count
limit, every author trace gone (document information, XMP, annotation authors), stored encrypted, shown only to
the reporter and the agency's staff; from the web form (no JavaScript), the counter and the API."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, TextStringObject

from pamong.audit.models import AuditEntry
from pamong.complaints import pdfs, personal_data, services
from pamong.complaints.models import Complaint, Document
from pamong.core.errors import ValidationFailed

from .conftest import report
from .test_api import REPORT, answer_it, post_json
from .test_photos import WEB_REPORT

OWNER = "Ratna Kusumawati"


def pdf_with_metadata(owner: str, *, pages: int = 1) -> bytes:
    """A PDF as a word processor leaves it: the owner in /Info, in an XMP stream and as a comment's author."""
    writer = PdfWriter()
    for _page in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Author": owner, "/Creator": "Pengolah Kata 7", "/Producer": "Pabrikan PDF"})
    xmp = DecodedStreamObject()
    xmp.set_data(f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>{owner}</dc:creator></x:xmpmeta>'.encode())
    xmp.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
    writer._root_object[NameObject("/Metadata")] = writer._add_object(xmp)
    note = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Text"),
            NameObject("/Rect"): ArrayObject([]),
            NameObject("/T"): TextStringObject(owner),
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(note)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _no_author(content: bytes) -> PdfReader:
    assert content.startswith(b"%PDF-")
    for needle in (OWNER.encode(), b"Pengolah Kata", b"Pabrikan", b"adobe:ns:meta", b"pypdf"):
        assert needle not in content
    reader = PdfReader(io.BytesIO(content))
    assert not reader.metadata and reader.xmp_metadata is None
    return reader


def test_a_pdf_loses_its_author_creator_producer_and_xmp_but_keeps_its_pages():
    sent = pdf_with_metadata(OWNER, pages=2)
    assert OWNER.encode() in sent and b"adobe:ns:meta" in sent  # the test file tells
    clean = pdfs.clean_document(sent)
    assert clean.pages == 2 == len(_no_author(clean.content).pages)


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "upload_empty"),
        (b"MZ\x90\x00" + b"\x00" * 400, "document_not_pdf"),  # a program named .pdf
        (b"<html><script>alert(1)</script></html>" * 20, "document_not_pdf"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 400, "document_not_pdf"),  # a photo: use the photo field
        (b"%PDF-1.7\n" + b"x" * 600, "document_unreadable"),  # says PDF, is not one
        (b"%PDF-1.7\n" + b"x" * pdfs.MAX_BYTES, "document_too_large"),
    ],
)
def test_what_is_not_a_readable_pdf_is_refused_with_a_code(content, code):
    with pytest.raises(ValidationFailed) as refused:
        pdfs.clean_document(content)
    assert refused.value.code == code
    assert refused.value.details["documents"]


def test_the_web_form_takes_a_pdf_and_staff_never_see_the_anonymous_reporters_name(client, world):
    client.force_login(world.warga)
    page = client.get("/pengaduan/baru/").content.decode()
    assert 'name="documents"' in page and 'accept="application/pdf"' in page
    response = client.post(
        "/pengaduan/baru/",
        {
            **WEB_REPORT,
            "anonymous": "1",
            "documents": SimpleUploadedFile(f"surat {OWNER}.pdf", pdf_with_metadata(OWNER)),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    complaint = Complaint.objects.get(title__startswith="Jalan berlubang")
    stored = complaint.documents.get()
    raw = stored.file.open("rb").read()
    assert not raw.startswith(b"%PDF") and "Ratna" not in stored.file.name  # encrypted, no name kept
    _no_author(stored.read_content())
    entry = AuditEntry.objects.get(subject=f"complaint:{complaint.reference}", action="complaints.submitted")
    assert stored.sha256 in entry.payload
    url = f"/pengaduan/l/{complaint.reference}/dokumen/{stored.pk}/"
    assert url in client.get(f"/pengaduan/l/{complaint.reference}/").content.decode()
    served = client.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"].startswith("attachment;")
    client.force_login(world.denied)
    assert client.get(url).status_code == 404
    client.force_login(world.petugas)
    staff_url = f"/pengaduan/masuk/{complaint.pk}/dokumen/{stored.pk}/"
    staff_page = client.get(f"/pengaduan/masuk/{complaint.pk}/").content.decode()
    assert staff_url in staff_page and OWNER not in staff_page
    _no_author(client.get(staff_url).content)
    client.force_login(world.dukcapil_officer)  # another agency
    assert client.get(staff_url).status_code == 404


def test_a_program_named_pdf_stops_the_form_with_a_message(client, world):
    client.force_login(world.warga)
    response = client.post(
        "/pengaduan/baru/",
        {**WEB_REPORT, "documents": SimpleUploadedFile("kwitansi.pdf", b"MZ\x90\x00" + b"\x00" * 400)},
    )
    assert response.status_code == 422
    assert "Hanya dokumen PDF yang diterima" in response.content.decode()  # the default language
    assert not Complaint.objects.exists() and not Document.objects.exists()


def test_a_citizen_adds_a_pdf_by_the_api_checked_and_audited(client, world):
    client.force_login(world.warga)
    reference = post_json(client, "/api/v1/complaints", {**REPORT, "privacy": "anonim"}).json()["reference"]
    path = f"/api/v1/complaints/{reference}/documents"
    fake = client.post(path, {"file": SimpleUploadedFile("a.pdf", b"MZ\x90\x00" + b"\x00" * 400)})
    assert fake.status_code == 422 and fake.json()["code"] == "document_not_pdf"
    big = client.post(path, {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.7\n" + b"x" * pdfs.MAX_BYTES)})
    assert big.status_code == 422 and big.json()["code"] == "document_too_large"
    added = client.post(path, {"file": SimpleUploadedFile("a.pdf", pdf_with_metadata(OWNER))})
    assert added.status_code == 201, added.content
    assert added.json()["pages"] == 1 and added.json()["content_type"] == "application/pdf"
    complaint = Complaint.objects.get(reference=reference)
    _no_author(complaint.documents.get().read_content())
    assert client.get(f"/api/v1/complaints/{reference}").json()["documents"] == 1
    entry = AuditEntry.objects.get(subject=f"complaint:{reference}", action="complaints.document_added")
    assert added.json()["sha256"] in entry.payload and str(world.warga.pk) not in entry.actor
    answer_it(complaint, world)
    late = client.post(path, {"file": SimpleUploadedFile("b.pdf", pdf_with_metadata("W"))})
    assert late.status_code == 409 and late.json()["code"] == "complaint_not_open"


def test_at_most_three_documents_per_report_counted_apart_from_photos(world):
    sent = pdf_with_metadata(OWNER)
    with pytest.raises(ValidationFailed) as refused:
        services.submit_complaint(
            report(world, documents=(sent,) * 4), actor=world.warga, reporter=world.warga
        )
    assert refused.value.code == "too_many_documents"
    complaint = services.submit_complaint(
        report(world, documents=(sent,) * 3), actor=world.warga, reporter=world.warga
    )
    with pytest.raises(ValidationFailed) as refused:
        services.add_document(complaint, actor=world.warga, content=sent)
    assert refused.value.code == "too_many_documents"


def test_the_counter_records_a_letter_the_citizen_brought(client, world):
    client.force_login(world.loket)
    response = client.post(
        "/loket/pengaduan/",
        {
            "nik": world.niks.REFER_NIK,
            "full_name": "Asep Sunandar",
            "service": "bansos-pkh",
            "kind": "pengaduan",
            "title": "Pendamping PKH tidak datang",
            "description": "Pendamping PKH tidak datang ke pertemuan kelompok selama tiga bulan terakhir.",
            "consent_method": "tanda_tangan",
            "consent_statement": "Saya setuju laporan saya dicatat petugas.",
            "documents": SimpleUploadedFile("surat.pdf", pdf_with_metadata(OWNER)),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    _no_author(Complaint.objects.get(channel="counter").documents.get().read_content())


def test_documents_are_exported_as_hashes_and_erased_with_the_report(world):
    hidden = services.submit_complaint(
        report(world, anonymous=True, documents=(pdf_with_metadata(OWNER),)),
        actor=world.warga,
        reporter=world.warga,
    )
    document = hidden.documents.get()
    exported = personal_data.export(world.warga)["complaints"]["reports"]
    assert [r["documents"] for r in exported if r["reference"] == hidden.reference] == [[document.sha256]]
    personal_data.erase(world.warga)
    assert not Document.objects.filter(complaint=hidden).exists()
    assert not default_storage.exists(document.file.name)
