"""Shared fixtures for module tests. `world`: a small world for the decision path: the demo packs and registry, a citizen for each demo outcome, and the
staff of Dinas Sosial (plus one officer of another agency)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.accounts.models import User
from pamong.catalog import services as catalog
from pamong.catalog.models import Agency, Service
from pamong.core.testing import snapshot
from pamong.registry import demo as registry_demo
from pamong.registry import services as registry

PASSWORD = "uji-coba-pamong-2026"  # noqa: S105  (test accounts only)


# Who is in the world: attribute -> (username, role, agency slug or None, NIK or None).
PEOPLE = {
    "warga": ("warga", roles.WARGA, None, registry_demo.WARGA_NIK),
    "denied": ("bambang", roles.WARGA, None, registry_demo.DENIED_NIK),
    "refer": ("asep", roles.WARGA, None, registry_demo.REFER_NIK),
    "petugas": ("petugas", roles.PETUGAS, "dinsos-kota-bandung", None),
    "petugas2": ("petugas2", roles.PETUGAS, "dinsos-kota-bandung", None),
    "supervisor": ("supervisor", roles.SUPERVISOR, "dinsos-kota-bandung", None),
    "lurah_staff": ("petugas-kelurahan", roles.PETUGAS, "kelurahan-cihapit", None),
    "dukcapil_officer": ("petugas-dukcapil", roles.PETUGAS, "disdukcapil-kota-bandung", None),
    "loket": ("loket", roles.PETUGAS_LOKET, "dinsos-kota-bandung", None),
}
SERVICES = {"bansos": "bansos-pkh", "sktm": "sktm", "kk": "kartu-keluarga"}


def build_world(packs_root) -> None:
    """The world, through the real services: the packs, the registry's reference data and demo population, the
    role groups and one account per person of PEOPLE."""
    catalog.load_packs(root=packs_root)
    registry.load_reference_data(population=True)
    accounts.ensure_role_groups()
    for username, role, agency, nik in PEOPLE.values():
        accounts.create_account(
            actor="system:test",
            username=username,
            password=PASSWORD,
            role=role,
            agency=Agency.objects.get(slug=agency) if agency else None,
            nik=nik,
        )


@pytest.fixture(scope="session")
def world_snapshot(django_db_setup, django_db_blocker, packs_root):
    """The world built once per test session (per xdist worker) and kept as a snapshot of the rows the services
    wrote (pamong/core/testing/snapshot.py); `world` restores it in each test."""
    with django_db_blocker.unblock():
        return snapshot.capture("world", lambda: build_world(packs_root))


def world_namespace() -> SimpleNamespace:
    """The world's objects, read from the database."""
    users = User.objects.in_bulk([username for username, *_ in PEOPLE.values()], field_name="username")
    services = Service.objects.in_bulk(list(SERVICES.values()), field_name="slug")
    return SimpleNamespace(
        **{name: services[slug] for name, slug in SERVICES.items()},
        **{name: users[username] for name, (username, *_) in PEOPLE.items()},
        forms=registry_demo.DEMO_BANSOS_FORMS,
        niks=registry_demo,
    )


@pytest.fixture
def world(db, world_snapshot):
    """A small world for the decision path: the demo packs and registry, a citizen for each demo outcome, and the
    staff of Dinas Sosial (plus one officer of another agency). Restored from the session's snapshot into this
    test's transaction (or, in a transactional test, committed and flushed at its end like any other row)."""
    snapshot.restore(world_snapshot)
    return world_namespace()


@pytest.fixture(scope="session")
def snapshot_on_world(world_snapshot, django_db_blocker):
    """`snapshot_on_world(name, build)`: a snapshot of the rows `build(world)` adds to the world, built once per
    session for an expensive module fixture; restore it after the world (`snapshot.restore`) in each test."""

    def capture(name: str, build) -> snapshot.Snapshot:
        with django_db_blocker.unblock():
            snapshot.restore(world_snapshot)
            try:
                return snapshot.capture(name, lambda: build(world_namespace()))
            finally:
                snapshot.remove(world_snapshot)

    return capture


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


@pytest.fixture(autouse=True)
def _each_test_starts_in_the_default_language():
    """A test that reads an English page leaves English active in its thread (Django's LocaleMiddleware activates
    the request's language and does not restore it); the next test would run in English. Start each in the
    default language (Bahasa Indonesia)."""
    from django.utils import translation

    translation.activate(translation.get_supported_language_variant("id"))
    yield
    translation.deactivate()


@pytest.fixture
def client_for(client):
    """`client_for(user)`: the test client signed in as that user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
