from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from pamong.core.fields import EncryptedTextField


class User(AbstractUser):
    """A person who signs in. Staff belong to one agency (instansi): they see and act on its services only.

    Roles are Django groups (pamong.accounts.roles); personal data of citizens lives in the registry, encrypted.
    """

    agency = models.ForeignKey(
        "catalog.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )

    # A citizen's NIK, encrypted at rest; found by its keyed blind index (pamong.core.crypto.blind_index).
    nik = EncryptedTextField(_("NIK"), null=True, blank=True)
    nik_index = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    class LoginCodeChannel(models.TextChoices):
        NONE = "", _("No code (password only)")
        EMAIL = "email", _("Code by e-mail")
        SMS = "sms", _("Code by SMS")

    # A citizen's optional second step at sign-in: a one-time code by e-mail or SMS. Staff always use TOTP.
    login_code_channel = models.CharField(
        _("sign-in code"), max_length=8, choices=LoginCodeChannel.choices, blank=True, default=""
    )

    # Raised to end every session of this account at once (authenticator reset, deactivation): it is part of
    # the session hash that Django checks on every request.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    def get_session_auth_hash(self) -> str:
        return self._epoch_hash(None)

    def get_session_auth_fallback_hash(self):
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self._epoch_hash(secret)

    def _epoch_hash(self, secret: str | None) -> str:
        salt = "pamong.accounts.User.get_session_auth_hash"
        return salted_hmac(
            salt, f"{self.password}:{self.session_epoch}", secret=secret, algorithm="sha256"
        ).hexdigest()

    def has_role(self, role: str) -> bool:
        return self.groups.filter(name=role).exists()

    @property
    def role_names(self) -> list[str]:
        return sorted(self.groups.values_list("name", flat=True))


class AccessLog(models.Model):
    """Every time staff open a citizen's personal data: who, what, why (UU 27/2022). The citizen can read it."""

    citizen = models.ForeignKey(User, on_delete=models.CASCADE, related_name="accessed_by_staff")
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    what = models.CharField(max_length=200)
    why = models.CharField(max_length=300)
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.actor_id} opened {self.what} of {self.citizen_id}"


class TOTPDevice(models.Model):
    """A staff member's authenticator app (RFC 6238). The secret is encrypted at rest; `last_step` refuses a code
    used twice. Unconfirmed until the first code is entered on the enrolment page."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    secret = EncryptedTextField()
    created_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_step = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"TOTP of {self.user_id} ({'confirmed' if self.confirmed_at else 'not confirmed'})"


class LoginCode(models.Model):
    """A one-time sign-in code sent to a citizen: only its keyed hash is kept; valid 5 minutes, used once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_codes")
    code_hash = models.CharField(max_length=64)
    channel = models.CharField(max_length=8)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"login code for {self.user_id} ({self.channel})"


class ContactCode(models.Model):
    """A one-time code sent to an e-mail address or phone number a citizen adds on /akun/ (issue 15): only its
    keyed hash is kept; the address itself (encrypted) becomes the account's once the code is typed back."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("e-mail address")
        PHONE = "phone", _("mobile number")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="contact_codes")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    value = EncryptedTextField()  # the address being verified (phones in E.164)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} code for {self.user_id}"
