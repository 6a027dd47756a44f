"""The performance figures as rows (CSV) and as a document (JSON): the same numbers the page shows."""

from __future__ import annotations

import csv
import io
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from .figures import Figures
from .selectors import Performance

COLUMNS = (
    "periode",
    "permohonan",
    "diputus",
    "diputus_tepat_waktu",
    "median_hari_kerja",
    "dikabulkan",
    "ditolak",
    "fiktif_positif",
    "keberatan",
    "keberatan_mengubah_putusan",
)


def number(value: Fraction | None, places: int = 2) -> str | None:
    if value is None:
        return None
    quantum = Decimal(1).scaleb(-places)
    return str((Decimal(value.numerator) / Decimal(value.denominator)).quantize(quantum, ROUND_HALF_UP))


def row(label: str, figures: Figures) -> dict[str, Any]:
    return {
        "periode": label,
        "permohonan": figures.applications,
        "diputus": figures.decided,
        "diputus_tepat_waktu": figures.decided_on_time,
        "median_hari_kerja": number(figures.median_working_days, 1),
        "dikabulkan": figures.granted,
        "ditolak": figures.refused,
        "fiktif_positif": figures.deemed,
        "keberatan": figures.objections,
        "keberatan_mengubah_putusan": figures.objections_changed,
    }


def rows(perf: Performance) -> list[dict[str, Any]]:
    return [row(f.start.strftime("%Y-%m"), f) for f in perf.months] + [row(perf.period.code, perf.total)]


def as_json(perf: Performance) -> dict[str, Any]:
    result = perf.survey.result
    return {
        "jenis": "layanan" if perf.kind == "service" else "instansi",
        "slug": perf.slug,
        "nama": perf.name,
        "instansi": perf.agency_name,
        "data_sampai": perf.as_of.isoformat(),
        "periode": perf.period.code,
        "total": row(perf.period.code, perf.total),
        "per_bulan": [row(f.start.strftime("%Y-%m"), f) for f in perf.months],
        "ikm": {
            "nilai": number(result.ikm),
            "mutu": result.band,
            "responden": result.respondents,
            "populasi": perf.survey.population,
            "sampel_minimum": perf.survey.minimum_sample,
        },
        "pengaduan": None
        if perf.complaints is None
        else {"diterima": perf.complaints.received, "dijawab_tepat_waktu": perf.complaints.answered_on_time},
        "tindak_lanjut": [
            {**f, "due": f["due"].isoformat(), "element": str(f["element"]), "status": str(f["status"])}
            for f in perf.followups
        ],
    }


def as_csv(perf: Performance) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for item in rows(perf):
        writer.writerow({k: "" if v is None else v for k, v in item.items()})
    return out.getvalue()
