"""Lockout per account and per address (issue 21): every identifier of an account shares one failure counter,
and the lockout table never holds a NIK, an e-mail address or a phone number in clear."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.db import connection

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.accounts.models import User
from pamong.accounts.selectors import account_for_identifier
from pamong.notify import services as notify

pytestmark = pytest.mark.django_db
PASSWORD = "uji-coba-pamong-2026"
NIK = "3273094108870002"
PHONE = "081234567890"
IDENTIFIERS = [
    "siti",
    NIK,
    "3273 0941 0887 0002",
    " 3273094108870002 ",
    "3273-0941-0887-0002",
    "Siti@Example.ID",
    "siti@example.id",
    PHONE,
    "+62 812-3456-7890",
]


@pytest.fixture
def siti(db):
    accounts.ensure_role_groups()
    user = accounts.create_account(
        actor="system:test", username="siti", password=PASSWORD, role=roles.WARGA, nik=NIK, full_name="Siti N"
    )
    User.objects.filter(pk=user.pk).update(email="siti@example.id")
    notify.set_preference(user=user, channels=["sms"], phone=PHONE)
    user.refresh_from_db()
    return user


def sign_in(client, username: str, password: str = PASSWORD, address: str = "127.0.0.1"):
    return client.post("/masuk/", {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in_as(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


@pytest.mark.parametrize("typed", IDENTIFIERS)
def test_every_identifier_reaches_the_account_and_signs_in(client, siti, typed):
    assert account_for_identifier(typed) == siti
    assert sign_in(client, typed).status_code == 302
    assert signed_in_as(client) == siti.pk


@pytest.mark.parametrize("locked_with", ["siti", NIK, "siti@example.id", PHONE])
def test_with_one_identifier_locked_every_identifier_is_refused(client, siti, settings, locked_with):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, locked_with, "salah-sekali")
    for typed in IDENTIFIERS:
        response = sign_in(client, typed, address="10.9.8.7")  # the right password, from another address
        assert response.status_code == 429, typed
        assert signed_in_as(client) is None
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {f"account:{siti.pk}"}


def test_failures_spread_over_identifiers_add_up_on_the_account(client, siti, settings):
    spellings = ["siti", NIK, "3273 0941 0887 0002", "siti@example.id", PHONE]
    for typed in spellings[: settings.AXES_FAILURE_LIMIT]:
        sign_in(client, typed, "salah-sekali")
    assert AccessAttempt.objects.get().failures_since_start == settings.AXES_FAILURE_LIMIT
    assert sign_in(client, "siti").status_code == 429


def test_an_address_is_locked_after_its_own_limit_across_accounts(client, siti, settings):
    settings.PAMONG_LOGIN_FAILURE_LIMIT_PER_ADDRESS = 4
    statuses = [sign_in(client, f"tidak-ada-{i}", "salah", address="10.1.1.1").status_code for i in range(4)]
    assert statuses == [
        422,
        422,
        422,
        429,
    ]  # four made-up names: none reaches its own limit, the address does
    assert sign_in(client, "siti", address="10.1.1.1").status_code == 429
    assert signed_in_as(client) is None
    assert sign_in(client, "siti", address="10.1.1.2").status_code == 302


def test_no_clear_nik_email_or_phone_in_any_table_after_failed_sign_ins(client, siti, settings):
    unknown_nik = "3204052501800001"
    typed = [
        NIK,
        "3273 094108870002",
        unknown_nik,
        "3204 052501800001",
        "siti@example.id",
        PHONE,
        "orang@contoh.id",
        "089876543210",
    ]
    for text in typed:
        sign_in(client, text, "salah-sekali")
        sign_in(client, text, "salah-sekali", address="10.2.2.2")
    assert AccessAttempt.objects.exists()
    needles = {
        NIK,
        unknown_nik,
        "3273 094108870002",
        "3204 052501800001",
        "052501800001",
        "094108870002",
        "siti@example.id",
        "orang@contoh.id",
        PHONE,
        "1234567890",
        "9876543210",
    }
    found = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            columns = [field.column for field in model._meta.concrete_fields]
            quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    text = value.decode("latin-1") if isinstance(value, bytes | memoryview) else str(value)
                    for needle in needles:
                        if needle in text and not (table == "accounts_user" and column == "email"):
                            found.append((table, column, needle))
    assert found == []
