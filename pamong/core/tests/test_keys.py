"""`pamong keys rotate` re-encrypts stored personal data under the new key; old keys still decrypt meanwhile."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.accounts.models import User
from pamong.core import crypto

pytestmark = pytest.mark.django_db

NIK = "3273094108870002"


def stored_nik(user) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nik FROM accounts_user WHERE id = %s", [user.pk])
        return cursor.fetchone()[0]


def test_rotation_moves_every_value_to_the_new_key(settings, capsys):
    old, new = crypto.generate_key_text("k1"), crypto.generate_key_text("k2")
    settings.PAMONG_ENCRYPTION_KEYS = old
    accounts.ensure_role_groups()
    user = accounts.create_account(actor=None, username="siti", password="x" * 12, role=roles.WARGA, nik=NIK)
    assert stored_nik(user).startswith("v1:k1:")

    settings.PAMONG_ENCRYPTION_KEYS = f"{new},{old}"
    assert User.objects.get(pk=user.pk).nik == NIK  # readable before rotation with the old key still listed
    call_command("keys_rotate")
    assert "accounts_user.nik: 1 re-encrypted" in capsys.readouterr().out
    assert stored_nik(user).startswith("v1:k2:")

    settings.PAMONG_ENCRYPTION_KEYS = new  # the old key can now be removed
    assert User.objects.get(pk=user.pk).nik == NIK
    call_command("keys_rotate")
    assert "done: 0 values now under key 'k2'" in capsys.readouterr().out
