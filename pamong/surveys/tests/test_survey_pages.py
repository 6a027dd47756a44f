"""The survey after a decision (portal and counter kiosk), one answer per application, anonymous to staff; the
agency's report per period and its follow-up actions."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from pamong.audit.models import AuditEntry
from pamong.cases import services as cases
from pamong.core.errors import PermissionDenied, ValidationFailed
from pamong.notify.models import Notification
from pamong.privacy.services import erase_personal_data, export_personal_data
from pamong.surveys import selectors
from pamong.surveys import services as surveys
from pamong.surveys.forms import clean_survey
from pamong.surveys.ikm import parse_period
from pamong.surveys.models import FollowUpAction, SurveyResponse
from pamong.surveys.tests.conftest import answers
from pamong.surveys.tests.test_ikm import WORKED

pytestmark = pytest.mark.django_db


def test_the_case_page_offers_the_survey_after_the_final_decision_and_takes_one_answer(
    client, world, granted
):
    client.force_login(world.warga)
    page = client.get(reverse("cases:application", args=[granted.pk])).content.decode()
    survey_url = reverse("surveys:respond", args=[granted.pk])
    assert survey_url in page
    form = client.get(survey_url)
    assert form.status_code == 200 and 'name="waktu"' in form.content.decode()
    entries = AuditEntry.objects.count()

    response = client.post(
        survey_url, answers(3, 3, 2, 4, 3, 3, 4, 2, 3, comment="Antrean panjang.", sex="P")
    )

    assert response.status_code == 302 and response["Location"] == reverse(
        "cases:application", args=[granted.pk]
    )
    stored = SurveyResponse.objects.get()
    assert (stored.service, stored.channel, stored.waktu, stored.sex) == (world.bansos, "web", 2, "P")
    assert stored.month == timezone.localdate().replace(day=1)
    assert stored.comment == "Antrean panjang."
    # Anonymous: no field of the response names the application or the person.
    values = " ".join(str(getattr(stored, f.attname)) for f in SurveyResponse._meta.concrete_fields)
    assert str(granted.pk) not in values and granted.reference not in values
    relations = {f.name for f in SurveyResponse._meta.concrete_fields if f.is_relation}
    assert relations == {"service"}  # no link to a person or an application
    entry = AuditEntry.objects.get(index=entries)
    assert (entry.actor, entry.action, entry.subject) == (
        "survey:respondent", "surveys.response_recorded", "surveys.service:bansos-pkh"
    )  # fmt: skip
    assert str(granted.pk) not in entry.payload and granted.reference not in entry.payload
    # The case page now thanks, and a second answer is refused with nothing written.
    page = client.get(reverse("cases:application", args=[granted.pk])).content.decode()
    assert survey_url not in page
    again = client.post(survey_url, answers(4, 4, 4, 4, 4, 4, 4, 4, 4))
    assert again.status_code == 409
    assert SurveyResponse.objects.count() == 1 and AuditEntry.objects.count() == entries + 1


def test_no_survey_before_the_final_decision(client, world):
    application, _ = cases.submit_application(
        actor=world.refer,
        service=world.bansos,
        applicant=world.refer,
        form=dict(world.forms[world.niks.REFER_NIK]),
    )
    assert application.status == "under_review"
    client.force_login(world.refer)
    url = reverse("surveys:respond", args=[application.pk])
    assert url not in client.get(reverse("cases:application", args=[application.pk])).content.decode()
    assert client.get(url).status_code == 409
    assert client.post(url, answers(4, 4, 4, 4, 4, 4, 4, 4, 4)).status_code == 409
    assert SurveyResponse.objects.count() == 0


@pytest.mark.parametrize("who", ["denied", "petugas", "supervisor", "loket"])
def test_only_the_applicant_answers_on_the_portal(client, world, granted, who):
    client.force_login(getattr(world, who))
    url = reverse("surveys:respond", args=[granted.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, answers(4, 4, 4, 4, 4, 4, 4, 4, 4)).status_code == 404
    assert SurveyResponse.objects.count() == 0


@pytest.mark.parametrize(
    ("form", "field"),
    [
        (answers(3, 3, 3, 3, 3, 3, 3, 3, 5), "sarana"),
        ({**answers(3, 3, 3, 3, 3, 3, 3, 3, 3), "waktu": ""}, "waktu"),
        (answers(3, 3, 3, 3, 3, 3, 3, 3, 3, sex="X"), "sex"),
        (answers(3, 3, 3, 3, 3, 3, 3, 3, 3, comment="x" * 1001), "comment"),
    ],
)
def test_a_bad_answer_is_refused_with_a_message_and_nothing_written(client, world, granted, form, field):
    client.force_login(world.warga)
    entries = AuditEntry.objects.count()
    response = client.post(reverse("surveys:respond", args=[granted.pk]), form)
    assert response.status_code == 422
    assert f'href="#q-{field}"' in response.content.decode()
    assert SurveyResponse.objects.count() == 0 and AuditEntry.objects.count() == entries


def test_the_counter_kiosk_takes_the_answer_without_showing_who(client, world):
    application, _ = cases.submit_at_counter(
        actor=world.loket,
        service=world.bansos,
        nik=world.warga.nik,
        full_name="Siti Nurhaliza",
        form=dict(world.forms[world.niks.WARGA_NIK]),
        consent_method="tanda_tangan",
        consent_statement="Setuju.",
    )
    client.force_login(world.loket)
    receipt = client.get(reverse("cases:counter-receipt", args=[application.pk])).content.decode()
    assert f"{reverse('surveys:kiosk')}?ref={application.reference}" in receipt
    opened = client.post(reverse("surveys:kiosk"), {"reference": application.reference.lower()})
    page = opened.content.decode()
    assert opened.status_code == 200 and 'name="token"' in page
    assert "Siti" not in page and world.warga.nik not in page
    token = re.search(r'name="token" value="([^"]+)"', page)[1]
    done = client.post(reverse("surveys:kiosk"), {"token": token, **answers(4, 4, 3, 4, 4, 4, 4, 3, 4)})
    assert done.status_code == 200
    assert SurveyResponse.objects.get().channel == "kiosk"
    # The same application cannot be answered twice, and a forged token opens nothing.
    assert client.post(reverse("surveys:kiosk"), {"reference": application.reference}).status_code == 409
    forged = client.post(
        reverse("surveys:kiosk"), {"token": token[:-2] + "xx", **answers(1, 1, 1, 1, 1, 1, 1, 1, 1)}
    )
    assert forged.status_code == 422 and SurveyResponse.objects.count() == 1


def test_the_kiosk_only_opens_applications_of_the_officers_agency(client, world):
    application, _ = cases.submit_application(
        actor=world.warga,
        service=world.bansos,
        applicant=world.warga,
        form=dict(world.forms[world.niks.WARGA_NIK]),
    )
    world.loket.agency = world.dukcapil_officer.agency
    world.loket.save(update_fields=["agency"])
    client.force_login(world.loket)
    response = client.post(reverse("surveys:kiosk"), {"reference": application.reference})
    assert response.status_code == 422 and 'name="token"' not in response.content.decode()


def _respond_worked_example(world):
    """The four responses of the hand-worked example (test_ikm.WORKED), each for its own decided application."""
    for row in WORKED:
        application, _ = cases.submit_application(
            actor=world.warga, service=world.bansos, applicant=world.warga,
            form=dict(world.forms[world.niks.WARGA_NIK]),
        )  # fmt: skip
        surveys.record_response(
            application, channel="web", answers=clean_survey(answers(*row, comment="Baik."))
        )


def test_the_report_shows_the_worked_example_in_the_regulations_layout(client, world):
    _respond_worked_example(world)
    client.force_login(world.supervisor)
    year = timezone.localdate().year
    page = client.get(
        reverse("surveys:report"), {"layanan": "bansos-pkh", "periode": str(year)}
    ).content.decode()
    for heading in ("I. Pendahuluan", "II. Pengumpulan data", "III. Hasil", "IV. Analisis", "V. Kesimpulan"):
        assert heading in page
    assert "<strong>77,78</strong>" in page and "<strong>B</strong>" in page
    assert "3,111" in page  # the index, 28/9
    assert "<td>2,25</td>" in page  # waktu's NRR, the weakest element
    # Population: the four decided applications; minimum sample for 4 people served is 4 (asked in full).
    assert re.search(r"Populasi[^<]*</th><td>4</td>", page)
    assert "Waktu penyelesaian: 2,25 (D)" in page
    assert "Baik." in page  # the comment, without who wrote it


def test_another_agency_reads_only_its_own_report(client, world):
    _respond_worked_example(world)
    client.force_login(world.dukcapil_officer)
    assert client.get(reverse("surveys:report")).status_code == 404  # a case officer reads no report
    world.dukcapil_officer.groups.set(world.supervisor.groups.all())
    page = client.get(reverse("surveys:report"), {"instansi": "dinsos-kota-bandung"}).content.decode()
    assert "77,78" not in page and "Belum ada jawaban" in page


def test_follow_up_actions_are_recorded_audited_and_published(client, world):
    due = dt.date(2026, 12, 31)
    followup = surveys.record_followup(
        actor=world.supervisor, agency=world.bansos.agency, service=world.bansos, period="2026",
        element="waktu", action="Menambah petugas verifikasi pada jam sibuk.",
        responsible="Bidang Perlindungan Sosial", due=due,
    )  # fmt: skip
    assert AuditEntry.objects.filter(
        action="surveys.followup_recorded", subject=f"surveys.followup:{followup.pk}"
    )
    public = reverse("transparency:service", args=["bansos-pkh"])
    assert "Menambah petugas verifikasi" not in client.get(public).content.decode()
    client.force_login(world.supervisor)
    response = client.post(reverse("surveys:followup-publish", args=[followup.pk]), {"status": "in_progress"})
    assert response.status_code == 302
    followup.refresh_from_db()
    assert followup.published_at is not None and followup.status == "in_progress"
    assert AuditEntry.objects.filter(action="surveys.followup_published").count() == 1
    client.logout()
    cache.clear()
    page = client.get(public).content.decode()
    assert "Menambah petugas verifikasi" in page and "sedang berjalan" in page


def test_follow_up_actions_need_a_supervisor_or_administrator_of_the_agency(world):
    kwargs = dict(
        agency=world.bansos.agency, service=None, period="2026", element="waktu",
        action="Menambah petugas verifikasi.", responsible="Bidang", due=dt.date(2026, 12, 31),
    )  # fmt: skip
    for actor in (world.petugas, world.dukcapil_officer, world.warga):
        with pytest.raises(PermissionDenied):
            surveys.record_followup(actor=actor, **kwargs)
    with pytest.raises(ValidationFailed) as refused:
        surveys.record_followup(actor=world.supervisor, **{**kwargs, "period": "2026-Q9", "action": "x"})
    assert set(refused.value.details) == {"period", "action"}
    assert FollowUpAction.objects.count() == 0


def test_paper_questionnaires_count_like_the_others(world):
    surveys.record_paper_response(
        world.bansos, actor=world.supervisor, answers=clean_survey(answers(4, 4, 4, 4, 4, 4, 4, 4, 4)),
        month=timezone.localdate(),
    )  # fmt: skip
    result = selectors.ikm_of([world.bansos], parse_period(str(timezone.localdate().year)))
    assert (result.respondents, result.ikm_2dp, result.band) == (1, Decimal("100.00"), "A")
    with pytest.raises(PermissionDenied):
        surveys.record_paper_response(
            world.bansos, actor=world.petugas, answers=clean_survey(answers(4, 4, 4, 4, 4, 4, 4, 4, 4)),
            month=timezone.localdate(),
        )  # fmt: skip


def test_the_respondent_exports_and_erases_their_comment(world, granted):
    surveys.record_response(
        granted,
        channel="web",
        answers=clean_survey(answers(3, 3, 3, 3, 3, 3, 3, 3, 3, comment="Petugas ramah.")),
    )
    exported = export_personal_data(world.warga)
    assert exported["survey_responses"][0]["comment"] == "Petugas ramah."
    assert "survey_responses" not in export_personal_data(world.denied)
    erase_personal_data(world.warga, actor="system:test", reason="Permintaan warga.")
    stored = SurveyResponse.objects.get()
    assert stored.comment == "" and stored.waktu == 3  # the scores stay: they are the statistics


def test_the_decision_notice_invites_to_the_survey(world, granted):
    """The citizen's notice of a final decision (inbox, e-mail, SMS) carries the survey's address."""
    notice = Notification.objects.filter(recipient=world.warga, template="decision_made").latest("pk")
    assert reverse("surveys:respond", args=[granted.pk]) in notice.body


def test_the_catalog_service_page_shows_this_years_ikm(client, world):
    page = client.get(reverse("service-detail", args=["bansos-pkh"])).content.decode()
    assert "Belum ada jawaban survei tahun ini." in page
    _respond_worked_example(world)
    page = client.get(reverse("service-detail", args=["bansos-pkh"])).content.decode()
    assert "<strong>77,78</strong> (B, Baik)" in page and "4 responden pada" in page
    assert reverse("transparency:service", args=["bansos-pkh"]) in page
