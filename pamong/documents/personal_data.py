"""Personal data held by documents: issued letters (a signed PDF with the citizen's name, masked NIK and the
decision's reasons, encrypted at rest; the masked name as printed).

Retention: a letter is a record of an administrative decision; it stays as long as the decision record does
(the letter's file is erased with the citizen's other data when the application's personal data is erased by
retention in pamong.cases; the row with number, hash and audit index stays for verification)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from pamong.core.personal_data import PersonalData, declare

from .models import Letter, LetterPreference, VaultConsent, VaultDocument


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
        ],
        "vault": [
            {
                "type": d.doc_type,
                "name": d.original_name,
                "sha256": d.sha256,
                "uploaded_at": d.uploaded_at.isoformat(),
                "keep_until": d.keep_until.isoformat(),
                "scanned_at_counter": d.uploaded_by_id is not None,
            }
            for d in VaultDocument.objects.filter(owner=user)
        ],
        "vault_consents": [
            {
                "agency": c.agency.slug,
                "given_at": c.given_at.isoformat(),
                "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
            }
            for c in VaultConsent.objects.filter(owner=user).select_related("agency")
        ],
        "letter_language": LetterPreference.objects.filter(owner=user)
        .values_list("language", flat=True)
        .first(),
    }


def erase(user) -> dict[str, int]:
    """The PDFs go (they hold the name); the row stays so that the verification page still answers for a paper
    copy (status, number, hash), with the masked name blanked."""
    letters = list(Letter.objects.filter(application__applicant=user).exclude(file=""))
    files = [letter.file.name for letter in letters]
    Letter.objects.filter(application__applicant=user).update(file="", masked_name="-")
    vault = list(VaultDocument.objects.filter(owner=user))
    files += [d.file.name for d in vault]
    VaultDocument.objects.filter(owner=user).delete()
    VaultConsent.objects.filter(owner=user, withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
    LetterPreference.objects.filter(owner=user).delete()
    transaction.on_commit(lambda: [default_storage.delete(name) for name in files])
    return {"letters_erased": len(letters), "vault_documents_erased": len(vault)}


def expire(now: dt.datetime, dry_run: bool) -> dict[str, int]:
    """Vault documents past `keep_until` are deleted (the citizen uploads again if needed)."""
    due = VaultDocument.objects.filter(keep_until__lt=timezone.localdate(now))
    count = due.count()
    if not dry_run and count:
        files = list(due.values_list("file", flat=True))
        due.delete()
        transaction.on_commit(lambda: [default_storage.delete(name) for name in files])
    return {"vault_documents_expired": count}


declare(
    PersonalData(
        module="documents",
        models=(
            "documents.Letter",
            "documents.VaultDocument",
            "documents.VaultConsent",
            "documents.LetterPreference",
        ),
        retention="Surat keputusan disimpan selama catatan keputusannya; berkas PDF dihapus bersama data "
        "pribadi pemohon, nomor, hash dan entri audit tetap untuk verifikasi. Dokumen di brankas warga disimpan "
        "PAMONG_VAULT_RETENTION_DAYS (bawaan 5 tahun) atau sampai warga menghapusnya.",
        export=export,
        erase=erase,
        expire=expire,
    )
)
