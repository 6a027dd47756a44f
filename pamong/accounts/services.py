"""Writes to accounts: creating people and giving them roles, each recorded in the audit log."""

from __future__ import annotations

import datetime as dt
import hmac
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from pamong.audit import services as audit
from pamong.catalog.models import Agency
from pamong.core.crypto import blind_index
from pamong.core.errors import Conflict, NotFound, ValidationFailed
from pamong.notify import services as notify
from pamong.notify.models import Notification, Preference
from pamong.registry.selectors import validate_nik

from . import roles, twofactor
from .models import AccessLog, ContactCode, LoginCode, TOTPDevice, User
from .selectors import account_by_nik

ACTIVATION_CHANNEL = "counter"  # LoginCode.channel of an account-activation code handed over at a counter


def ensure_role_groups() -> None:
    for role in roles.ALL_ROLES:
        Group.objects.get_or_create(name=role)


def create_account(
    *,
    actor: Any,
    username: str,
    password: str | None,
    role: str,
    agency: Agency | None = None,
    full_name: str = "",
    nik: str | None = None,
) -> User:
    """A new account with one role. `password=None` makes an account that cannot sign in until it is claimed
    (a citizen served at a counter); `nik` is stored encrypted with its blind index."""
    if role not in roles.ALL_ROLES:
        raise ValueError(f"unknown role {role!r}")
    if role in roles.STAFF_ROLES and role != roles.AUDITOR and agency is None:
        raise ValueError(f"role {role!r} needs an agency")
    first, _, last = full_name.partition(" ")
    with transaction.atomic():
        user = User.objects.create_user(
            username=username,
            password=password,
            first_name=first,
            last_name=last,
            agency=agency,
            is_staff=role in roles.STAFF_ROLES,
            nik=nik,
            nik_index=blind_index(nik) if nik else None,
        )
        audit.record_event(
            actor=actor, action=audit.Action.ACCOUNT_CREATED, subject=f"accounts.user:{user.pk}"
        )
        assign_role(actor=actor, user=user, role=role)
    return user


def assign_role(*, actor: Any, user: User, role: str) -> None:
    group, _ = Group.objects.get_or_create(name=role)
    with transaction.atomic():
        user.groups.add(group)
        audit.record_event(
            actor=actor,
            action=audit.Action.ROLE_CHANGED,
            subject=f"accounts.user:{user.pk}",
            data={"added": role, "agency": user.agency.slug if user.agency else None},
        )


def citizen_for_nik(*, actor: Any, nik: str, full_name: str) -> User:
    """The citizen account for a NIK, created (unable to sign in until claimed) if the citizen has none yet.
    The NIK must be well formed (16 digits, a known district, a possible birth date): NikError (422) otherwise."""
    nik = validate_nik(nik).nik
    existing = account_by_nik(nik)
    if existing:
        return existing
    return create_account(
        actor=actor,
        username=f"warga-{blind_index(nik)[:12]}",
        password=None,
        role=roles.WARGA,
        full_name=full_name,
        nik=nik,
    )


def record_personal_data_access(*, actor: User, citizen: User, what: str, why: str) -> AccessLog | None:
    """Log that staff opened a citizen's personal data (and audit it). A citizen reading their own data is not
    logged. Runs in the caller's transaction."""
    if actor.pk == citizen.pk:
        return None
    with transaction.atomic():
        entry = AccessLog.objects.create(
            citizen=citizen, actor=actor, what=what[:200], why=why[:300], at=timezone.now()
        )
        audit.record_event(
            actor=actor,
            action=audit.Action.PERSONAL_DATA_OPENED,
            subject=f"accounts.user:{citizen.pk}",
            data={"what": entry.what, "why": entry.why},
        )
    return entry


# --- second factor ----------------------------------------------------------------------------------------------


def start_totp_enrolment(*, user: User) -> TOTPDevice:
    """The unconfirmed device whose secret the enrolment page shows; a confirmed device is never replaced here."""

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, defaults={"secret": twofactor.new_secret(), "created_at": timezone.now()}
    )
    return device


def install_totp_device(*, actor: Any, user: User, secret: str) -> TOTPDevice:
    """A confirmed device with a known secret, for demo accounts only (pamong demo; refused in production)."""
    if settings.PAMONG_ENVIRONMENT == "production":
        raise ValueError("fixed TOTP secrets are for the demo only")
    with transaction.atomic():
        now = timezone.now()
        device, _ = TOTPDevice.objects.update_or_create(
            user=user, defaults={"secret": secret, "created_at": now, "confirmed_at": now, "last_step": 0}
        )
        audit.record_event(
            actor=actor,
            action=audit.Action.TOTP_ENROLLED,
            subject=f"accounts.user:{user.pk}",
            data={"demo": True},
        )
    return device


def confirm_totp_device(*, user: User, code: str) -> bool:
    """Confirm the device with its first code; audited. False (nothing changed) if the code does not match."""

    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user).first()
        if device is None:
            return False
        step = twofactor.matching_step(device.secret, code, after_step=device.last_step)
        if step is None:
            return False
        first = device.confirmed_at is None
        device.last_step = step
        device.confirmed_at = device.confirmed_at or timezone.now()
        device.save(update_fields=["last_step", "confirmed_at"])
        if first:
            audit.record_event(
                actor=user, action=audit.Action.TOTP_ENROLLED, subject=f"accounts.user:{user.pk}"
            )
    return True


def verify_totp(*, user: User, code: str) -> bool:
    """A code from the confirmed device, each time step accepted once (a code seen twice is refused)."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
        if device is None:
            return False
        step = twofactor.matching_step(device.secret, code, after_step=device.last_step)
        if step is None:
            return False
        device.last_step = step
        device.save(update_fields=["last_step"])
    return True


def send_login_code(*, user: User) -> LoginCode:
    """A new 6-digit code for the citizen's chosen channel, valid 5 minutes; earlier unused codes stop working.
    Only the keyed hash is stored; the message goes through pamong.notify."""

    code = twofactor.new_code()
    channel = user.login_code_channel or "email"
    with transaction.atomic():
        login_code = _replace_code(
            user, code, channel, dt.timedelta(seconds=settings.PAMONG_LOGIN_CODE_SECONDS)
        )
        notify.notify_user(
            user=user,
            template="login_code",
            context={"code": code, "minutes": settings.PAMONG_LOGIN_CODE_SECONDS // 60},
            channels=[channel],
        )
    return login_code


def _replace_code(user: User, code: str, channel: str, valid_for) -> LoginCode:
    """Store the keyed hash of a new one-time code; the user's unused codes of the same kind (sign-in codes or
    activation codes, kept apart) stop working."""

    now = timezone.now()
    _codes_of_kind(user, activation=channel == ACTIVATION_CHANNEL).update(used_at=now)
    return LoginCode.objects.create(
        user=user,
        code_hash=twofactor.code_hash(user.pk, code),
        channel=channel,
        created_at=now,
        expires_at=now + valid_for,
    )


def verify_login_code(*, user: User, code: str) -> bool:
    """True once for the latest unexpired, unused code; the message that carried it is then wiped."""
    with transaction.atomic():
        if not _use_code(user, code, activation=False):
            return False
        # The sent message held the code; once used, keep the record of sending but not the code.
        Notification.objects.filter(recipient=user, template="login_code").update(
            body="(kode sekali pakai dihapus)", context={}
        )
    return True


def _wipe_sent_codes(user: User, template: str) -> None:
    """The sent message held the code; once used, keep the record of sending but not the code."""
    Notification.objects.filter(recipient=user, template=template).update(
        body="(kode sekali pakai dihapus)", context={}
    )


def _codes_of_kind(user: User, *, activation: bool):
    """The user's unused one-time codes of one kind: activation codes and sign-in codes never stand in for
    each other."""
    codes = LoginCode.objects.filter(user=user, used_at__isnull=True)
    if activation:
        return codes.filter(channel=ACTIVATION_CHANNEL)
    return codes.exclude(channel=ACTIVATION_CHANNEL)


def _use_code(user: User, typed: str, *, activation: bool) -> bool:
    """In the caller's transaction: True once, when ``typed`` matches the user's latest live code of that kind.
    A wrong code counts an attempt; five spend the code (guessing), and a new one must be asked for."""

    now = timezone.now()
    live = (
        _codes_of_kind(user, activation=activation)
        .select_for_update()
        .filter(expires_at__gt=now)
        .order_by("-created_at")
        .first()
    )
    if live is None:
        return False
    if hmac.compare_digest(live.code_hash, twofactor.code_hash(user.pk, typed)):
        live.used_at = now
        live.save(update_fields=["used_at"])
        return True
    live.attempts += 1
    if live.attempts >= 5:
        live.used_at = now
    live.save(update_fields=["attempts", "used_at"])
    return False


def set_login_code_channel(*, user: User, channel: str) -> None:
    """The citizen's choice of a second step at sign-in ("" none, "email", "sms"); audited."""
    if channel not in User.LoginCodeChannel.values:
        raise ValueError(f"unknown sign-in code channel {channel!r}")
    if roles.is_staff_member(user):
        raise ValueError("staff always sign in with an authenticator app")
    if channel == User.LoginCodeChannel.SMS:
        preference = Preference.objects.filter(user=user).first()
        if preference is None or not preference.phone:
            raise ValueError("an SMS code needs a phone number in the notification settings")
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(login_code_channel=channel)
        user.login_code_channel = channel
        audit.record_event(
            actor=user,
            action=audit.Action.LOGIN_CODE_CHANGED,
            subject=f"accounts.user:{user.pk}",
            data={"channel": channel or "none"},
        )


def set_notification_channels(*, user: User, channels: list[str], phone: str = "") -> None:
    """The citizen's notification channels and phone (encrypted at rest), through pamong.notify; audited without
    the number itself."""
    with transaction.atomic():
        notify.set_preference(user=user, channels=channels, phone=phone)
        audit.record_event(
            actor=user,
            action=audit.Action.NOTIFICATION_CHANNELS_CHANGED,
            subject=f"accounts.user:{user.pk}",
            data={"channels": sorted(channels), "phone_given": bool(phone)},
        )


def record_contact_at_counter(*, officer: User, citizen: User, phone: str = "", email: str = "") -> None:
    """The phone and e-mail a citizen gave a counter officer for being told of their case (issue 15). In the
    caller's transaction; audited without the values. A phone puts SMS first (it reaches any phone)."""
    with transaction.atomic():
        if email:
            citizen.email = email
            citizen.save(update_fields=["email"])
        if phone:
            preference = Preference.objects.filter(user=citizen).first()
            kept = [c for c in (preference.channels if preference else []) if c not in ("sms", "whatsapp")]
            notify.set_preference(user=citizen, channels=["sms", "whatsapp", *kept], phone=phone)
        audit.record_event(
            actor=officer,
            action=audit.Action.CONTACT_RECORDED_AT_COUNTER,
            subject=f"accounts.user:{citizen.pk}",
            data={"phone_given": bool(phone), "email_given": bool(email)},
        )


CONTACT_CODE_MINUTES = 30
CONTACT_CODE_TRIES = 5


def start_contact_verification(*, user: User, kind: str, value: str) -> ContactCode:
    """Send a one-time code to a new e-mail address or phone number (issue 15); the account keeps its old
    one until the code comes back. Raises ValidationFailed for an address that is not one."""
    value = value.strip()
    if kind == ContactCode.Kind.EMAIL:
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationFailed(
                _("Write a valid e-mail address, for example nama@contoh.id."), code="email_invalid"
            ) from None
        channel = "email"
    elif kind == ContactCode.Kind.PHONE:
        try:
            value = notify.parse_phone(value)
        except notify.InvalidPhone:
            raise ValidationFailed(
                _("Write a valid mobile number, for example 0812 3456 7890."), code="phone_invalid"
            ) from None
        channel = "sms"
    else:
        raise ValidationFailed(_("Choose an e-mail address or a mobile number."), code="contact_kind_invalid")
    code = twofactor.new_code()
    now = timezone.now()
    with transaction.atomic():
        ContactCode.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
        contact = ContactCode.objects.create(
            user=user,
            kind=kind,
            value=value,
            code_hash=twofactor.code_hash(user.pk, code),
            created_at=now,
            expires_at=now + dt.timedelta(minutes=CONTACT_CODE_MINUTES),
        )
        notify.notify_user(
            user=user,
            template="contact_code",
            context={"code": code, "minutes": CONTACT_CODE_MINUTES},
            channels=[channel],
            to_address=value,
        )
    return contact


def verify_contact(*, user: User, code: str) -> ContactCode | None:
    """The latest live contact code, if `code` matches: the address becomes the account's (verified), audited
    without the address. Five wrong codes spend it. None when nothing matched."""
    now = timezone.now()
    with transaction.atomic():
        live = (
            ContactCode.objects.select_for_update()
            .filter(user=user, used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        if live is None:
            return None
        if not hmac.compare_digest(live.code_hash, twofactor.code_hash(user.pk, code.strip())):
            live.attempts += 1
            if live.attempts >= CONTACT_CODE_TRIES:
                live.used_at = now
            live.save(update_fields=["attempts", "used_at"])
            return None
        live.used_at = live.verified_at = now
        live.save(update_fields=["used_at", "verified_at"])
        if live.kind == ContactCode.Kind.EMAIL:
            user.email = live.value
            user.save(update_fields=["email"])
        else:
            preference = Preference.objects.filter(user=user).first()
            channels = list(preference.channels) if preference and preference.channels else ["sms", "email"]
            notify.set_preference(user=user, channels=channels, phone=live.value, phone_verified=True)
        _wipe_sent_codes(user, "contact_code")
        audit.record_event(
            actor=user,
            action=audit.Action.CONTACT_VERIFIED,
            subject=f"accounts.user:{user.pk}",
            data={"kind": live.kind},
        )
    return live


def verified_contacts(user: User) -> dict[str, bool]:
    """Whether the account's e-mail address and phone are the ones the citizen confirmed with a code."""
    emails = ContactCode.objects.filter(user=user, kind=ContactCode.Kind.EMAIL, verified_at__isnull=False)
    preference = Preference.objects.filter(user=user).first()
    return {
        "email": bool(user.email) and any(c.value == user.email for c in emails.order_by("-verified_at")[:5]),
        "phone": bool(preference and preference.phone and preference.phone_verified_at),
    }


def record_lockout(*, username: str, ip_address: str | None) -> None:
    """Audit that sign-in was locked for a username and address (django-axes decided it). The typed name is
    kept only as a keyed digest: it may be a NIK."""
    audit.record_event(
        actor="system:axes",
        action=audit.Action.LOGIN_LOCKED,
        subject=f"accounts.login:{blind_index(username or '', purpose='login-name')[:16]}",
        data={"ip_address": ip_address or ""},
    )


# --- staff administration by an agency administrator (admin_instansi) ------------------------------------------


def _managed(admin: User, member: User) -> None:
    """An administrator manages the staff accounts of their own agency only; anything else is "not found"."""

    if not (
        admin.agency_id
        and member.agency_id == admin.agency_id
        and member.is_staff
        and not member.is_superuser
    ):
        raise NotFound(_("No such staff member in your agency."))


def create_staff_account(
    *, admin: User, username: str, full_name: str, email: str, password: str, role: str
) -> User:
    """A staff account in the administrator's own agency. The new member enrols an authenticator at first
    sign-in (staff TOTP is mandatory), so the administrator never holds their second factor."""

    if role not in roles.AGENCY_ROLES:
        raise ValidationFailed(_("Choose one of the agency roles."), code="invalid_role")
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(_("This username is already taken."), code="username_taken")
    try:
        validate_password(password, User(username=username, email=email))
    except ValidationError as exc:
        raise ValidationFailed(" ".join(exc.messages), code="weak_password") from None
    try:
        with transaction.atomic():
            user = create_account(
                actor=admin,
                username=username,
                password=password,
                role=role,
                agency=admin.agency,
                full_name=full_name,
            )
            if email:
                user.email = email
                user.save(update_fields=["email"])
    except IntegrityError:  # taken between the check above and the insert
        raise Conflict(_("This username is already taken."), code="username_taken") from None
    return user


def set_staff_roles(*, admin: User, member: User, new_roles: set[str]) -> tuple[set[str], set[str]]:
    """Give ``member`` exactly ``new_roles`` among the agency roles; other roles they hold are left alone.
    Returns (added, removed); each change is one audit entry."""

    _managed(admin, member)
    if not new_roles <= set(roles.AGENCY_ROLES):
        raise ValidationFailed(_("Choose only agency roles."), code="invalid_role")
    if not new_roles:
        raise ValidationFailed(
            _("A staff member needs at least one role; deactivate the account instead."), code="no_role"
        )
    if member.pk == admin.pk and roles.ADMIN_INSTANSI not in new_roles:
        raise ValidationFailed(
            _("You cannot remove your own administrator role; ask another administrator."),
            code="own_admin_role",
        )
    current = set(member.groups.filter(name__in=roles.AGENCY_ROLES).values_list("name", flat=True))
    added, removed = new_roles - current, current - new_roles
    with transaction.atomic():
        for role in sorted(added):
            assign_role(actor=admin, user=member, role=role)
        for role in sorted(removed):
            member.groups.remove(Group.objects.get(name=role))
            audit.record_event(
                actor=admin,
                action=audit.Action.ROLE_CHANGED,
                subject=f"accounts.user:{member.pk}",
                data={"removed": role, "agency": member.agency.slug},
            )
    return added, removed


def reset_totp(*, admin: User, member: User, reason: str) -> None:
    """Forget a staff member's authenticator (lost or replaced phone): they enrol a new one at next sign-in.
    Their other sessions end, so a stolen phone with an open session is cut off too."""
    reason = _checked_change(
        admin,
        member,
        reason,
        _("Another administrator must reset your own authenticator."),
        "own_authenticator",
    )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=member).delete()
        _end_sessions(member)
        audit.record_event(
            actor=admin,
            action=audit.Action.TOTP_RESET,
            subject=f"accounts.user:{member.pk}",
            data={"reason": reason[:300]},
        )


def set_account_active(*, admin: User, member: User, active: bool, reason: str) -> None:
    """Deactivate (a transfer, a leave, a departure) or reactivate a staff account; deactivating ends its
    sessions. The account and everything it did stay on record."""
    reason = _checked_change(
        admin, member, reason, _("You cannot deactivate your own account."), "own_account"
    )
    if member.is_active == active:
        return
    with transaction.atomic():
        member.is_active = active
        member.save(update_fields=["is_active"])
        if not active:
            _end_sessions(member)
        audit.record_event(
            actor=admin,
            action=audit.Action.ACCOUNT_STATUS_CHANGED,
            subject=f"accounts.user:{member.pk}",
            data={"active": active, "reason": reason[:300]},
        )


def set_staff_password(*, admin: User, member: User, password: str, reason: str) -> None:
    """A first password again for a staff member who forgot theirs, handed over in person; their sessions end
    (a new password changes the session hash) and the reason is audited. Their authenticator stays."""

    reason = _checked_change(
        admin, member, reason, _("Change your own password on the password page."), "own_password"
    )
    try:
        validate_password(password, member)
    except ValidationError as exc:
        raise ValidationFailed(" ".join(exc.messages), code="weak_password") from None
    with transaction.atomic():
        member.set_password(password)
        member.save(update_fields=["password"])
        audit.record_event(
            actor=admin,
            action=audit.Action.PASSWORD_RESET,
            subject=f"accounts.user:{member.pk}",
            data={"reason": reason[:300]},
        )


def change_own_password(*, user: User, password: str) -> None:
    """The person's new password (the old one was checked by the form); their other sessions end with it."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit.record_event(
            actor=user, action=audit.Action.PASSWORD_CHANGED, subject=f"accounts.user:{user.pk}"
        )


def _checked_change(admin: User, member: User, reason: str, own_message: str, own_code: str) -> str:
    """The checks every sensitive change of a staff account shares: the member is managed by this
    administrator, is not the administrator (``own_message``), and the change has a written reason."""

    _managed(admin, member)
    if member.pk == admin.pk:
        raise ValidationFailed(own_message, code=own_code)
    reason = reason.strip()
    if len(reason) < 10:
        raise ValidationFailed(_("Write the reason (at least 10 characters)."), code="reason_required")
    return reason


def _end_sessions(user: User) -> None:
    """End every session of ``user`` at its next request: a new epoch changes the session hash Django checks
    (User.get_session_auth_hash), O(1) instead of decoding every stored session."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)


# --- activating an account made at a counter ------------------------------------------------------------------


def issue_activation_code(*, officer: User, citizen: User) -> str:
    """A one-time code with which a citizen chooses a (new) password at /masuk/aktivasi/: for an account made at
    a counter, or for a forgotten password. The officer has checked the KTP, so the code is handed over in
    person; only its keyed hash is stored and earlier unused codes stop working. When the account already had a
    password, the citizen is told on their channels, so a code they did not ask for does not go unnoticed."""

    if roles.WARGA not in citizen.role_names:
        raise NotFound(_("Activation codes are for citizens' accounts."))
    had_password = citizen.has_usable_password()
    code = twofactor.new_activation_code()
    with transaction.atomic():
        _replace_code(
            citizen, code, ACTIVATION_CHANNEL, dt.timedelta(days=settings.PAMONG_ACTIVATION_CODE_DAYS)
        )
        audit.record_event(
            actor=officer,
            action=audit.Action.ACTIVATION_CODE_ISSUED,
            subject=f"accounts.user:{citizen.pk}",
            data={"replaces_password": had_password},
        )
        if had_password:
            agency = officer.agency.name if officer.agency_id else ""
            notify.notify_user(
                user=citizen,
                template="activation_code_issued",
                context={"officer": officer.get_full_name() or officer.username, "agency": agency},
            )
    return code


def claim_account(*, nik: str, code: str, password: str) -> User:
    """Set the password of an account with its activation code (a counter-made account, or a forgotten
    password; the old password and its sessions end). Every mismatch (unknown NIK, no code, wrong or expired
    code) gets the same answer, and five wrong codes spend the code."""
    refused = ValidationFailed(
        _(
            "The NIK and activation code do not match, or the code has expired. Ask the counter for a new code."
        ),
        code="activation_failed",
    )
    try:  # judged before the NIK is looked up: no answer may tell whether a NIK has an account
        validate_password(password)
    except ValidationError as exc:
        raise ValidationFailed(" ".join(exc.messages), code="weak_password") from None
    user = account_by_nik(nik)
    if user is None or roles.WARGA not in user.role_names:
        raise refused
    with transaction.atomic():
        matched = _use_code(user, twofactor.normal_code(code), activation=True)
        if matched:
            user.set_password(password)
            user.save(update_fields=["password"])
            audit.record_event(
                actor=user, action=audit.Action.ACCOUNT_CLAIMED, subject=f"accounts.user:{user.pk}"
            )
            _wipe_sent_codes(user, "activation_code_sent")  # a code sent online (pamong.accounts.selfservice)
    if not matched:
        raise refused  # outside the block, so the counted attempt is kept
    return user


# --- the first agency administrator (pamong setup) ------------------------------------------------------------


def create_first_administrator(*, actor: Any, username: str, agency: Agency, full_name: str = "") -> User:
    """An agency administrator with no password yet: they choose it with the one-time link from
    ``password_setup_path`` (printed once by `pamong setup`), then enrol their authenticator at first sign-in."""
    return create_account(
        actor=actor,
        username=username,
        password=None,
        role=roles.ADMIN_INSTANSI,
        agency=agency,
        full_name=full_name,
    )


def password_setup_path(user: User) -> str:
    """A one-time path (Django's password-reset token: it stops working once the password is set, and after
    PASSWORD_RESET_TIMEOUT) at which ``user`` chooses a password. Never stored; show it once."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse(
        "accounts:set-password",
        kwargs={"uidb64": uidb64, "token": default_token_generator.make_token(user)},
    )


def record_password_set_with_link(*, user: User) -> None:
    audit.record_event(
        actor=user,
        action=audit.Action.ACCOUNT_CLAIMED,
        subject=f"accounts.user:{user.pk}",
        data={"with": "one-time link"},
    )
