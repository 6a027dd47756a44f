"""Personal data held by documents: issued letters (a signed PDF with the citizen's name, masked NIK and the
decision's reasons, encrypted at rest; the masked name as printed).

Retention: a letter is a record of an administrative decision; it stays as long as the decision record does
(the letter's file is erased with the citizen's other data when the application's personal data is erased by
retention in pamong.cases; the row with number, hash and audit index stays for verification)."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction

from pamong.core.personal_data import PersonalData, declare

from .models import Letter


def export(user) -> dict[str, Any]:
    return {
        "letters": [
            {
                "number": letter.number,
                "kind": letter.kind,
                "status": letter.status,
                "issued_at": letter.issued_at.isoformat() if letter.issued_at else None,
                "sha256": letter.sha256,
                "verify_code": letter.code,
            }
            for letter in Letter.objects.filter(application__applicant=user).order_by("created_at", "pk")
        ]
    }


def erase(user) -> dict[str, int]:
    """The PDFs go (they hold the name); the row stays so that the verification page still answers for a paper
    copy (status, number, hash), with the masked name blanked."""
    letters = list(Letter.objects.filter(application__applicant=user).exclude(file=""))
    files = [letter.file.name for letter in letters]
    Letter.objects.filter(application__applicant=user).update(file="", masked_name="-")
    transaction.on_commit(lambda: [default_storage.delete(name) for name in files])
    return {"letters_erased": len(letters)}


declare(
    PersonalData(
        module="documents",
        models=("documents.Letter",),
        retention="Surat keputusan disimpan selama catatan keputusannya; berkas PDF dihapus bersama data "
        "pribadi pemohon, nomor, hash dan entri audit tetap untuk verifikasi.",
        export=export,
        erase=erase,
    )
)
