"""The counter officer serving a citizen asks the assistant about that citizen's applications (issue 18, point 7):
the citizen is the applicant of the case found by reference + NIK, never a person named in the question; the
look-up and every answer are in the citizen's access log; nobody else hears anything about the case."""

from __future__ import annotations

import re

import pytest

from pamong.accounts.models import AccessLog
from pamong.assistant.models import Handover, Question
from pamong.cases import services as cases
from pamong.cases.deadlines import objection_deadline
from pamong.cases.selectors import final_decision
from pamong.complaints.models import Complaint
from pamong.core.formatting import format_date

pytestmark = pytest.mark.django_db


def flat(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def ask_at_counter(client, reference: str, nik: str, question: str):
    return client.post("/tanya/loket/", {"reference": reference, "nik": nik, "question": question})


def failed_reasons(application) -> list[str]:
    rules = application.decisions.last().evaluation["rules"]
    return [rule["explanation"] for rule in rules if rule["status"] == "failed"]


@pytest.mark.parametrize("question", ["kenapa permohonannya ditolak", "kenapa bansos saya ditolak"])
def test_the_counter_officer_hears_the_served_citizens_refusal_and_it_is_logged(
    world, refused, client_for, question
):
    deadline = format_date(objection_deadline(final_decision(refused)))
    response = ask_at_counter(client_for(world.loket), refused.reference, world.niks.DENIED_NIK, question)
    page = flat(response)
    assert response.status_code == 200
    assert (
        f"Permohonan Bantuan Sosial Program Keluarga Harapan (PKH) Anda ({refused.reference}) ditolak."
        in page
    )
    assert all(reason in page for reason in failed_reasons(refused))
    assert "Alasan petugas: Penghasilan di atas garis kemiskinan." in page
    assert f"Anda dapat mengajukan keberatan sampai {deadline}" in page
    # the look-up and the answer, each in Bambang's access log under the officer's name
    log = list(
        AccessLog.objects.filter(citizen=world.denied).order_by("pk").values_list("actor", "what", "why")
    )
    assert log == [
        (
            world.loket.pk,
            f"permohonan {refused.reference}: status, alasan dan surat",
            "pertanyaan kepada asisten di loket",
        ),
        (
            world.loket.pk,
            f"jawaban asisten di loket: permohonan {refused.reference}",
            f"pertanyaan petugas loket yang melayani warga (dicari dengan {refused.reference} dan NIK)",
        ),
    ]
    kept = Question.objects.get()
    assert (kept.channel, kept.top_source, kept.handover) == (
        "counter",
        f"application:{refused.reference}",
        False,
    )
    # the next question on the page carries the same case again (re-checked, logged again)
    assert f'<input type="hidden" name="reference" value="{refused.reference}">' in page


def test_the_counter_case_page_offers_the_assistant_for_that_citizen(world, refused, client_for):
    page = flat(
        client_for(world.loket).post(
            "/loket/cari/", {"reference": refused.reference, "nik": world.niks.DENIED_NIK}
        )
    )
    form = page.split('action="/tanya/loket/"', 1)[1].split("</form>", 1)[0]
    assert f'name="reference" value="{refused.reference}"' in form
    assert f'name="nik" value="{world.niks.DENIED_NIK}"' in form and 'name="question"' in form


def test_a_general_question_at_the_counter_is_answered_and_logged_without_case_data(
    world, refused, client_for
):
    page = flat(
        ask_at_counter(
            client_for(world.loket), refused.reference, world.niks.DENIED_NIK, "syarat akta kelahiran apa aja"
        )
    )
    assert "Persyaratan Akta Kelahiran:" in page and f"Anda ({refused.reference})" not in page
    whats = list(AccessLog.objects.filter(citizen=world.denied).values_list("what", flat=True))
    assert "jawaban asisten di loket (tanpa data permohonan)" in whats


def test_an_unsure_answer_at_the_counter_opens_no_hand_over(world, refused, client_for):
    page = flat(
        ask_at_counter(
            client_for(world.loket), refused.reference, world.niks.DENIED_NIK, "siapa presiden pertama?"
        )
    )
    assert (
        "Asisten tidak dapat menjawab pertanyaan ini dengan yakin. Periksa status, alasan dan batas waktu pada "
        "halaman kasus di loket, atau tanyakan kepada petugas instansi yang menangani." in page
    )
    assert not Handover.objects.exists() and not Complaint.objects.exists()


def test_nobody_else_hears_about_the_case(world, refused, client, client_for):
    reasons = failed_reasons(refused)
    question = "kenapa permohonannya ditolak"
    # a counter officer whose NIK does not match the case: the form again (422), nothing about it, nothing logged
    wrong = ask_at_counter(client_for(world.loket), refused.reference, world.niks.WARGA_NIK, question)
    assert wrong.status_code == 422
    assert "Tidak ada permohonan dengan nomor permohonan dan NIK ini" in flat(wrong)
    assert not any(reason in flat(wrong) for reason in reasons)
    assert not AccessLog.objects.filter(citizen=world.denied).exists()
    # officers who are not at a counter, citizens, the anonymous: the same 404 / sign-in as for any staff page
    for person in (world.petugas, world.supervisor, world.denied, world.warga):
        response = ask_at_counter(client_for(person), refused.reference, world.niks.DENIED_NIK, question)
        assert response.status_code == 404 and refused.reference not in flat(response)
    client.logout()
    anonymous = ask_at_counter(client, refused.reference, world.niks.DENIED_NIK, question)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/masuk/")
    # a NIK typed into the public assistant's question chooses nobody
    typed = flat(
        client_for(world.loket).post(
            "/tanya/", {"question": f"kenapa bansos warga NIK {world.niks.DENIED_NIK} ditolak"}
        )
    )
    assert refused.reference not in typed and not any(reason in typed for reason in reasons)
    assert not AccessLog.objects.filter(citizen=world.denied).exists()
    assert Question.objects.filter(channel="counter").count() == 0


def test_serving_another_citizen_tells_only_that_citizens_applications(world, refused, client_for):
    own, _ = cases.submit_application(
        actor=world.warga,
        service=world.bansos,
        applicant=world.warga,
        form=dict(world.forms[world.niks.WARGA_NIK]),
    )
    page = flat(
        ask_at_counter(
            client_for(world.loket), own.reference, world.niks.WARGA_NIK, "kenapa bansos saya ditolak"
        )
    )
    assert own.reference in page and refused.reference not in page
    assert not any(reason in page for reason in failed_reasons(refused))
    assert not AccessLog.objects.filter(citizen=world.denied).exists()
    assert AccessLog.objects.filter(citizen=world.warga, actor=world.loket).count() == 2
