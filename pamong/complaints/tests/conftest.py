"""Complaints on top of the world: a report about Bambang's refused application, and helpers."""

from __future__ import annotations

import base64
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from pamong.cases import services as cases
from pamong.clients import services as clients
from pamong.complaints import services

WIB = ZoneInfo("Asia/Jakarta")
# Tuesday 22 December 2026, 10:00 WIB: Thursday 24 (cuti bersama) and Friday 25 (Christmas) are not working days.
BEFORE_CHRISTMAS = dt.datetime(2026, 12, 22, 10, 0, tzinfo=WIB)


def report(world, **changes) -> services.Report:
    values = {
        "service": world.bansos,
        "title": "Bantuan PKH tidak cair tiga bulan",
        "description": "Sudah tiga bulan bantuan PKH keluarga kami tidak cair, padahal status masih aktif di DTKS.",
        "region_code": "3273011001",
        **changes,
    }
    return services.Report(**values)


def token_for(client, world, scopes: list[str]) -> str:
    """A bearer token of a machine client of Dinas Sosial, from the real token endpoint (client credentials)."""
    machine, secret = clients.register_client(
        actor="system:test", agency=world.bansos.agency, name=f"Klien {' '.join(scopes)}", scopes=scopes
    )
    basic = base64.b64encode(f"{machine.client_id}:{secret}".encode()).decode()
    answer = client.post(
        "/oauth/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {basic}"
    )
    assert answer.status_code == 200, answer.content
    return answer.json()["access_token"]


@pytest.fixture
def api_key(client, world) -> str:
    return token_for(client, world, ["complaints:submit"])


@pytest.fixture
def refused(world):
    """Bambang's bansos application, refused by an officer."""
    application, _ = cases.submit_application(
        actor=world.denied,
        service=world.bansos,
        applicant=world.denied,
        form=dict(world.forms[world.niks.DENIED_NIK]),
    )
    application.refresh_from_db()
    if application.status == "under_review":
        cases.claim_application(application, actor=world.petugas2)
        cases.decide_application(
            application, actor=world.petugas2, outcome="DENY", reasons="Di atas garis kemiskinan."
        )
        application.refresh_from_db()
    assert application.status == "denied", application.status
    return application


# GPS of Gedung Sate, Bandung (degrees, minutes, seconds): where a phone says the photo was taken.
GPS = {1: "S", 2: (6.0, 54.0, 8.5), 3: "E", 4: (107.0, 37.0, 5.2)}


def photo_with_metadata(owner: str, *, fmt: str = "JPEG", size: tuple[int, int] = (64, 48)) -> bytes:
    """A photo as a phone writes it: EXIF with the owner's name, the device, the GPS position and a rotation;
    a JPEG comment and XMP naming the owner (JPEG), or text chunks naming them (PNG)."""
    import io

    from PIL import Image, PngImagePlugin

    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((20, 20, 220), (0, 0, size[0] // 2, size[1]))  # left half blue: shows the rotation
    out = io.BytesIO()
    if fmt == "PNG":
        text = PngImagePlugin.PngInfo()
        text.add_text("Author", owner)
        text.add_text("GPS", "-6.902, 107.618")
        image.save(out, format="PNG", pnginfo=text)
        return out.getvalue()
    exif = Image.Exif()
    exif[0x013B] = owner  # Artist
    exif[0x8298] = f"(c) {owner}"  # Copyright
    exif[0x010F] = "Pabrikan Ponsel"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view
    exif.get_ifd(0x8825).update(GPS)
    xmp = f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>{owner}</dc:creator></x:xmpmeta>'.encode()
    image.save(out, format="JPEG", exif=exif, comment=owner.encode(), xmp=xmp)
    return out.getvalue()
