"""The withdrawal letter (issue 14, point 1: "a letter for every final outcome ... and withdrawal") and letters
in English for a citizen who chose it: the Indonesian text that binds, then the English translation, one signed
file."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from pamong.accounts.models import AccessLog
from pamong.audit.models import AuditEntry
from pamong.cases import services as cases
from pamong.cases.models import Application
from pamong.core.errors import InvalidTransition, PermissionDenied
from pamong.documents import selectors, signing
from pamong.documents.models import Letter, LetterPreference

from .conftest import APPLY, SKTM_FORM, apply_pkh, let_notices_lapse, post

pytestmark = pytest.mark.django_db


def pdf_pages(pdf: bytes) -> list[str]:
    """The text a reader of the PDF sees, page by page (pypdf)."""
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def pdf_text(pdf: bytes) -> str:
    return "\n".join(pdf_pages(pdf))


def referred(world, client_for) -> Application:
    return Application.objects.get(pk=apply_pkh(client_for(world.refer), world, world.niks.REFER_NIK)["id"])


def test_a_withdrawn_application_gets_a_signed_withdrawal_letter_anyone_can_verify(
    world, client_for, run_jobs
):
    application = referred(world, client_for)
    assert not Letter.objects.filter(application=application).exists()
    citizen = client_for(world.refer)
    page = citizen.get(f"/permohonan/{application.pk}/").content.decode()
    assert f"/permohonan/{application.pk}/tarik/" in page  # the citizen's form, no JavaScript
    with run_jobs():
        response = citizen.post(f"/permohonan/{application.pk}/tarik/", {"statement": "Sudah tidak perlu."})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "withdrawn" and application.assigned_to_id is None
    entry = AuditEntry.objects.get(action="cases.application_withdrawn")
    assert entry.data["statement"] == "Sudah tidak perlu."

    letter = Letter.objects.get(application=application)
    assert (letter.kind, letter.status, letter.outcome, letter.decision_id) == (
        "withdrawal",
        "valid",
        "WITHDRAW",
        None,
    )
    assert letter.number.split("/")[1] == "SK-PC"
    download = citizen.get(f"/permohonan/{application.pk}/surat/")
    assert download.status_code == 200
    pdf = download.content
    assert signing.validate(pdf).ok
    text = pdf_text(pdf)
    assert "SURAT KETERANGAN PENCABUTAN PERMOHONAN" in text  # the title, upper case by its style
    assert "Anda MENCABUT permohonan Anda" in text and "Tanggal pencabutan" in text
    assert "Penolakan" not in text and "keberatan" not in text.lower()  # no objection rights for a withdrawal
    verify = Client().get(f"/v/{letter.code}").content.decode()
    assert "SAH" in verify and letter.number in verify and "pencabutan" in verify
    # The citizen is told, and the case cannot be withdrawn twice.
    assert "Sudah tidak perlu" not in text  # the citizen's reason stays in the audit log, not on paper
    with pytest.raises(InvalidTransition):
        cases.withdraw_application(application, actor=world.refer)
    assert Letter.objects.filter(application=application).count() == 1


def test_only_the_applicant_or_a_counter_with_consent_withdraws(world, client_for):
    application = referred(world, client_for)
    with pytest.raises(PermissionDenied):
        cases.withdraw_application(application, actor=world.warga)
    assert client_for(world.warga).post(f"/permohonan/{application.pk}/tarik/").status_code == 404
    application.refresh_from_db()
    assert application.status == "under_review"


def test_a_granted_case_cannot_be_withdrawn(world, client_for, run_jobs):
    with run_jobs():
        body = apply_pkh(client_for(world.warga), world, world.niks.WARGA_NIK)
    application = Application.objects.get(pk=body["id"])
    assert "tarik/" not in client_for(world.warga).get(f"/permohonan/{application.pk}/").content.decode()
    with pytest.raises(InvalidTransition):
        cases.withdraw_application(application, actor=world.warga)


def test_withdrawing_a_reopened_refusal_revokes_its_letter_and_links_the_withdrawal(
    world, client_for, run_jobs
):
    client = client_for(world.denied)
    with run_jobs():
        body = post(client, APPLY, {"service": "sktm", "form": SKTM_FORM}).json()
        assert let_notices_lapse() == 1
    application = Application.objects.get(pk=body["id"])
    refusal = Letter.objects.get(application=application)
    assert (refusal.kind, refusal.status) == ("refusal", "valid")
    # The citizen's income was wrong; with it corrected the rules no longer refuse: the refusal is re-opened.
    Application.objects.filter(pk=application.pk).update(form_data={**SKTM_FORM, "household_income": 900_000})
    with run_jobs():
        assert cases.rerun_application(application.pk, actor=world.petugas, repair=True)[0] == "reopened"
    application.refresh_from_db()
    assert application.status == "under_review"
    refusal.refresh_from_db()
    assert refusal.status == "valid"  # the refusal stands while the case is examined again
    with run_jobs():
        cases.withdraw_application(application, actor=world.denied)
    refusal.refresh_from_db()
    withdrawal = Letter.objects.get(application=application, kind="withdrawal")
    assert (refusal.status, refusal.replaced_by_id, withdrawal.status) == ("revoked", withdrawal.pk, "valid")
    assert AuditEntry.objects.filter(
        action="documents.letter_revoked", subject=f"documents.letter:{refusal.pk}"
    ).exists()
    old_page = Client().get(f"/v/{refusal.code}").content.decode()
    assert "DICABUT" in old_page and f"/v/{withdrawal.code}" in old_page
    _, pdf = selectors.current_letter_pdf(application)
    assert refusal.number in pdf_text(pdf)  # the withdrawal letter names the letter it replaces


def test_a_counter_withdraws_for_the_citizen_with_consent(world, client_for, run_jobs):
    application = referred(world, client_for)
    with pytest.raises(PermissionDenied):
        cases.withdraw_application(application, actor=world.loket)
    consent = {"method": "tanda_tangan", "statement": "Saya setuju permohonan saya dicabut."}
    with run_jobs():
        cases.withdraw_application(application, actor=world.loket, consent=consent)
    assert AuditEntry.objects.get(action="cases.application_withdrawn").data["on_behalf"]["recorded_by"] == (
        world.loket.pk
    )
    assert Letter.objects.get(application=application).status == "valid"
    assert not AccessLog.objects.filter(citizen=world.refer, actor=world.warga).exists()


# --- English -------------------------------------------------------------------------------------------------


def test_a_citizen_who_chose_english_gets_the_indonesian_letter_with_an_english_translation(
    world, client_for, run_jobs
):
    citizen = client_for(world.warga)
    page = citizen.get("/akun/dokumen/").content.decode()
    assert 'name="language" value="en"' in page
    assert citizen.post("/akun/dokumen/", {"action": "language", "language": "en"}).status_code == 302
    assert LetterPreference.objects.get(owner=world.warga).language == "en"
    assert AuditEntry.objects.filter(action="documents.letter_language_chosen").count() == 1
    with run_jobs():
        body = apply_pkh(citizen, world, world.niks.WARGA_NIK)
    letter = Letter.objects.get(application_id=body["id"])
    assert (letter.language, letter.status) == ("en", "valid")
    pdf = citizen.get(f"/permohonan/{body['id']}/surat/").content
    assert signing.validate(pdf).ok  # one signature over both copies
    pages = pdf_pages(pdf)
    first_english = next(
        i for i, page in enumerate(pages) if "English translation, for your information" in page
    )
    assert first_english >= 1  # the English copy starts on its own page, after the Indonesian one
    indonesian, english = "\n".join(pages[:first_english]), "\n".join(pages[first_english:])
    assert "Permohonan Anda DIKABULKAN." in indonesian and "Tanggal keputusan" in indonesian
    assert english, "the English copy follows the Indonesian one"
    assert "DECISION LETTER: GRANTED" in english and "Your application is GRANTED." in english
    assert "Date of decision" in english and "On behalf of the Head of" in english
    assert "DIKABULKAN" not in english
    assert "Family Hope Programme (PKH) Social Assistance" in english  # the pack's English name
    assert "Legal basis of the service: Undang-Undang Nomor 11 Tahun 2009" in english.replace("\n", " ")
    assert "{'title'" not in indonesian + english
    assert len(pdf) <= 150 * 1024


def test_letters_stay_indonesian_by_default_and_a_bad_choice_is_refused(world, client_for, run_jobs):
    citizen = client_for(world.warga)
    refused = citizen.post("/akun/dokumen/", {"action": "language", "language": "fr"})
    assert refused.status_code == 422 and "Pilih bahasa surat Anda" in refused.content.decode()
    with run_jobs():
        body = apply_pkh(citizen, world, world.niks.WARGA_NIK)
    letter = Letter.objects.get(application_id=body["id"])
    text = pdf_text(citizen.get(f"/permohonan/{body['id']}/surat/").content)
    assert letter.language == "id" and "Permohonan Anda DIKABULKAN." in text
    assert "English translation" not in text and "Your application" not in text
