"""After `pamong demo`'s data is loaded, no NIK (registry people and the accounts' own) is in the SQLite file in
clear, and the demo staff sign in with the published TOTP secret."""

from __future__ import annotations

from pathlib import Path

import pyotp
import pytest
from django.db import connection

from pamong.accounts.models import TOTPDevice, User
from pamong.registry.models import Person
from pamong.site.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET, load_demo


@pytest.mark.django_db(transaction=True)
def test_no_nik_is_stored_in_clear_after_the_demo_is_loaded(packs_root):
    if connection.vendor != "sqlite":
        pytest.skip("reads the SQLite database file")
    load_demo(packs_root=packs_root)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(FULL)")
    path = Path(connection.settings_dict["NAME"])
    wal = Path(f"{path}-wal")
    stored = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert b"Cihapit" in stored  # the file read is the one written
    account_niks = [a.nik for a in DEMO_ACCOUNTS if a.nik]
    assert sorted(u.nik for u in User.objects.filter(nik_index__isnull=False)) == sorted(account_niks)
    assert len(account_niks) == 3
    niks = account_niks + [p.nik for p in Person.objects.all()]
    assert len(niks) > 1000
    assert [n for n in niks if n.encode() in stored] == []
    secrets = [d.secret for d in TOTPDevice.objects.all()]
    assert secrets and [s for s in set(secrets) if s.encode() in stored] == []


@pytest.mark.django_db
def test_demo_staff_sign_in_with_the_published_totp_secret(packs_root, client):
    load_demo(packs_root=packs_root)
    response = client.post("/masuk/", {"username": "petugas", "password": DEMO_PASSWORD})
    assert response["Location"] == "/masuk/verifikasi/"
    response = client.post("/masuk/verifikasi/", {"code": pyotp.TOTP(DEMO_TOTP_SECRET).now()})
    assert (response.status_code, response["Location"]) == (302, "/petugas/antrean/")  # an officer's landing
    assert client.get("/petugas/antrean/").status_code == 200
    # Demo citizens sign in with the password alone, by username or NIK, and land on their applications.
    client.logout()
    signed_in = client.post("/masuk/", {"username": "3273094108870002", "password": DEMO_PASSWORD})
    assert signed_in["Location"] == "/permohonan/"
