"""Photos with a report: type by content, size and pixel limits, every metadata block gone (EXIF with GPS and the
owner's name, XMP, comments, PNG text), stored encrypted, shown only to the reporter and the agency's staff; from
the web form (no JavaScript), the counter, the API and Open311 (multipart `media`)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from pamong.audit.models import AuditEntry
from pamong.complaints import photos, services
from pamong.complaints.models import Complaint, Photo
from pamong.core.errors import ValidationFailed

from .conftest import photo_with_metadata, report

OWNER = "Ratna Kusumawati"
WEB_REPORT = {
    "service": "bansos-pkh",
    "kind": "pengaduan",
    "title": "Jalan berlubang di depan kantor kelurahan",
    "description": "Lubang besar di jalan depan kantor kelurahan sudah dua minggu dan membahayakan.",
}


def _no_metadata(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    assert image.format == "JPEG"
    assert not image.getexif()
    assert not {"exif", "xmp", "comment", "icc_profile", "XML:com.adobe.xmp"} & set(image.info)
    for needle in (OWNER.encode(), b"Pabrikan", b"Exif", b"adobe:ns:meta"):
        assert needle not in content
    return image


def test_a_phone_photo_loses_its_gps_owner_and_device_but_keeps_its_orientation():
    sent = photo_with_metadata(OWNER)
    before = Image.open(io.BytesIO(sent))
    assert before.getexif()[0x013B] == OWNER and before.getexif().get_ifd(0x8825)  # the test photo tells
    clean = photos.clean_photo(sent)
    image = _no_metadata(clean.content)
    # Orientation 6 applied before EXIF went: 64×48 stored sideways is 48×64 upright, blue half on top.
    assert (clean.width, clean.height) == image.size == (48, 64)
    red, _green, blue = image.getpixel((24, 5))
    assert blue > 150 and red < 100


def test_png_text_chunks_are_dropped_and_the_photo_becomes_a_jpeg():
    clean = photos.clean_photo(photo_with_metadata(OWNER, fmt="PNG"))
    _no_metadata(clean.content)
    assert clean.content_type == "image/jpeg"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "photo_empty"),
        (b"%PDF-1.7\n" + b"x" * 500, "photo_type_not_allowed"),
        (b"GIF89a" + b"\x00" * 500, "photo_type_not_allowed"),
        (b"<html><script>alert(1)</script></html>" * 20, "photo_type_not_allowed"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 600, "photo_unreadable"),  # says JPEG, is not one
        (b"\xff\xd8\xff\xe0" + b"\x00" * (photos.MAX_BYTES + 1), "photo_too_large"),
    ],
)
def test_what_is_not_a_photo_is_refused_with_a_code(content, code):
    with pytest.raises(ValidationFailed) as refused:
        photos.clean_photo(content)
    assert refused.value.code == code
    assert refused.value.details["photos"]


def test_a_small_file_that_decodes_to_a_huge_image_is_refused_before_decoding():
    out = io.BytesIO()
    Image.new("1", (8000, 8000)).save(out, format="PNG")  # 64 megapixels in a few kilobytes
    assert len(out.getvalue()) < 100_000
    with pytest.raises(ValidationFailed) as refused:
        photos.clean_photo(out.getvalue())
    assert refused.value.code == "photo_too_many_pixels"


def test_a_large_photo_is_scaled_down():
    out = io.BytesIO()
    Image.new("RGB", (4000, 3000), (10, 120, 10)).save(out, format="JPEG")
    clean = photos.clean_photo(out.getvalue())
    assert (clean.width, clean.height) == (photos.MAX_SIDE, photos.MAX_SIDE * 3 // 4)


def test_the_web_form_takes_photos_without_javascript_and_keeps_them_encrypted(client, world):
    client.force_login(world.warga)
    page = client.get("/pengaduan/baru/").content.decode()
    assert 'enctype="multipart/form-data"' in page and 'type="file"' in page and 'name="photos"' in page
    named_png = SimpleUploadedFile("foto.png", photo_with_metadata(OWNER), content_type="image/png")
    response = client.post(
        "/pengaduan/baru/",
        {
            **WEB_REPORT,
            "anonymous": "1",
            "photos": [named_png, SimpleUploadedFile("b.jpg", photo_with_metadata("X"))],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    complaint = Complaint.objects.get(title__startswith="Jalan berlubang")
    stored = list(complaint.photos.all())
    assert len(stored) == 2
    raw = stored[0].file.open("rb").read()
    assert raw[:5] != b"\xff\xd8\xff\xe0\x00"[:5] and b"JFIF" not in raw  # encrypted at rest
    assert OWNER not in stored[0].file.name and "foto" not in stored[0].file.name  # no name kept
    _no_metadata(stored[0].read_content())
    entry = AuditEntry.objects.get(subject=f"complaint:{complaint.reference}", action="complaints.submitted")
    assert stored[0].sha256 in entry.payload
    # the reporter sees their photos; the agency's staff see them without metadata; nobody else
    detail = client.get(f"/pengaduan/l/{complaint.reference}/").content.decode()
    url = f"/pengaduan/l/{complaint.reference}/foto/{stored[0].pk}/"
    assert url in detail
    served = client.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    _no_metadata(served.content)
    client.force_login(world.denied)
    assert client.get(url).status_code == 404
    client.force_login(world.petugas)
    staff_url = f"/pengaduan/masuk/{complaint.pk}/foto/{stored[0].pk}/"
    assert staff_url in client.get(f"/pengaduan/masuk/{complaint.pk}/").content.decode()
    _no_metadata(client.get(staff_url).content)
    client.force_login(world.dukcapil_officer)  # another agency
    assert client.get(staff_url).status_code == 404


def test_a_file_that_is_not_a_photo_stops_the_form_with_a_message(client, world):
    client.force_login(world.warga)
    response = client.post(
        "/pengaduan/baru/",
        {
            **WEB_REPORT,
            "photos": SimpleUploadedFile("foto.jpg", b"MZ\x90\x00" + b"\x00" * 400),  # a program named .jpg
        },
    )
    assert response.status_code == 422
    assert "JPEG, PNG" in response.content.decode()
    assert not Complaint.objects.exists() and not Photo.objects.exists()


def test_at_most_three_photos_per_report(world):
    sent = photo_with_metadata(OWNER)
    with pytest.raises(ValidationFailed) as refused:
        services.submit_complaint(report(world, photos=(sent,) * 4), actor=world.warga, reporter=world.warga)
    assert refused.value.code == "too_many_photos"
    complaint = services.submit_complaint(
        report(world, photos=(sent,) * 3), actor=world.warga, reporter=world.warga
    )
    with pytest.raises(ValidationFailed) as refused:
        services.add_photo(complaint, actor=world.warga, content=sent)
    assert refused.value.code == "too_many_photos"


def test_the_counter_records_a_photo_the_citizen_brought(client, world):
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
            "photos": SimpleUploadedFile("ktp.jpg", photo_with_metadata(OWNER)),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    complaint = Complaint.objects.get(channel="counter")
    _no_metadata(complaint.photos.get().read_content())


def test_an_anonymous_report_refuses_a_photo_link_that_could_name_its_owner(world):
    with pytest.raises(ValidationFailed) as refused:
        services.submit_complaint(
            report(world, anonymous=True, media_url="https://foto.contoh.id/ratna.kusumawati/123.jpg"),
            actor=world.warga,
            reporter=world.warga,
        )
    assert refused.value.code == "complaint_invalid" and "media_url" in refused.value.details
