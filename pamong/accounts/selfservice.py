"""Citizens on their own, without a trip to a counter: self-registration checked against the population registry,
and a forgotten password replaced with a one-time code sent to the citizen's own channel.

Both end at the activation page (`/masuk/aktivasi/`, `services.claim_account`) with the same kind of code a
counter prints (channel `ACTIVATION_CHANNEL`, keyed hash only, five wrong tries spend it), valid
`PAMONG_SELF_SERVICE_CODE_MINUTES` here because it travels by e-mail or SMS. Neither function tells its caller
whether anything matched: the page gives one answer whether a NIK exists, has an account, or matches or not.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django.conf import settings
from django.db import transaction

from pamong.audit import services as audit
from pamong.notify import services as notify
from pamong.notify.models import Preference
from pamong.registry import selectors as registry

from . import roles, twofactor
from .models import User
from .selectors import account_by_nik
from .services import ACTIVATION_CHANNEL, _replace_code, citizen_for_nik

SELF_SERVICE_ACTOR = "system:self-service"


def _plain_name(name: str) -> str:
    """Names compare without case, accents, punctuation or extra spaces ("Siti  Nur'haliza" = "SITI NURHALIZA")."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    return " ".join(re.sub(r"[^a-z ]", "", text).split())


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text or "")


def register_citizen(
    *, nik: str, kk_number: str, full_name: str, birth_date: dt.date, email: str = "", phone: str = ""
) -> None:
    """Open (or re-open, while it has no password) the account of the person the registry knows by this NIK,
    KK number, name and birth date, and send an activation code to the e-mail address or phone given. An account
    that already has a password is left alone (its owner uses the forgotten-password page)."""
    nik = _digits(nik)
    person = registry.person_by_nik(nik) if len(nik) == 16 else None
    if person is None:
        return
    matches = (
        _digits(person.household.kk_number) == _digits(kk_number)
        and _plain_name(person.full_name) == _plain_name(full_name)
        and person.birth_date == birth_date
    )
    existing = account_by_nik(nik)
    if not matches or (existing is not None and existing.has_usable_password()):
        return
    if existing is not None and roles.WARGA not in existing.role_names:
        return
    with transaction.atomic():
        user = citizen_for_nik(actor=SELF_SERVICE_ACTOR, nik=nik, full_name=person.full_name)
        if email:
            user.email = email
            user.save(update_fields=["email"])
            channel = "email"
        else:
            notify.set_preference(user=user, channels=["sms"], phone=phone)
            channel = "sms"
        _send_code(user, channel, purpose="registration")


def request_password_reset(*, nik: str) -> None:
    """Send an activation code to the citizen's own channel (the e-mail address on the account, or the phone of
    their notification choice). Without a channel nothing is sent: the counter path remains."""
    user = account_by_nik(_digits(nik))
    if user is None or roles.WARGA not in user.role_names or not user.is_active:
        return
    phone = Preference.objects.filter(user=user).values_list("phone", flat=True).first()
    channel = "email" if user.email else "sms" if phone else ""
    if not channel:
        return
    with transaction.atomic():
        _send_code(user, channel, purpose="password_reset")


def _send_code(user: User, channel: str, *, purpose: str) -> None:
    code = twofactor.new_activation_code()
    minutes = settings.PAMONG_SELF_SERVICE_CODE_MINUTES
    _replace_code(user, code, ACTIVATION_CHANNEL, dt.timedelta(minutes=minutes))
    audit.record_event(
        actor=SELF_SERVICE_ACTOR,
        action=audit.Action.ACTIVATION_CODE_ISSUED,
        subject=f"accounts.user:{user.pk}",
        data={"sent_by": channel, "purpose": purpose, "replaces_password": user.has_usable_password()},
    )
    notify.notify_user(
        user=user,
        template="activation_code_sent",
        context={"code": code, "minutes": minutes, "purpose": purpose},
        channels=[channel],
    )
