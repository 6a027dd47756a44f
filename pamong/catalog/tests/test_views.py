"""Public catalog pages, in Bahasa Indonesia first with an English switch."""

import pytest

pytestmark = pytest.mark.django_db


def test_home_and_catalog_pages_render_in_indonesian(client, demo_catalog):
    home = client.get("/")
    assert home.status_code == 200
    assert '<html lang="id">' in home.content.decode()
    page = client.get("/layanan/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Katalog layanan" in html
    assert "6 layanan ditemukan" in html


def test_search_page_finds_akta_kelahiran_first(client, demo_catalog):
    html = client.get("/layanan/", {"q": "pembuatan akta kelahiran anak"}).content.decode()
    first = html.index('href="/layanan/akta-kelahiran/"')
    assert all(first < html.index(f'href="/layanan/{slug}/"') for slug in ["akta-kematian"] if slug in html)


def test_agency_filter_page(client, demo_catalog):
    html = client.get("/layanan/", {"instansi": "dinsos-kota-bandung"}).content.decode()
    assert "bansos-pkh" in html and "akta-kelahiran/" not in html


def test_service_page_shows_the_whole_standard(client, demo_catalog):
    html = client.get("/layanan/bansos-pkh/").content.decode()
    for heading in ["1. Persyaratan", "7. Dasar hukum", "14. Evaluasi kinerja pelaksana"]:
        assert heading in html
    assert "Permensos" in html or "Peraturan Menteri Sosial Nomor 1 Tahun 2018" in html


def test_english_switch(client, demo_catalog):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/layanan/akta-kelahiran/"})
    assert response.status_code == 302
    html = client.get("/layanan/akta-kelahiran/").content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Birth Certificate</h1>" in html
    assert "1. Requirements" in html


def test_unknown_service_page_is_a_friendly_404(client, demo_catalog):
    response = client.get("/layanan/tidak-ada/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_an_english_browser_still_gets_indonesian_until_it_chooses(client, demo_catalog):
    html = client.get("/layanan/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="id">' in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/layanan/"})
    assert '<html lang="en">' in client.get("/layanan/").content.decode()
