from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
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

    def has_role(self, role: str) -> bool:
        return self.groups.filter(name=role).exists()

    @property
    def role_names(self) -> list[str]:
        return sorted(self.groups.values_list("name", flat=True))
