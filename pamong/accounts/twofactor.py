"""The second step of signing in: TOTP for staff (RFC 6238, pyotp), an optional one-time code for citizens.

What a session must hold before it counts as fully signed in is decided here (`second_factor_kind`), enforced by
`pamong.accounts.middleware.SecondFactorMiddleware`, and written by the sign-in views after a code matched.
"""

from __future__ import annotations

import hmac
import secrets
import time

import pyotp
import segno
from django.conf import settings
from django.http import HttpRequest

from pamong.core.crypto import blind_index

from . import roles

SESSION_VERIFIED = "pamong_second_factor"  # the user's pk once the second factor matched in this session
SESSION_NEXT = "pamong_next"  # where to go after the second step
SESSION_SEEN = "pamong_seen"  # staff: time of the last request (idle timeout)

TOTP = "totp"
CODE = "code"


def second_factor_kind(user) -> str | None:
    """TOTP for every staff member; a sent code for a citizen who chose one; otherwise none."""
    if roles.is_staff_member(user):
        return TOTP
    if getattr(user, "login_code_channel", ""):
        return CODE
    return None


def is_verified(request: HttpRequest) -> bool:
    return request.session.get(SESSION_VERIFIED) == str(request.user.pk)


def mark_verified(session, user) -> None:
    session[SESSION_VERIFIED] = str(user.pk)


def fully_signed_in(request: HttpRequest) -> bool:
    user = request.user
    return user.is_authenticated and (second_factor_kind(user) is None or is_verified(request))


# --- TOTP ------------------------------------------------------------------------------------------------------


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, account: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=settings.PAMONG_TOTP_ISSUER)


def qr_svg(uri: str) -> str:
    """The QR code as inline SVG, drawn on the server (no script, no image request)."""
    return segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff", title="QR")


def matching_step(secret: str, code: str, *, after_step: int, at: float | None = None) -> int | None:
    """The time step (30 s) whose code equals `code`, within one step of now and later than `after_step` (so a
    code is used once); None if there is none."""
    code = code.strip().replace(" ", "")
    if not (len(code) == 6 and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    now_step = int((time.time() if at is None else at) // totp.interval)
    for step in (now_step - 1, now_step, now_step + 1):
        if step > after_step and hmac.compare_digest(totp.at(step * totp.interval), code):
            return step
    return None


# --- one-time codes --------------------------------------------------------------------------------------------


def new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


# Crockford's base32 without I, L, O, U: nothing to misread when copied from paper.
ACTIVATION_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_activation_code() -> str:
    """Ten characters (50 bits) in two groups, e.g. "7KQ2M-XW4PD": printed at the counter, typed at home."""
    chars = "".join(secrets.choice(ACTIVATION_ALPHABET) for _ in range(10))
    return f"{chars[:5]}-{chars[5:]}"


def normal_code(typed: str) -> str:
    """An activation code as typed (any case, spaces, dashes, O for 0, I or L for 1) in its printed form."""
    chars = typed.upper().replace(" ", "").replace("-", "")
    chars = chars.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    return f"{chars[:5]}-{chars[5:]}"


def code_hash(user_pk: int, code: str) -> str:
    """Keyed hash of a sign-in code (HMAC-SHA256 with the blind-index key): the code itself is never stored."""
    return blind_index(f"{user_pk}:{code.strip()}", purpose="login-code")
