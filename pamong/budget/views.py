"""Budget pages (Indonesian paths): the public plan-versus-realisation page and the inspectorate's (APIP) queue of
red flags. Thin: parse, call one selector or service, render. No JavaScript; tables stack at 360 px."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from pamong.catalog.models import Agency
from pamong.core.errors import ApplicationError, NotFound

from . import charts, flags, selectors, services
from .models import Flag

# The statement every flag carries (flags.NOT_AN_ACCUSATION is its Indonesian text, stored with the flag's record),
# in the reader's language.
NOT_AN_ACCUSATION = _lazy(
    "This flag is a reason to look, not an accusation: the same pattern can have a lawful explanation. "
    "The government's internal auditors (APIP) judge it."
)

PAGE_SIZE = 25
KIND_NAMES = {
    flags.PRICE: _lazy("Unit price far above the usual price"),
    flags.SPLIT: _lazy("Purchases split under the direct-procurement ceiling"),
    flags.SPIKE: _lazy("Year-end spending spike"),
    flags.CONCENTRATION: _lazy("Spending concentrated on few suppliers"),
    flags.SINGLE_BIDDER: _lazy("Tender with a single bidder"),
    flags.DIRECT_ABOVE_CEILING: _lazy("Direct award above the ceiling"),
}

EVIDENCE_LABELS = {
    "line_id": _lazy("Lines"),
    "line_ids": _lazy("Lines"),
    "item": _lazy("Item"),
    "region": _lazy("Region"),
    "unit_price": _lazy("Unit price (Rp)"),
    "typical_price": _lazy("Usual price: median (Rp)"),
    "times": _lazy("Times the usual price"),
    "peers": _lazy("Purchases compared"),
    "supplier": _lazy("Supplier (code)"),
    "top_supplier": _lazy("Largest supplier (code)"),
    "first": _lazy("First purchase"),
    "last": _lazy("Last purchase"),
    "total": _lazy("Together (Rp)"),
    "largest": _lazy("Largest purchase (Rp)"),
    "ceiling": _lazy("Direct-procurement ceiling (Rp)"),
    "year": _lazy("Year"),
    "december": _lazy("December spending (Rp)"),
    "share": _lazy("December's share"),
    "usual_share": _lazy("December's usual share"),
    "history_years": _lazy("Years compared"),
    "hhi": _lazy("Herfindahl-Hirschman index"),
    "top_share": _lazy("Largest supplier's share"),
    "suppliers": _lazy("Suppliers"),
    "ocid": "OCID",
    "method": _lazy("Procurement method"),
    "tenderers": _lazy("Tenderers"),
    "amount": _lazy("Value (Rp)"),
}


def budget(request: HttpRequest) -> HttpResponse:
    """Public: the agencies that publish their budget; with ?instansi=<slug>[&tahun=YYYY], plan versus realisation
    by program and by month with a chart drawn on the server."""
    slug = request.GET.get("instansi")
    if not slug:
        return render(request, "budget/index.html", {"agencies": selectors.agencies_with_budget()})
    agency = Agency.objects.filter(slug=slug).first()
    years = selectors.years_of(agency) if agency else []
    if not years:
        raise Http404
    try:
        year = int(request.GET.get("tahun") or years[0])
    except ValueError:
        year = years[0]
    if year not in years:
        raise Http404
    figures = selectors.plan_versus_realisation(agency, year)
    if request.GET.get("format") == "csv":
        return _csv(figures)
    chart = charts.plan_realisation_columns(
        figures.months,
        title=_("Budget and realisation, cumulative by month, %(year)s") % {"year": year},
        desc=_(
            "Cumulative budget and realisation of %(agency)s per month; the table below gives the same numbers."
        )
        % {"agency": agency.name},
        plan_label=_("Budget (cumulative)"),
        realised_label=_("Realisation (cumulative)"),
    )
    return render(
        request,
        "budget/agency.html",
        {"agency": agency, "years": years, "year": year, "figures": figures, "chart": chart},
    )


def _csv(figures: selectors.PlanVersusRealisation) -> HttpResponse:
    """The page's two tables as one CSV (open data): per program, then per month; whole rupiah."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="anggaran-{figures.agency.slug}-{figures.year}.csv"'
    )
    writer = csv.writer(response, delimiter=";", lineterminator="\n")
    writer.writerow(["tahun", "bagian", "kode", "nama", "anggaran", "realisasi"])
    for p in figures.programs:
        writer.writerow([figures.year, "program", p.code, p.name, p.plan, p.realised])
    for m in figures.months:
        writer.writerow([figures.year, "bulan", m.month, "", m.plan, m.realised])
    writer.writerow([figures.year, "total", "", "", figures.plan, figures.realised])
    return response


@login_required
def apip_queue(request: HttpRequest) -> HttpResponse:
    """The inspectorate's queue (auditors): open or dismissed flags, one flag with its evidence (?tanda=<id>), and
    dismissal with a written reason (POST)."""
    if not selectors.can_review_flags(request.user):
        raise Http404
    if request.method == "POST":
        return _dismiss(request)
    if request.GET.get("tanda"):
        return _detail(request, request.GET["tanda"])
    status = request.GET.get("status", Flag.Status.OPEN)
    if status not in Flag.Status.values:
        status = Flag.Status.OPEN
    page = Paginator(selectors.flag_queue(request.user, status=status), PAGE_SIZE).get_page(
        request.GET.get("halaman")
    )
    return render(
        request,
        "budget/queue.html",
        {
            "page": page,
            "status": status,
            "counts": selectors.flag_counts(),
            "kind_names": KIND_NAMES,
            "not_an_accusation": NOT_AN_ACCUSATION,
        },
    )


def _flag(request: HttpRequest, raw: str) -> Flag:
    try:
        return selectors.access_flag_by_id(request.user, int(raw))
    except (ValueError, NotFound):
        raise Http404 from None


def _detail(request: HttpRequest, raw: str) -> HttpResponse:
    flag = _flag(request, raw)
    return render(
        request,
        "budget/flag.html",
        {
            "flag": flag,
            "kind_name": KIND_NAMES.get(flag.kind, flag.kind),
            "evidence": [(EVIDENCE_LABELS.get(key, key), value) for key, value in flag.evidence.items()],
            "lines": selectors.flag_lines(flag)[:50],
            "not_an_accusation": NOT_AN_ACCUSATION,
            "min_reason": services.MIN_REASON,
        },
    )


def _dismiss(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("tanda", "")
    if not raw.isdigit():
        messages.error(request, _("Choose a flag to dismiss."))
        return redirect("budget:apip")
    flag = _flag(request, raw)
    try:
        services.dismiss_flag(flag, actor=request.user, reason=request.POST.get("alasan", ""))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The flag is dismissed; your reason is on record."))
    return redirect(f"{request.path}?tanda={flag.pk}")
