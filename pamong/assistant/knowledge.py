"""What the assistant knows, read from the database and the published rules into the pure core's documents
(`core.Doc`): every service of the catalog, the rule sets in force and their register entries, the procedures
(objection, appeal, complaints, deemed approval, accounts: the help page's own texts), each agency's contact and
opening hours; and, for a signed-in citizen, their own applications (`case_facts`).

The knowledge base is built once per process and rebuilt when the catalog, the published rule versions or the
day change (one aggregate query per question tells). It is built in Bahasa Indonesia whatever language the request
that builds it speaks: retrieval matches Indonesian words, and the agencies' texts are Indonesian. Pamong's own
words in a field (the help texts, a rule's consequence, "free", the opening hours, a procedure's title) are lazy
translations, read in the language of the request that reads them; an English page quotes the agency's texts in
Indonesian and says so.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

from django.conf import settings
from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from pamong.cases import rulebook
from pamong.cases import selectors as cases_selectors
from pamong.cases.models import Application, Decision
from pamong.catalog.models import Agency, Service
from pamong.core.formatting import format_date, format_rupiah
from pamong.oversight.models import RuleSetDraft
from pamong.oversight.register import IMPACT_TEXT, template_text

from .core import CaseFacts, Doc, KnowledgeBase, Source

# The help page's texts (pamong/templates/core/help.html), read through the catalogue so the assistant says what
# the page says, in the same words.
HELP_OBJECTION = (
    "File an objection (keberatan) from the application's page within the period it shows; another officer "
    "decides it. If the objection is upheld you may appeal (banding) to the supervisor's level. An agency that "
    "does not decide in time is deemed to have granted (UU 30/2014)."
)
HELP_APPLY = (
    "Find the service in the catalog and read its requirements, cost and how long it takes.",
    "Sign in with your NIK and password, then fill in the form. You can also apply at the agency's counter, "
    "where an officer fills it in with you.",
    "Follow the status under “My applications”. Every decision says which rules were met and why.",
)
HELP_ACCOUNT = (
    "Accounts are opened at a service counter, where an officer checks your KTP and prints a one-time "
    "activation code. The same code replaces a forgotten password."
)
HELP_ALGORITHMS = (
    "Every rule set that decides automatically is published in the algorithm register with its version and what "
    "it checks. A refusal by the rules alone is never final for serious matters: an officer checks it."
)
CONTACT_LAPOR = (
    "You can file an objection to a decision from your application's page. Complaints about a service can also "
    "go to the national complaints channel SP4N-LAPOR!:"
)
ASSISTANT_SIGN_IN = "To see your own application, sign in first; then ask again or open “My applications”."


RULE_DENIES = gettext_noop(
    "If not met, the application is refused (a refusal is proposed when the impact is high)."
)
RULE_REFERS = gettext_noop("If not met, the application goes to an officer to check.")


def office_hours_text() -> str:
    """The counter's opening hours in the reader's language."""
    start, end = settings.PAMONG_ASSISTANT_OFFICE_HOURS
    return gettext(
        "working days (Monday–Friday, except national holidays and collective leave days) from %(start)s to "
        "%(end)s WIB"
    ) % {"start": start.strftime("%H.%M"), "end": end.strftime("%H.%M")}


office_hours_lazy = lazy(office_hours_text, str)


def _indonesian(text: object) -> str:
    """What retrieval indexes: Indonesian words (the knowledge base is built under Indonesian)."""
    return str(text)


def _procedure(slug: str, url: str, title: Any, texts: list[Any], keywords: str, agency: str = "") -> Doc:
    """A help text: `title` and `texts` are Pamong's own words (lazy: read in the reader's language)."""
    fields = {"title": title, "texts": texts, "url": url}
    return Doc(
        source=Source("procedure", slug, url, title),
        fields=fields,
        index_parts=((_indonesian(title), 3), (keywords, 3), (" ".join(_indonesian(t) for t in texts), 0)),
        agency=agency,
    )


def _service_doc(service: Service) -> Doc:
    url = reverse("service-detail", args=[service.slug])
    fee_text = gettext_lazy("free (Rp0)") if service.fee == 0 else format_rupiah(service.fee)
    fields: dict[str, Any] = {
        "name": service.name,
        "summary": service.summary,
        "requirements": [str(item) for item in service.requirements],
        "procedure": [str(item) for item in service.procedure],
        "procedure_numbers": [str(i + 1) for i in range(len(service.procedure))],
        "completion_days": str(service.completion_days),
        "decision_days": str(service.decision_days),
        "objection_days": str(service.objection_days),
        "appeal_days": str(service.appeal_days),
        "fee_text": fee_text,
        "fee_note": service.fee_note.rstrip("."),
        "product": service.product.rstrip("."),
        "complaint_handling": service.complaint_handling,
        "service_guarantee": service.service_guarantee.rstrip("."),
        "legal_basis": [
            f"{item['title']}" + (f", {item['reference']}" if item.get("reference") else "")
            for item in service.legal_basis
        ],
        "agency_name": service.agency.name,
        "url": url,
    }
    keywords = " ".join(str(k) for k in service.keywords)
    return Doc(
        source=Source("service", service.slug, url, service.name),
        fields=fields,
        index_parts=(
            (service.name, 3),
            (keywords, 3),
            (service.summary, 1),
            (service.category, 1),
            (" ".join(fields["requirements"]), 0),
            (service.product, 0),
        ),
        agency=service.agency.slug,
        service=service.slug,
    )


def _rule_docs(service: Service, today: dt.date) -> list[Doc]:
    rule_set = rulebook.rule_set_in_force(service.slug, today)
    if rule_set is None:
        return []
    register_url = reverse("oversight:register-detail", args=[service.slug])
    titles, hints, docs = [], [], []
    for rule in rule_set.rules:
        hint = gettext_lazy(RULE_DENIES if rule.on_fail == "deny" else RULE_REFERS)
        titles.append(rule.title.rstrip("."))
        hints.append(hint)
        failed = template_text(rule.explain["failed"]) if "failed" in rule.explain else ""
        explanation = failed if failed and "{" not in failed else hint
        url = f"{register_url}#{rule.id}"
        docs.append(
            Doc(
                source=Source("rule", f"{service.slug}/{rule.id}", url, rule.title),
                fields={"title": rule.title.rstrip(".") + ".", "explanation": explanation, "url": url},
                index_parts=((rule.title, 2), (_indonesian(explanation), 0)),
                agency=service.agency.slug,
                service=service.slug,
            )
        )
    register = Doc(
        source=Source(
            "register",
            service.slug,
            register_url,
            format_lazy("{}: {}", gettext_lazy("Algorithm register"), service.name),
        ),
        fields={
            "name": service.name,
            "version": rule_set.version_id,
            "rule_titles": titles,
            "rule_hints": hints,
            "automated_text": IMPACT_TEXT.get(service.impact_level, ""),
            "url": register_url,
        },
        index_parts=(
            (service.name, 2),
            (" ".join(str(k) for k in service.keywords), 2),
            ("aturan algoritma kriteria keputusan otomatis mesin penilaian", 2),
        ),
        agency=service.agency.slug,
        service=service.slug,
    )
    return [register, *docs]


def _agency_doc(agency: Agency) -> Doc:
    url = reverse("contact")
    fields = {
        "name": agency.name,
        "address": agency.address,
        "phone": agency.phone,
        "hours": office_hours_lazy(),
        "url": url,
    }
    return Doc(
        source=Source("procedure", f"kontak-{agency.slug}", url, agency.name),
        fields=fields,
        index_parts=((agency.name, 3), (agency.region_name, 1)),
        agency=agency.slug,
    )


def _procedures(default_agency: str) -> list[Doc]:
    help_url = reverse("help")
    objection = gettext_lazy(HELP_OBJECTION)
    return [
        _procedure(
            "keberatan",
            help_url,
            gettext_lazy("Objection and appeal"),
            [objection],
            "keberatan banding tidak setuju keputusan sanggah protes",
        ),
        _procedure(
            "fiktif-positif",
            help_url,
            gettext_lazy("Late decisions"),
            [lazy(lambda: str(objection).split(". ")[-1], str)()],
            "fiktif positif dianggap dikabulkan terlambat batas waktu keputusan",
        ),
        _procedure(
            "cara-mengajukan",
            help_url,
            gettext_lazy("How to apply for a service"),
            [gettext_lazy(text) for text in HELP_APPLY],
            "cara mengajukan permohonan daftar layanan online loket",
        ),
        _procedure(
            "akun",
            help_url,
            gettext_lazy("Citizen account"),
            [gettext_lazy(HELP_ACCOUNT)],
            "akun aktivasi kode sandi lupa masuk login daftar akun",
        ),
        _procedure(
            "register",
            reverse("oversight:register"),
            gettext_lazy("Algorithm register"),
            [gettext_lazy(HELP_ALGORITHMS)],
            "algoritma aturan keputusan otomatis mesin register",
        ),
        _procedure(
            "pengaduan",
            reverse("contact"),
            gettext_lazy("Complaints"),
            [format_lazy("{} www.lapor.go.id", gettext_lazy(CONTACT_LAPOR))],
            "pengaduan komplain lapor sp4n aduan pungli pungutan liar",
        ),
        _procedure(
            "jam-layanan",
            reverse("contact"),
            gettext_lazy("Service hours"),
            [format_lazy(gettext_lazy("Counter opening hours: {hours}."), hours=office_hours_lazy())],
            "jam buka layanan loket kantor libur",
            agency=default_agency,
        ),
        _procedure(
            "masuk",
            reverse("accounts:login"),
            gettext_lazy("Sign in"),
            [gettext_lazy(ASSISTANT_SIGN_IN)],
            "masuk login",
        ),
    ]


def default_agency_slug() -> str:
    configured = settings.PAMONG_ASSISTANT_DEFAULT_AGENCY
    if configured and Agency.objects.filter(slug=configured).exists():
        return configured
    first = (
        Agency.objects.filter(services__isnull=False).order_by("name").values_list("slug", flat=True).first()
    )
    return first or ""


def build_knowledge(today: dt.date | None = None) -> KnowledgeBase:
    with translation.override("id"):  # retrieval reads Indonesian, whoever asks first
        return _build_knowledge(today)


def _build_knowledge(today: dt.date | None) -> KnowledgeBase:
    today = today or timezone.localdate()
    services = list(Service.objects.select_related("agency").order_by("name"))
    agencies = list(Agency.objects.order_by("name"))
    default = default_agency_slug()
    docs: list[Doc] = [_service_doc(service) for service in services]
    for service in services:
        if service.automated:
            docs.extend(_rule_docs(service, today))
    docs.extend(_agency_doc(agency) for agency in agencies)
    docs.extend(_procedures(default))
    return KnowledgeBase(docs=docs, default_agency=default)


_lock = threading.Lock()
_cache: dict[str, Any] = {}


def _version() -> tuple:
    services = Service.objects.aggregate(n=Count("id"), at=Max("loaded_at"))
    drafts = RuleSetDraft.objects.filter(published_at__isnull=False).aggregate(
        n=Count("id"), at=Max("published_at")
    )
    return (
        services["n"],
        services["at"],
        drafts["n"],
        drafts["at"],
        Agency.objects.count(),
        timezone.localdate(),
    )


def knowledge() -> KnowledgeBase:
    """The knowledge base of this process, rebuilt when what it was built from changed."""
    version = _version()
    with _lock:
        if _cache.get("version") != version:
            _cache["kb"] = build_knowledge()
            _cache["version"] = version
        return _cache["kb"]


def sign_in_doc(kb: KnowledgeBase) -> Doc | None:
    return kb.by_key.get(("procedure", "masuk"))


# --- the citizen's own applications ------------------------------------------------------------------------------


def case_facts(user, *, limit: int = 10) -> list[CaseFacts]:
    """The signed-in citizen's latest applications as the core reads them. Only `applicant=user` is read: the
    assistant answers about a case only to its own citizen."""
    if user is None or not user.is_authenticated:
        return []
    facts = []
    for application in cases_selectors.applications_of(user)[:limit]:
        facts.append(_case(application))
    return facts


def _case(application: Application) -> CaseFacts:
    url = reverse("cases:application", args=[application.pk])
    explanation = cases_selectors.explanation(application)
    decision = explanation.decision
    proposal = bool(
        decision is not None
        and decision.kind == Decision.Kind.PROPOSAL
        and application.status == Application.Status.UNDER_REVIEW
    )
    failed = [rule["explanation"] for rule in explanation.rules if rule.get("status") == "failed"]
    if not (application.status == Application.Status.DENIED or proposal):
        failed = []
    actions = cases_selectors.citizen_actions(application)
    objection_until = actions["objection_until"]
    officer_reasons = decision.reasons if decision is not None and decision.decided_by_id else ""
    fields = {
        "service_name": application.service.name,
        "reference": application.reference,
        "status": application.status,
        "status_text": str(application.get_status_display()),
        "proposal": proposal,
        "decision_due": format_date(application.decision_due),
        "failed_reasons": failed,
        "officer_reasons": officer_reasons,
        "objection_until": format_date(objection_until) if objection_until else "",
        "objection_url": url,
        "next_steps": [] if objection_until else cases_selectors.next_steps(application),
        "agency": application.service.agency.slug,
        "url": url,
    }
    return CaseFacts(
        source=Source("application", application.reference, url, application.reference),
        service=application.service.slug,
        fields=fields,
    )
