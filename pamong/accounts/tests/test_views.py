"""Signing in and out (/masuk/, /keluar/), in Bahasa Indonesia."""

from __future__ import annotations

import pytest

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.catalog import services as catalog
from pamong.catalog.models import Agency

pytestmark = pytest.mark.django_db

PASSWORD = "uji-coba-pamong-2026"


@pytest.fixture
def citizen(db):
    accounts.ensure_role_groups()
    return accounts.create_account(actor="system:test", username="siti", password=PASSWORD, role=roles.WARGA)


def test_sign_in_page_is_in_indonesian_with_the_nik_label(client):
    response = client.get("/masuk/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="id">' in html
    assert '<label for="id_username">NIK atau nama pengguna</label>' in html
    assert '<label for="id_password">Kata sandi</label>' in html
    assert 'autocomplete="current-password"' in html


def test_wrong_password_is_a_422_with_an_error_summary_and_no_session(client, citizen):
    response = client.post("/masuk/", {"username": "siti", "password": "salah"})
    html = response.content.decode()
    assert response.status_code == 422
    assert "<title>Kesalahan: Masuk · Pamong</title>" in html
    assert "NIK atau nama pengguna dan kata sandi tidak cocok." in html
    assert 'value="siti"' in html
    assert "_auth_user_id" not in client.session


def test_sign_in_returns_to_the_page_asked_for_and_sign_out_is_a_post(client, citizen):
    response = client.post("/masuk/", {"username": "siti", "password": PASSWORD, "next": "/permohonan/"})
    assert response.status_code == 302
    assert response["Location"] == "/permohonan/"
    assert int(client.session["_auth_user_id"]) == citizen.pk
    html = client.get("/").content.decode()
    assert 'href="/permohonan/">Permohonan saya</a>' in html
    assert "<button>Keluar</button>" in html
    assert client.get("/keluar/").status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post("/keluar/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session


def test_navigation_shows_role_links(client, db, packs_root):
    accounts.ensure_role_groups()
    catalog.load_packs(root=packs_root)
    dinsos = Agency.objects.get(slug="dinsos-kota-bandung")
    officer = accounts.create_account(
        actor="system:test", username="dewi", password=PASSWORD, role=roles.PETUGAS, agency=dinsos
    )
    counter = accounts.create_account(
        actor="system:test", username="budi", password=PASSWORD, role=roles.PETUGAS_LOKET, agency=dinsos
    )
    anonymous = client.get("/").content.decode()
    assert 'href="/masuk/">Masuk</a>' in anonymous
    client.force_login(officer)
    html = client.get("/").content.decode()
    assert 'href="/petugas/antrean/">Antrean pemeriksaan</a>' in html and "Permohonan saya" not in html
    client.force_login(counter)
    html = client.get("/").content.decode()
    assert 'href="/loket/">Loket</a>' in html and "Antrean pemeriksaan" not in html
