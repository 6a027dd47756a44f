"""Issue 15, through the services: a counter citizen without e-mail is told of a refusal (printed-letter task or
SMS) and the objection clock counts from that; any counter officer finds the case by reference + NIK and files
an objection for the citizen, named in their access log; the name check; no second open application."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from pamong.accounts import roles
from pamong.accounts import services as accounts
from pamong.accounts.models import AccessLog, User
from pamong.audit.models import AuditEntry
from pamong.cases import deadlines, letters, services
from pamong.cases.identity import names_match
from pamong.cases.models import Application, Objection
from pamong.catalog.models import Agency
from pamong.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from pamong.core.workdays import add_working_days
from pamong.notify import services as notify
from pamong.notify.models import LetterTask, Notification

pytestmark = pytest.mark.django_db

SKTM_FORM = {
    "purpose": "pendidikan",
    "household_size": 3,
    "household_income": 4_500_000,
    "has_rt_rw_letter": True,
}
CONSENT = {"method": "tanda_tangan", "statement": "Saya setuju petugas loket mengajukan keberatan ini."}


def counter_officer(slug: str, username: str, full_name: str) -> User:
    return accounts.create_account(
        actor="system:test",
        username=username,
        password="x" * 14,
        role=roles.PETUGAS_LOKET,
        agency=Agency.objects.get(slug=slug),
        full_name=full_name,
    )


def file_sktm_at_counter(world, contact: services.CounterContact, *, nik=None, full_name="Bambang Sutrisno"):
    application, created = services.submit_at_counter(
        actor=world.loket,
        service=world.sktm,
        nik=nik or world.niks.DENIED_NIK,
        full_name=full_name,
        form=SKTM_FORM,
        consent_method="tanda_tangan",
        consent_statement="Saya setuju.",
        contact=contact,
        form_source="json",
    )
    assert created
    if application.status == Application.Status.REFUSAL_NOTICE:  # issue 13: the citizen may answer first
        assert services.finalise_lapsed_notices(today=deadlines.local_today() + dt.timedelta(days=30)) == 1
        application.refresh_from_db()
    return application


def deliver_all() -> None:
    for pk in Notification.objects.filter(status="pending").values_list("pk", flat=True):
        notify.deliver(notification_id=pk)


def test_a_counter_citizen_without_e_mail_gets_a_letter_and_the_clock_starts_at_hand_over(world):
    application = file_sktm_at_counter(world, services.CounterContact(told_by=services.ToldBy.COUNTER))
    assert application.status == "denied"
    assert application.applicant.email == ""
    deliver_all()
    decision_notice = Notification.objects.get(template="decision_made")
    assert decision_notice.status == "letter"
    assert decision_notice.context["url"] == f"http://localhost:8000/permohonan/{application.pk}/"
    task = LetterTask.objects.get(notification=decision_notice)
    assert task.queue == "kelurahan-cihapit" and "ditolak" in task.text
    decision = services.final_decision(application)
    decided_on = timezone.localtime(decision.decided_at).date()
    # Not told yet: the latest possible date, from the published upper bound.
    upper = add_working_days(decided_on, deadlines.NOTIFICATION_UPPER_BOUND_DAYS)
    assert deadlines.objection_deadline(decision) == add_working_days(upper, 21)
    # Handed over at the kelurahan's counter: the 21 working days run from today.
    kelurahan = counter_officer("kelurahan-cihapit", "loket-cihapit", "Rina Kusuma")
    services.hand_over_letter(actor=kelurahan, task_id=task.pk, how="handed_over")
    today = timezone.localdate()
    assert deadlines.objection_deadline(decision) == add_working_days(today, 21)
    assert AuditEntry.objects.filter(action="cases.letter_handled").count() == 1
    from pamong.cases.selectors import timeline as case_timeline

    assert "Surat cetak sudah diserahkan di loket atau dikirim lewat pos" in [
        step["text"] for step in case_timeline(application)
    ]
    # Another agency's counter cannot touch this agency's letters.
    with pytest.raises(NotFound):
        services.hand_over_letter(actor=world.loket, task_id=task.pk, how="posted")


def test_a_counter_citizen_with_a_phone_is_told_by_sms_and_the_clock_starts_at_delivery(world, settings):
    settings.NOTIFY_CHANNELS = {**settings.NOTIFY_CHANNELS, "sms": "pamong.notify.channels.ConsoleChannel"}
    contact = services.CounterContact(told_by=services.ToldBy.PHONE, phone="+62 812-3456-7890")
    application = file_sktm_at_counter(world, contact)
    deliver_all()
    notice = Notification.objects.get(template="decision_made")
    assert (notice.status, notice.channel) == ("sent", "sms")
    assert LetterTask.objects.count() == 0
    told = timezone.localtime(notice.notified_at).date()
    assert deadlines.objection_deadline(services.final_decision(application)) == add_working_days(told, 21)
    # The phone given at the counter is the citizen's, in E.164, and equal to the usual national spelling.
    preference = application.applicant.notify_preference
    assert preference.phone == "+6281234567890"
    assert preference.phone_index == notify.phone_key("0812 3456 7890")


def test_another_agencys_counter_finds_the_case_and_files_an_objection_logged_for_the_citizen(world):
    application = file_sktm_at_counter(world, services.CounterContact(told_by=services.ToldBy.COUNTER))
    mpp = counter_officer("disdukcapil-kota-bandung", "loket-mpp", "Dewi Lestari")
    with pytest.raises(NotFound):
        services.counter_find(actor=mpp, reference=application.reference, nik=world.niks.WARGA_NIK)
    with pytest.raises(NotFound):  # a deciding officer is not a counter officer
        services.counter_find(actor=world.petugas, reference=application.reference, nik=world.niks.DENIED_NIK)
    found = services.counter_find(
        actor=mpp, reference=application.reference.lower(), nik=world.niks.DENIED_NIK
    )
    assert found == application
    # Without the citizen's consent nothing is filed; with it, the objection is the citizen's.
    with pytest.raises(PermissionDenied):
        services.file_objection(found, actor=mpp, statement="Saya keberatan.")
    with pytest.raises(ValidationFailed) as missing:
        services.file_objection(found, actor=mpp, statement="Saya keberatan.", consent={"method": "x"})
    assert missing.value.code == "consent_required"
    objection = services.file_objection(found, actor=mpp, statement="Saya keberatan.", consent=CONSENT)
    assert objection.stage == Objection.Stage.OBJECTION
    entry = AuditEntry.objects.filter(action="cases.objection_filed").get()
    assert entry.data["on_behalf"]["recorded_by"] == mpp.pk
    log = AccessLog.objects.filter(citizen=application.applicant, actor=mpp).get()
    assert log.what == f"permohonan {application.reference}: status, alasan dan surat"
    from pamong.accounts.selectors import staff_label

    assert staff_label(log.actor).startswith("Dewi Lestari (petugas_loket, ")


def test_a_name_that_is_not_the_registrys_is_stopped_until_a_second_officer_confirms(world):
    before = (Application.objects.count(), User.objects.count())
    with pytest.raises(ValidationFailed) as stopped:
        services.submit_at_counter(
            actor=world.loket,
            service=world.sktm,
            nik=world.niks.WARGA_NIK,
            full_name="Orang Lain Sama Sekali",
            form=SKTM_FORM,
            consent_method="tanda_tangan",
            consent_statement="Saya setuju.",
            form_source="json",
        )
    assert stopped.value.code == "name_mismatch"
    assert "Orang Lain Sama Sekali" in stopped.value.message
    assert (Application.objects.count(), User.objects.count()) == before
    arguments = dict(
        actor=world.loket,
        service=world.sktm,
        nik=world.niks.WARGA_NIK,
        full_name="Orang Lain Sama Sekali",
        form=SKTM_FORM,
        consent_method="tanda_tangan",
        consent_statement="Saya setuju.",
        form_source="json",
    )
    with pytest.raises(ValidationFailed) as self_confirmed:
        services.submit_at_counter(**arguments, name_confirmed_by=world.loket)
    assert self_confirmed.value.code == "second_officer_required"
    application, _ = services.submit_at_counter(**arguments, name_confirmed_by=world.petugas)
    check = application.consent["name_check"]
    assert (check["match"], check["confirmed_by"], check["checked_against"]) == (
        False,
        world.petugas.pk,
        "registry",
    )
    assert application.applicant == world.warga


def test_a_spelling_variant_of_the_registered_name_is_the_same_person(world):
    assert names_match("SITI NUR HALIZA", "Siti Nurhaliza")
    assert names_match("Siti Nurhalizah", "Siti Nurhaliza")
    assert names_match("Muhamad Rizky", "Muhammad Rizki")
    assert not names_match("Siti", "Siti Nurhaliza")
    assert not names_match("Siti Aminah", "Siti Nurhaliza")
    application = file_sktm_at_counter(
        world, services.CounterContact(told_by="post"), nik=world.niks.WARGA_NIK, full_name="siti nur-haliza"
    )
    assert application.consent["name_check"] == {"checked_against": "registry", "match": True}
    assert application.consent["told_by"] == "post"


def test_a_second_open_pkh_application_is_refused_with_the_first_linked(world):
    first, _ = services.submit_application(
        actor=world.refer,
        service=world.bansos,
        applicant=world.refer,
        form=dict(world.forms[world.niks.REFER_NIK]),
    )
    assert first.status == "under_review"
    before = Application.objects.count()
    with pytest.raises(Conflict) as refused:
        services.submit_application(
            actor=world.refer,
            service=world.bansos,
            applicant=world.refer,
            form=dict(world.forms[world.niks.REFER_NIK]),
            idempotency_key="another-key",
        )
    assert refused.value.code == "application_already_open"
    assert refused.value.details == {"application": str(first.pk), "reference": first.reference}
    assert first.reference in refused.value.message
    assert Application.objects.count() == before


def test_a_new_application_right_after_a_grant_explains_why_it_is_not_needed(world):
    granted, _ = services.submit_application(
        actor=world.warga,
        service=world.bansos,
        applicant=world.warga,
        form=dict(world.forms[world.niks.WARGA_NIK]),
    )
    assert granted.status == "granted"
    with pytest.raises(Conflict) as refused:
        services.submit_application(
            actor=world.warga,
            service=world.bansos,
            applicant=world.warga,
            form=dict(world.forms[world.niks.WARGA_NIK]),
        )
    assert refused.value.code == "already_granted"
    assert "sudah dikabulkan" in refused.value.message and "tidak diperlukan" in refused.value.message
    # On an English page the date of the grant is written in English too, not "1 Desember 2026".
    with translation.override("en"), pytest.raises(Conflict) as refused_in_english:
        services.submit_application(
            actor=world.warga,
            service=world.bansos,
            applicant=world.warga,
            form=dict(world.forms[world.niks.WARGA_NIK]),
        )
    granted_on = timezone.localtime(granted.decisions.get().decided_at).date()
    assert f"{granted_on.day} {granted_on:%B} {granted_on.year}" in refused_in_english.value.message
    # A service whose pack allows repeats takes the second one.
    world.bansos.repeat_allowed = True
    world.bansos.save(update_fields=["repeat_allowed"])
    again, created = services.submit_application(
        actor=world.warga,
        service=world.bansos,
        applicant=world.warga,
        form=dict(world.forms[world.niks.WARGA_NIK]),
    )
    assert created and again != granted


def test_counter_contact_problems_are_named():
    assert services.contact_problems(services.CounterContact(told_by="merpati")) == {
        "told_by": "Pilih cara warga ingin diberi tahu tentang keputusan."
    }
    problems = services.contact_problems(
        services.CounterContact(told_by="phone", phone="12345", email="bukan")
    )
    assert set(problems) == {"phone", "email"}
    assert services.contact_problems(services.CounterContact(told_by="phone", phone="0812 3456 7890")) == {}


def test_the_upper_bound_is_published_and_applies_when_nobody_was_told(world):
    application = file_sktm_at_counter(world, services.CounterContact(told_by="post"))
    decision = services.final_decision(application)
    start, told = deadlines.made_known_on(application, decided_at=decision.decided_at)
    assert told is False
    assert start == add_working_days(timezone.localtime(decision.decided_at).date(), 20)
    assert dt.date.today() < start


# --- pages ------------------------------------------------------------------------------------------------------


def page_text(response) -> str:
    import re

    return re.sub(r"\s+", " ", response.content.decode())


def counter_form(world, **extra) -> dict:
    data = {
        f"f-{name}": ("ya" if value is True else "tidak" if value is False else value)
        for name, value in SKTM_FORM.items()
    }
    data.update(
        idempotency_key="7f0c6f3e-1d2b-4c55-9a8e-111111111111",
        nik=world.niks.WARGA_NIK,
        full_name="Orang Lain Sama Sekali",
        consent_method="tanda_tangan",
        consent_statement="Saya setuju.",
        told_by="counter",
    )
    data.update(extra)
    return data


def test_the_counter_page_stops_a_name_mismatch_and_takes_a_second_officers_confirmation(world, client_for):
    from pamong.conftest import PASSWORD

    client = client_for(world.loket)
    before = Application.objects.count()
    stopped = client.post("/loket/ajukan/sktm/", counter_form(world))
    html = page_text(stopped)
    assert stopped.status_code == 422
    assert "Nama yang ditulis (Orang Lain Sama Sekali) bukan nama yang terdaftar untuk NIK ini." in html
    assert 'id="second_officer_username"' in html
    assert Application.objects.count() == before
    wrong = client.post(
        "/loket/ajukan/sktm/",
        counter_form(world, second_officer_username="petugas", second_officer_password="salah"),
    )
    assert wrong.status_code == 422
    assert "Nama pengguna atau kata sandi petugas kedua salah." in page_text(wrong)
    confirmed = client.post(
        "/loket/ajukan/sktm/",
        counter_form(world, second_officer_username="petugas", second_officer_password=PASSWORD),
    )
    assert confirmed.status_code == 302
    application = Application.objects.get(applicant=world.warga)
    assert application.consent["name_check"]["confirmed_by"] == world.petugas.pk
    submitted = AuditEntry.objects.get(
        action="cases.application_submitted", subject=f"cases.application:{application.pk}"
    )
    assert submitted.data["name_check"]["confirmed_by"] == world.petugas.pk  # in the tamper-evident log too
    receipt = page_text(client.get(confirmed["Location"]))
    assert AccessLog.objects.filter(citizen=world.warga, actor=world.loket).exists()
    # The receipt shows the reasons of the decision and how the citizen is told.
    assert "Keputusan dan alasannya" in receipt and "Mengambil surat di loket ini" in receipt


def test_another_agencys_counter_finds_prints_and_files_an_objection_on_the_page(world, client_for):
    application = file_sktm_at_counter(world, services.CounterContact(told_by=services.ToldBy.COUNTER))
    deliver_all()
    mpp = counter_officer("disdukcapil-kota-bandung", "loket-mpp", "Dewi Lestari")
    client = client_for(mpp)
    miss = client.post("/loket/cari/", {"reference": application.reference, "nik": world.niks.WARGA_NIK})
    assert miss.status_code == 422
    assert "Tidak ada permohonan dengan nomor permohonan dan NIK ini." in page_text(miss)
    found = client.post("/loket/cari/", {"reference": application.reference, "nik": world.niks.DENIED_NIK})
    html = page_text(found)
    assert found.status_code == 200
    assert application.reference in html and "Keputusan dan alasannya" in html
    assert "Keputusan atas permohonan" in html  # the printed letter's text
    assert "Ajukan keberatan atas nama warga" in html
    no_consent = client.post(
        "/loket/cari/ajukan/",
        {
            "reference": application.reference,
            "nik": world.niks.DENIED_NIK,
            "action": "objection",
            "text": "Keberatan.",
        },
    )
    assert no_consent.status_code == 422
    assert Objection.objects.count() == 0
    filed = client.post(
        "/loket/cari/ajukan/",
        {
            "reference": application.reference,
            "nik": world.niks.DENIED_NIK,
            "action": "objection",
            "text": "Penghasilan saya sudah turun.",
            "consent_method": "tanda_tangan",
            "consent_statement": "Saya setuju.",
        },
    )
    assert filed.status_code == 200
    assert "Keberatan sudah diajukan untuk warga." in page_text(filed)
    assert Objection.objects.get().statement == "Penghasilan saya sudah turun."
    # The citizen reads on /akun/ that Dewi Lestari of Disdukcapil opened the case.
    citizen = client_for(application.applicant)
    account = page_text(citizen.get("/akun/"))
    assert "Dewi Lestari (petugas_loket, " in account


def test_the_agency_letter_queue_lists_undelivered_notices_and_records_hand_over(world, client_for):
    file_sktm_at_counter(world, services.CounterContact(told_by=services.ToldBy.COUNTER))
    deliver_all()
    # the notice of intended refusal (issue 13) and then the refusal: both could reach no channel
    assert LetterTask.objects.count() == 2
    intended = LetterTask.objects.get(notification__template="refusal_intended")
    task = LetterTask.objects.get(notification__template="decision_made")
    kelurahan = counter_officer("kelurahan-cihapit", "loket-cihapit", "Rina Kusuma")
    assert client_for(world.loket).get(f"/loket/surat/{task.pk}/").status_code == 404  # another agency
    client = client_for(kelurahan)
    listing = page_text(client.get("/loket/surat/"))
    assert "Keputusan atas permohonan" in listing
    printed = page_text(client.get(f"/loket/surat/{task.pk}/"))
    assert "ditolak" in printed
    response = client.post(f"/loket/surat/{task.pk}/selesai/", {"how": "handed_over"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.handled_by) == ("handed_over", kelurahan)
    client.post(f"/loket/surat/{intended.pk}/selesai/", {"how": "handed_over"})
    assert "Tidak ada surat yang perlu diserahkan." in page_text(client.get("/loket/surat/"))


def test_a_counter_receipt_of_a_case_still_open_shows_the_date_by_which_the_citizen_is_told(
    world, client_for
):
    data = {
        f"f-{name}": ("ya" if value is True else "tidak" if value is False else value)
        for name, value in world.forms[world.niks.REFER_NIK].items()
    }
    data.update(
        idempotency_key="7f0c6f3e-1d2b-4c55-9a8e-222222222222",
        nik=world.niks.REFER_NIK,
        full_name="Asep Saepudin",
        consent_method="tanda_tangan",
        consent_statement="Saya setuju.",
        told_by="phone",
        phone="0812 3456 7890",
    )
    client = client_for(world.loket)
    response = client.post("/loket/ajukan/bansos-pkh/", data)
    assert response.status_code == 302
    application = Application.objects.get(applicant=world.refer)
    assert application.status == "under_review"
    receipt = page_text(client.get(response["Location"]))
    from pamong.core.formatting import format_date

    assert f"Warga akan diberi tahu paling lambat</dt><dd>{format_date(application.decision_due)}" in receipt
    assert "SMS atau WhatsApp ke nomor ponsel di bawah" in receipt
    assert world.refer.notify_preference.phone == "+6281234567890"


def test_reading_the_decision_on_the_status_page_starts_the_clock(world, client_for):
    application = file_sktm_at_counter(world, services.CounterContact(told_by=services.ToldBy.POST))
    decision = services.final_decision(application)
    assert deadlines.made_known_on(application, decided_at=decision.decided_at)[1] is False
    # A staff member opening the page does not tell the citizen.
    client_for(world.loket).get(f"/permohonan/{application.pk}/")
    assert deadlines.made_known_on(application, decided_at=decision.decided_at)[1] is False
    page = page_text(client_for(application.applicant).get(f"/permohonan/{application.pk}/"))
    start, told = deadlines.made_known_on(application, decided_at=decision.decided_at)
    assert (start, told) == (timezone.localdate(), True)
    from pamong.core.formatting import format_date

    assert format_date(add_working_days(start, 21)) in page


def test_the_signed_refusal_letter_is_printed_at_the_counter_with_the_notice(
    world, client_for, django_capture_on_commit_callbacks
):
    """Issue 15, point 2: a notice no channel could deliver becomes a printed-letter task *with the letter* of
    the documents module: the agency's counter prints the signed PDF beside the notice, and a counter of another
    agency prints it for a case it found by reference + NIK; each print is in the citizen's access log."""
    with django_capture_on_commit_callbacks(execute=True):  # the letter is signed by a job after commit
        application = file_sktm_at_counter(world, services.CounterContact(told_by=services.ToldBy.COUNTER))
    deliver_all()
    number, pdf = letters.current_letter_pdf(application)
    assert pdf.startswith(b"%PDF")
    task = LetterTask.objects.get(notification__template="decision_made")
    kelurahan = counter_officer("kelurahan-cihapit", "loket-cihapit", "Rina Kusuma")
    client = client_for(kelurahan)
    printed = page_text(client.get(f"/loket/surat/{task.pk}/"))
    assert "Surat keputusan bertanda tangan (PDF)" in printed and number in printed
    response = client.get(f"/loket/surat/{task.pk}/pdf/")
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert response.content == pdf
    assert (
        client_for(world.loket).get(f"/loket/surat/{task.pk}/pdf/").status_code == 404
    )  # another agency's queue

    mpp = counter_officer("disdukcapil-kota-bandung", "loket-mpp", "Dewi Lestari")
    other = client_for(mpp)
    found = page_text(
        other.post("/loket/cari/", {"reference": application.reference, "nik": world.niks.DENIED_NIK})
    )
    assert "Cetak surat keputusan bertanda tangan elektronik (PDF)" in found
    wrong = other.post(
        "/loket/cari/surat/", {"reference": application.reference, "nik": world.niks.WARGA_NIK}
    )
    assert wrong.status_code == 404
    right = other.post(
        "/loket/cari/surat/", {"reference": application.reference, "nik": world.niks.DENIED_NIK}
    )
    assert (right.status_code, right.content) == (200, pdf)
    logged = AccessLog.objects.filter(citizen=application.applicant, what__contains=number)
    assert set(logged.values_list("actor", flat=True)) == {kelurahan.pk, mpp.pk}
