"""Field encryption (AES-256-GCM, rotating keys) and the keyed blind index."""

import base64

import pytest
from django.core.exceptions import ImproperlyConfigured

from pamong.core import crypto
from pamong.core.checks import production_problems

K1 = "k1:" + base64.b64encode(bytes(range(32))).decode()
K2 = "k2:" + base64.b64encode(bytes(range(32, 64))).decode()
NIK = "3273094108870002"


@pytest.fixture
def k1(settings):
    settings.PAMONG_ENCRYPTION_KEYS = K1
    return settings


def _flip_one_byte(token: str, position: int) -> str:
    version, key_id, raw = crypto.split(token)
    changed = bytearray(raw)
    changed[position] ^= 0x01
    return f"{version}:{key_id}:{base64.b64encode(bytes(changed)).decode()}"


def test_round_trip_and_format(k1):
    token = crypto.encrypt(NIK)
    assert token.startswith("v1:k1:")
    assert NIK not in token
    assert crypto.decrypt(token) == NIK


def test_round_trip_of_unicode_and_empty_text(k1):
    for text in ["", "Siti Nurhaliza", "Ñoño — ꦱꦶꦠꦶ"]:
        assert crypto.decrypt(crypto.encrypt(text)) == text


def test_two_encryptions_of_the_same_value_differ(k1):
    first, second = crypto.encrypt(NIK), crypto.encrypt(NIK)
    assert first != second
    assert crypto.split(first)[2][:12] != crypto.split(second)[2][:12]  # the nonces


@pytest.mark.parametrize("position", [0, 11, 12, 20, -1])  # nonce, ciphertext body, tag
def test_changing_one_byte_is_detected(k1, position):
    tampered = _flip_one_byte(crypto.encrypt(NIK), position)
    with pytest.raises(crypto.DecryptionFailed, match="key 'k1' failed authentication"):
        crypto.decrypt(tampered)


def test_the_header_is_authenticated_too(settings):
    settings.PAMONG_ENCRYPTION_KEYS = f"{K1},{K1.replace('k1:', 'k3:')}"  # same key under two ids
    token = crypto.encrypt(NIK)
    with pytest.raises(crypto.DecryptionFailed, match="failed authentication"):
        crypto.decrypt(token.replace("v1:k1:", "v1:k3:"))


@pytest.mark.parametrize("token", ["3273094108870002", "v2:k1:AAAA", "v1:k1:", "v1:k1:!!!", "v1:k1:AAAA"])
def test_text_that_is_not_a_ciphertext_is_refused(k1, token):
    with pytest.raises(crypto.DecryptionFailed):
        crypto.decrypt(token)


def test_decrypt_with_the_old_key_after_rotation(settings):
    settings.PAMONG_ENCRYPTION_KEYS = K1
    old = crypto.encrypt(NIK)
    settings.PAMONG_ENCRYPTION_KEYS = f"{K2},{K1}"  # k2 now current, k1 kept for reading
    assert crypto.decrypt(old) == NIK
    assert crypto.needs_reencrypt(old)
    new = crypto.reencrypt(old)
    assert crypto.key_id_of(new) == "k2"
    assert crypto.decrypt(new) == NIK
    assert crypto.reencrypt(new) == new  # already current: unchanged
    settings.PAMONG_ENCRYPTION_KEYS = K2  # k1 retired after every row was re-encrypted
    assert crypto.decrypt(new) == NIK
    with pytest.raises(crypto.UnknownKey, match="key 'k1', which is not in PAMONG_ENCRYPTION_KEYS"):
        crypto.decrypt(old)


def test_blind_index_is_stable_and_key_dependent(settings):
    settings.PAMONG_BLIND_INDEX_KEY = "11" * 32
    first = crypto.blind_index(NIK)
    assert first == crypto.blind_index(NIK)
    assert len(first) == 64 and NIK not in first
    assert crypto.blind_index(NIK, purpose="kk") != first
    assert crypto.blind_index("3273094108870003") != first
    settings.PAMONG_BLIND_INDEX_KEY = "22" * 32
    assert crypto.blind_index(NIK) != first


def test_development_keys_are_labelled_and_deterministic(settings):
    settings.PAMONG_ENCRYPTION_KEYS = ""
    token = crypto.encrypt(NIK)
    assert token.startswith("v1:dev:")
    assert crypto.decrypt(token) == NIK


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("k1", "expected key_id:base64key"),
        ("k 1:AAAA", "expected key_id:base64key"),
        ("k1:not-base64!", "not valid base64"),
        ("k1:" + base64.b64encode(b"short").decode(), "must be 32 bytes, got 5"),
        (f"{K1},{K1}", "appears twice"),
    ],
)
def test_bad_key_settings_are_named(settings, text, message):
    settings.PAMONG_ENCRYPTION_KEYS = text
    with pytest.raises(ImproperlyConfigured, match=message):
        crypto.encrypt(NIK)


def test_production_refuses_missing_keys(settings):
    settings.PAMONG_ENVIRONMENT = "production"
    settings.PAMONG_ENCRYPTION_KEYS = ""
    settings.PAMONG_BLIND_INDEX_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="PAMONG_ENCRYPTION_KEYS is missing"):
        crypto.encrypt(NIK)
    with pytest.raises(ImproperlyConfigured, match="PAMONG_BLIND_INDEX_KEY is missing"):
        crypto.blind_index(NIK)
    assert (
        "PAMONG_ENCRYPTION_KEYS or PAMONG_BLIND_INDEX_KEY is missing: personal data must not use the "
        "development keys" in production_problems()
    )


def test_the_production_guard_is_quiet_when_keys_are_set(settings):
    settings.PAMONG_ENCRYPTION_KEYS = K1
    settings.PAMONG_BLIND_INDEX_KEY = "11" * 32
    assert not [p for p in production_problems() if "PAMONG_ENCRYPTION_KEYS" in p]
