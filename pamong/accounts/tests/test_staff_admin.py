"""An agency administrator manages their own agency's staff: create, roles, authenticator reset, deactivation.
Every change is audited; other agencies' accounts, citizens and the administrator's own lock-outs are refused."""

from __future__ import annotations

import pyotp
import pytest
from django.test import Client

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.accounts.models import TOTPDevice, User
from pamong.audit.models import AuditEntry
from pamong.catalog.models import Agency

NEW = {
    "full_name": "Budi Santoso",
    "username": "budi.santoso",
    "email": "budi@dinsos.example.go.id",
    "role": "petugas",
    "password": "kata-sandi-yang-panjang-2026",
}


@pytest.fixture
def admin(world):
    return accounts.create_account(
        actor="system:test",
        username="admin-dinsos",
        password="x" * 16,
        role=roles.ADMIN_INSTANSI,
        agency=world.petugas.agency,
    )


@pytest.fixture
def as_admin(client, admin):
    client.force_login(admin)
    return client


def _events(user: User, action: str) -> list[dict]:
    return [e.data for e in AuditEntry.objects.filter(subject=f"accounts.user:{user.pk}", action=action)]


def test_the_list_shows_only_this_agencys_staff(as_admin, world):
    page = as_admin.get("/instansi/petugas/").content.decode()
    assert "petugas2" in page and "loket" in page
    assert "petugas-dukcapil" not in page and "petugas-kelurahan" not in page and "bambang" not in page
    assert "Petugas instansi" in page  # the menu entry and the heading, in Bahasa Indonesia


def test_creating_an_account_puts_it_in_the_agency_with_its_role_and_it_must_enrol_totp(as_admin, admin):
    response = as_admin.post("/instansi/petugas/", NEW)
    budi = User.objects.get(username="budi.santoso")
    assert response.status_code == 302 and response["Location"] == f"/instansi/petugas/{budi.pk}/"
    assert (budi.agency_id, budi.is_staff, budi.role_names) == (admin.agency_id, True, ["petugas"])
    assert budi.email == NEW["email"] and budi.get_full_name() == "Budi Santoso"
    assert _events(budi, "accounts.account_created") and _events(budi, "accounts.role_changed") == [
        {"added": "petugas", "agency": "dinsos-kota-bandung"}
    ]
    assert set(
        AuditEntry.objects.filter(subject=f"accounts.user:{budi.pk}").values_list("actor", flat=True)
    ) == {f"user:{admin.pk}"}
    fresh = Client()  # Budi signs in for real: the password works, and the authenticator comes first
    response = fresh.post("/masuk/", {"username": "budi.santoso", "password": NEW["password"]})
    assert response["Location"] == "/masuk/autentikator/"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"username": "Budi Santoso"}, "Gunakan 3 sampai 40 huruf kecil"),
        ({"username": "petugas2"}, "Nama pengguna ini sudah dipakai."),
        ({"password": "12345678"}, "Kata sandi"),
        ({"role": "auditor"}, "Masukkan pilihan yang valid"),
        ({"full_name": ""}, "Bidang ini tidak boleh kosong"),
    ],
)
def test_invalid_new_accounts_are_refused_with_a_clear_message(as_admin, change, message):
    response = as_admin.post("/instansi/petugas/", {**NEW, **change})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not User.objects.filter(username="budi.santoso").exists()


def test_roles_are_set_exactly_and_each_change_is_audited(as_admin, world):
    response = as_admin.post(
        f"/instansi/petugas/{world.petugas.pk}/peran/", {"roles": ["supervisor", "analis"]}
    )
    assert response.status_code == 302
    assert world.petugas.role_names == ["analis", "supervisor"]
    changes = _events(world.petugas, "accounts.role_changed")
    assert {"added": "analis", "agency": "dinsos-kota-bandung"} in changes
    assert {"added": "supervisor", "agency": "dinsos-kota-bandung"} in changes
    assert {"removed": "petugas", "agency": "dinsos-kota-bandung"} in changes
    page = as_admin.get(f"/instansi/petugas/{world.petugas.pk}/").content.decode()
    assert (
        "− Petugas" in page and "+ Analis pengawasan" in page
    )  # the account history, read from the audit log


@pytest.mark.parametrize(
    ("chosen", "message"),
    [
        ([], "Petugas memerlukan sedikitnya satu peran"),
        (["auditor"], "Masukkan pilihan yang valid"),
    ],
)
def test_invalid_role_choices_are_refused(as_admin, world, chosen, message):
    response = as_admin.post(f"/instansi/petugas/{world.petugas.pk}/peran/", {"roles": chosen})
    assert response.status_code == 422 and message in response.content.decode()
    assert world.petugas.role_names == ["petugas"]


def test_an_administrator_cannot_lock_themselves_out(as_admin, admin):
    response = as_admin.post(f"/instansi/petugas/{admin.pk}/peran/", {"roles": ["petugas"]})
    assert response.status_code == 422 and "peran administrator Anda sendiri" in response.content.decode()
    response = as_admin.post(
        f"/instansi/petugas/{admin.pk}/status/", {"active": "0", "reason": "Uji coba saja."}
    )
    assert response.status_code == 422 and "menonaktifkan akun Anda sendiri" in response.content.decode()
    response = as_admin.post(f"/instansi/petugas/{admin.pk}/autentikator/", {"reason": "Telepon hilang."})
    assert response.status_code == 422
    admin.refresh_from_db()
    assert admin.is_active and roles.ADMIN_INSTANSI in admin.role_names


def test_an_authenticator_reset_forgets_the_device_and_ends_the_members_sessions(as_admin, world):
    TOTPDevice.objects.create(
        user=world.petugas,
        secret=pyotp.random_base32(),
        created_at="2026-01-05T08:00:00Z",
        confirmed_at="2026-01-05T08:01:00Z",
    )
    officer = Client()
    officer.force_login(world.petugas)
    assert officer.get("/petugas/antrean/").status_code == 200
    response = as_admin.post(f"/instansi/petugas/{world.petugas.pk}/autentikator/", {"reason": "pendek"})
    assert response.status_code == 422 and "sedikitnya 10 karakter" in response.content.decode()
    assert TOTPDevice.objects.filter(user=world.petugas).exists()

    response = as_admin.post(
        f"/instansi/petugas/{world.petugas.pk}/autentikator/", {"reason": "Telepon genggam hilang di angkot."}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.petugas).exists()
    assert officer.get("/petugas/antrean/")["Location"].startswith("/masuk/")  # the open session is gone
    assert _events(world.petugas, "accounts.totp_reset") == [{"reason": "Telepon genggam hilang di angkot."}]
    assert as_admin.get("/instansi/petugas/").status_code == 200  # the administrator's own session lives on


def test_a_deactivated_member_cannot_sign_in_and_can_be_reactivated(as_admin, world):
    from pamong.conftest import PASSWORD

    url = f"/instansi/petugas/{world.petugas.pk}/status/"
    assert as_admin.post(url, {"active": "0", "reason": "Pindah tugas ke kecamatan."}).status_code == 302
    world.petugas.refresh_from_db()
    assert not world.petugas.is_active
    refused = Client()  # the right password no longer opens the account (and says no more than a wrong one)
    assert refused.post("/masuk/", {"username": "petugas", "password": PASSWORD}).status_code == 422
    assert "_auth_user_id" not in refused.session
    assert as_admin.post(url, {"active": "1", "reason": "Kembali bertugas di dinas."}).status_code == 302
    world.petugas.refresh_from_db()
    assert world.petugas.is_active
    assert [e["active"] for e in _events(world.petugas, "accounts.account_status_changed")] == [False, True]


def test_accounts_outside_the_agency_are_not_found(client, admin, world):
    dukcapil_admin = accounts.create_account(
        actor="system:test",
        username="admin-dukcapil",
        password="x" * 16,
        role=roles.ADMIN_INSTANSI,
        agency=Agency.objects.get(slug="disdukcapil-kota-bandung"),
    )
    boss = User.objects.create_superuser("root", password="x" * 16, agency=admin.agency)
    client.force_login(admin)
    for outsider in (world.dukcapil_officer, world.warga, boss, dukcapil_admin):
        assert client.get(f"/instansi/petugas/{outsider.pk}/").status_code == 404
        response = client.post(f"/instansi/petugas/{outsider.pk}/peran/", {"roles": ["petugas"]})
        assert response.status_code == 404
    client.force_login(dukcapil_admin)
    assert client.get(f"/instansi/petugas/{world.petugas.pk}/").status_code == 404
    assert world.petugas.role_names == ["petugas"]


def test_staff_without_the_administrator_role_get_404(client, world):
    client.force_login(world.supervisor)
    assert client.get("/instansi/petugas/").status_code == 404
    assert client.post("/instansi/petugas/", NEW).status_code == 404
    assert not User.objects.filter(username="budi.santoso").exists()


def test_a_forgotten_password_is_replaced_by_the_administrator_and_ends_the_members_sessions(
    as_admin, admin, world
):
    officer = Client()
    officer.force_login(world.petugas)
    url = f"/instansi/petugas/{world.petugas.pk}/kata-sandi/"
    weak = as_admin.post(url, {"password": "12345678", "reason": "Lupa kata sandi setelah cuti."})
    assert weak.status_code == 422 and "Kata sandi" in weak.content.decode()
    response = as_admin.post(
        url, {"password": "kata-sandi-sementara-2026", "reason": "Lupa kata sandi setelah cuti."}
    )
    assert response.status_code == 302
    world.petugas.refresh_from_db()
    assert world.petugas.check_password("kata-sandi-sementara-2026")
    assert officer.get("/petugas/antrean/")["Location"].startswith("/masuk/")
    assert _events(world.petugas, "accounts.password_reset") == [{"reason": "Lupa kata sandi setelah cuti."}]
    own = as_admin.post(
        f"/instansi/petugas/{admin.pk}/kata-sandi/", {"password": "x" * 20, "reason": "Lupa sendiri."}
    )
    assert own.status_code == 422 and "halaman kata sandi" in own.content.decode()


def test_everyone_changes_their_own_password_and_their_other_sessions_end(client, world):
    from pamong.conftest import PASSWORD

    other_device = Client()
    other_device.force_login(world.petugas)
    client.force_login(world.petugas)
    page = client.get("/akun/kata-sandi/")
    assert page.status_code == 200 and "Ganti kata sandi" in page.content.decode()
    wrong = client.post(
        "/akun/kata-sandi/",
        {
            "old_password": "bukan-ini",
            "new_password1": "sungai-cikapundung-2026",
            "new_password2": "sungai-cikapundung-2026",
        },
    )
    assert wrong.status_code == 422 and 'href="#id_old_password"' in wrong.content.decode()
    response = client.post(
        "/akun/kata-sandi/",
        {
            "old_password": PASSWORD,
            "new_password1": "sungai-cikapundung-2026",
            "new_password2": "sungai-cikapundung-2026",
        },
    )
    assert response.status_code == 302
    world.petugas.refresh_from_db()
    assert world.petugas.check_password("sungai-cikapundung-2026")
    assert client.get("/petugas/antrean/").status_code == 200  # this session stays
    assert other_device.get("/petugas/antrean/")["Location"].startswith("/masuk/")
    assert _events(world.petugas, "accounts.password_changed") == [{}]
