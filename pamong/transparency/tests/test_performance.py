"""The public performance page of bansos PKH: every figure checked against the database, the downloads carry the
same numbers, the page is small, needs no JavaScript, and is the same all day (daily key)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import statistics
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from pamong.cases import services as cases
from pamong.cases.models import Application, Decision, Objection
from pamong.complaints import services as complaints
from pamong.complaints.models import Complaint
from pamong.core.workdays import add_working_days, working_days_between
from pamong.surveys import services as surveys
from pamong.surveys.forms import clean_survey
from pamong.surveys.ikm import ELEMENTS
from pamong.surveys.models import SurveyResponse
from pamong.transparency import selectors
from pamong.transparency.tasks import refresh_public_performance

pytestmark = pytest.mark.django_db
SCORES = {"warga": (4, 3, 3, 4, 3, 4, 4, 3, 3), "denied": (2, 2, 1, 4, 3, 3, 3, 2, 2)}


def _form(world, who):
    nik = {"warga": world.niks.WARGA_NIK, "denied": world.niks.DENIED_NIK, "refer": world.niks.REFER_NIK}[who]
    return dict(world.forms[nik])


def _submit(world, who) -> Application:
    person = getattr(world, who)
    application, _ = cases.submit_application(
        actor=person, service=world.bansos, applicant=person, form=_form(world, who)
    )
    return application


def _age(application: Application, working_days: int) -> None:
    """Make an application `working_days` old, its decision date already past (test set-up, not a service)."""
    start = timezone.now() - dt.timedelta(days=working_days * 7 // 5 + 3)
    complete_on = timezone.localtime(start).date()
    Application.objects.filter(pk=application.pk).update(
        filed_at=start, completed_at=start, decision_due=add_working_days(complete_on, 5)
    )


def build_scenario(world) -> dict[str, Application]:
    made = {"siti": _submit(world, "warga")}  # granted by the rules on the day
    assert made["siti"].status == "granted"
    made["asep"] = _submit(world, "refer")  # an officer grants it in time, some working days after filing
    _age(made["asep"], 2)
    Application.objects.filter(pk=made["asep"].pk).update(decision_due=timezone.localdate())
    cases.claim_application(made["asep"], actor=world.petugas)
    cases.decide_application(made["asep"], actor=world.petugas, outcome="GRANT", reasons="Data sudah dicek.")
    made["bambang"] = _submit(world, "denied")  # refused, objection overturned by another officer
    if made["bambang"].status == "under_review":
        cases.claim_application(made["bambang"], actor=world.petugas2)
        cases.decide_application(
            made["bambang"], actor=world.petugas2, outcome="DENY", reasons="Di atas garis."
        )
    made["bambang"].refresh_from_db()
    assert made["bambang"].status == "denied"
    objection = cases.file_objection(made["bambang"], actor=world.denied, statement="Mobil sudah dijual.")
    cases.decide_objection(objection, actor=world.petugas, overturn=True, reasons="Bukti penjualan sah.")
    made["late"] = _submit(world, "refer")  # decided by an officer after its decision date
    _age(made["late"], 12)
    cases.claim_application(made["late"], actor=world.petugas)
    cases.decide_application(
        made["late"], actor=world.petugas, outcome="GRANT", reasons="Terlambat diperiksa."
    )
    made["deemed"] = _submit(world, "refer")  # nobody decided: granted by law
    _age(made["deemed"], 9)
    assert cases.deem_overdue() == 1
    made["open"] = _submit(world, "refer")  # still waiting, within its time
    for who, key in (("warga", "siti"), ("denied", "bambang")):
        scores = dict(zip(ELEMENTS, map(str, SCORES[who]), strict=True))
        surveys.record_response(made[key], channel="web", answers=clean_survey(scores))
    # two complaints about the service: one answered within its deadline, one not answered yet
    for title in ("Antrean verifikasi terlalu lama", "Petugas tidak datang saat survei rumah"):
        report = complaints.Report(
            service=world.bansos, title=title, description=f"{title}; mohon ditindaklanjuti."
        )
        complaints.submit_complaint(report, actor=world.warga, reporter=world.warga)
    first = Complaint.objects.filter(service=world.bansos).order_by("pk").first()
    Complaint.objects.filter(pk=first.pk).update(answered_at=first.due_at - dt.timedelta(hours=1))
    return made


def expected_from_database(service) -> dict[str, str]:
    """Every figure straight from the tables, independently of pamong.transparency."""
    today = timezone.localdate()
    local = lambda moment: timezone.localtime(moment).date()  # noqa: E731
    apps = list(Application.objects.filter(service=service))
    firsts = {}
    for app in apps:
        decision = app.decisions.filter(final=True).order_by("decided_at", "pk").first()
        if decision is not None and local(decision.decided_at).year == today.year:
            firsts[app.pk] = (app, decision)
    on_time = [
        1 for app, d in firsts.values() if d.kind != "deemed" and local(d.decided_at) <= app.decision_due
    ]
    days = [working_days_between(local(app.completed_at), local(d.decided_at)) for app, d in firsts.values()]
    responses = list(SurveyResponse.objects.filter(service=service).values_list(*ELEMENTS))
    total = sum(map(sum, responses))
    ikm = Fraction(25 * total, 9 * len(responses))
    return {
        "applications": str(sum(1 for a in apps if local(a.filed_at).year == today.year)),
        "decided": str(len(firsts)),
        "decided_on_time": str(len(on_time)),
        "median_working_days": f"{Decimal(str(statistics.median(days))):.1f}".replace(".", ","),
        "granted": str(sum(1 for _, d in firsts.values() if d.outcome == "GRANT" and d.kind != "deemed")),
        "refused": str(sum(1 for _, d in firsts.values() if d.outcome == "DENY")),
        "deemed": str(Decision.objects.filter(application__service=service, kind="deemed").count()),
        "objections": str(Objection.objects.filter(application__service=service).count()),
        "objections_changed": str(
            Objection.objects.filter(
                application__service=service, status__in=["overturned", "deemed_granted"]
            ).count()
        ),
        "complaints": _complaints_from_database(service, today),
        "ikm": str(
            (Decimal(ikm.numerator) / ikm.denominator).quantize(Decimal("0.01"), ROUND_HALF_UP)
        ).replace(".", ","),
        "respondents": str(len(responses)),
    }


def _complaints_from_database(service, today) -> str:
    """Answered on time / received this year (merged reports count in the report they joined)."""
    this_year = [
        c
        for c in Complaint.objects.filter(service=service).exclude(status="merged")
        if timezone.localtime(c.received_at).year == today.year
    ]
    on_time = [c for c in this_year if c.answered_at is not None and c.answered_at <= c.due_at]
    return f"{len(on_time)} / {len(this_year)}"


@pytest.fixture
def today_included(monkeypatch):
    """The page runs to the end of yesterday; the scenario happens today, so the test moves the day on."""
    monkeypatch.setattr(selectors, "as_of_today", timezone.localdate)
    cache.clear()


def _figures(html: str) -> dict[str, str]:
    return {name: value.strip() for name, value in re.findall(r'data-figure="(\w+)"[^>]*>([^<]*)<', html)}


def test_every_figure_of_the_bansos_pkh_page_matches_the_database(client, world, today_included):
    build_scenario(world)
    expected = expected_from_database(world.bansos)
    # The scenario, by hand: 6 filed; 5 decided (Siti and Asep on time, Bambang refused on time, one late, one
    # deemed); 3 on time; Bambang's objection overturned; two survey answers.
    assert {k: expected[k] for k in ("applications", "decided", "decided_on_time", "deemed", "refused")} == {
        "applications": "6", "decided": "5", "decided_on_time": "3", "deemed": "1", "refused": "1"
    }  # fmt: skip
    assert (expected["objections"], expected["objections_changed"], expected["respondents"]) == (
        "1",
        "1",
        "2",
    )
    assert expected["complaints"] == "1 / 2"  # by hand: two received, one answered within its deadline
    # IKM by hand: totals 31 and 22 over 18 answers → 25 × 53 / 18 = 73,61 (C).
    assert expected["ikm"] == "73,61"

    response = client.get(reverse("transparency:service", args=["bansos-pkh"]))

    html = response.content.decode()
    shown = _figures(html)
    assert {k: shown.get(k) for k in expected} == expected
    assert shown["ikm_band"] == "C"
    assert shown["median_working_days"] != "0,0"  # the scenario spreads the days: the median means something
    assert len(response.content) < 100_000 and "<script" not in html and "<svg" in html
    # The downloads carry the same numbers.
    data = json.loads(client.get(reverse("transparency:service-json", args=["bansos-pkh"])).content)
    total = data["total"]
    assert (total["permohonan"], total["diputus"], total["diputus_tepat_waktu"], total["fiktif_positif"]) == (
        6, 5, 3, 1
    )  # fmt: skip
    assert (total["keberatan"], total["keberatan_mengubah_putusan"]) == (1, 1)
    assert data["ikm"] == {"nilai": "73.61", "mutu": "C", "responden": 2, "populasi": 5, "sampel_minimum": 5}
    assert data["pengaduan"] == {"diterima": 2, "dijawab_tepat_waktu": 1}
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(reverse("transparency:service-csv", args=["bansos-pkh"])).content.decode())
        )
    )
    assert rows[-1]["periode"] == str(timezone.localdate().year)
    assert (rows[-1]["permohonan"], rows[-1]["diputus_tepat_waktu"]) == ("6", "3")
    assert sum(int(r["diputus"]) for r in rows[:-1]) == 5  # the months add up to the year


def test_the_agency_page_adds_up_its_services(client, world, today_included):
    build_scenario(world)
    html = client.get(reverse("transparency:agency", args=["dinsos-kota-bandung"])).content.decode()
    shown = _figures(html)
    services = world.bansos.agency.services.all()
    assert shown["applications"] == str(Application.objects.filter(service__in=services).count())
    assert shown["deemed"] == "1" and shown["ikm"] == "73,61"
    assert reverse("transparency:service", args=["bansos-pkh"]) in html


def test_the_page_is_the_same_all_day(client, world, monkeypatch):
    """Figures run to the end of yesterday and are cached under the day's key: today's applications show
    tomorrow."""
    cache.clear()
    before = _figures(client.get(reverse("transparency:service", args=["bansos-pkh"])).content.decode())
    _submit(world, "warga")
    after = _figures(client.get(reverse("transparency:service", args=["bansos-pkh"])).content.decode())
    assert before == after and after["applications"] == "0"
    tomorrow = timezone.localdate()
    monkeypatch.setattr(selectors, "as_of_today", lambda: tomorrow)
    assert (
        _figures(client.get(reverse("transparency:service", args=["bansos-pkh"])).content.decode())[
            "applications"
        ]
        == "1"
    )


def test_unknown_service_or_agency_is_404(client, world):
    assert client.get(reverse("transparency:service", args=["tidak-ada"])).status_code == 404
    assert client.get(reverse("transparency:agency-json", args=["tidak-ada"])).status_code == 404
    index = client.get(reverse("transparency:index")).content.decode()
    assert reverse("transparency:service", args=["bansos-pkh"]) in index


def test_the_nightly_job_computes_every_page_before_the_first_visitor(client, world, monkeypatch):
    cache.clear()
    computed = refresh_public_performance.call_local()
    assert computed == selectors.public_services().count() + selectors.public_agencies().count()

    def refuse(*args, **kwargs):
        raise AssertionError("computed again: the nightly job's figures were not used")

    monkeypatch.setattr(selectors, "compute", refuse)
    assert client.get(reverse("transparency:service", args=["bansos-pkh"])).status_code == 200
    assert client.get(reverse("transparency:agency", args=["dinsos-kota-bandung"])).status_code == 200
