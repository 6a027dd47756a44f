"""Shared fixtures for module tests. `world`: a small world for the decision path: the demo packs and registry, a citizen for each demo outcome, and the
staff of Dinas Sosial (plus one officer of another agency)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.catalog import services as catalog
from pamong.catalog.models import Agency, Service
from pamong.registry import demo as registry_demo
from pamong.registry import services as registry

PASSWORD = "uji-coba-pamong-2026"  # noqa: S105  (test accounts only)


@pytest.fixture
def world(db, packs_root):
    catalog.load_packs(root=packs_root)
    registry.load_reference_data(population=True)
    accounts.ensure_role_groups()
    dinsos = Agency.objects.get(slug="dinsos-kota-bandung")
    dukcapil = Agency.objects.get(slug="disdukcapil-kota-bandung")
    kelurahan = Agency.objects.get(slug="kelurahan-cihapit")

    def person(username: str, role: str, agency=None, nik=None):
        return accounts.create_account(
            actor="system:test", username=username, password=PASSWORD, role=role, agency=agency, nik=nik
        )

    return SimpleNamespace(
        bansos=Service.objects.get(slug="bansos-pkh"),
        sktm=Service.objects.get(slug="sktm"),
        kk=Service.objects.get(slug="kartu-keluarga"),
        warga=person("warga", roles.WARGA, nik=registry_demo.WARGA_NIK),
        denied=person("bambang", roles.WARGA, nik=registry_demo.DENIED_NIK),
        refer=person("asep", roles.WARGA, nik=registry_demo.REFER_NIK),
        petugas=person("petugas", roles.PETUGAS, dinsos),
        petugas2=person("petugas2", roles.PETUGAS, dinsos),
        supervisor=person("supervisor", roles.SUPERVISOR, dinsos),
        lurah_staff=person("petugas-kelurahan", roles.PETUGAS, kelurahan),
        dukcapil_officer=person("petugas-dukcapil", roles.PETUGAS, dukcapil),
        loket=person("loket", roles.PETUGAS_LOKET, dinsos),
        forms=registry_demo.DEMO_BANSOS_FORMS,
        niks=registry_demo,
    )


@pytest.fixture(autouse=True)
def _force_login_passes_every_factor(monkeypatch):
    """`client.force_login(user)` stands for a completed sign-in, second factor included (staff TOTP, a
    citizen's code); the sign-in tests in pamong/accounts go through the real steps. Rate-limit counters start
    at zero in every test."""
    from django.core.cache import cache
    from django.test import Client

    from pamong.accounts import twofactor

    original = Client._login

    def _login(self, user, backend=None):
        original(self, user, backend)
        session = self.session
        twofactor.mark_verified(session, user)
        session.save()

    monkeypatch.setattr(Client, "_login", _login)
    cache.clear()


@pytest.fixture
def client_for(client):
    """`client_for(user)`: the test client signed in as that user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
