"""Reading a budget CSV in the columns of the regional financial system's export (SIPD-style rincian belanja and
realisasi): every problem is reported with the file, the line and the field, and nothing is repaired
(ADR 31: input is refused, never repaired). Pure: the standard library's csv, no Django. A problem keeps its
English source text and parameters and is put in the reader's language when it is read (ADR 51).

Columns (header names, in any order; `;` or `,` separated, UTF-8):
tahun, jenis (anggaran | realisasi), kode_program, nama_program, kode_kegiatan, nama_kegiatan,
kode_sub_kegiatan, nama_sub_kegiatan, kode_rekening, nama_rekening, uraian, satuan, volume, harga_satuan,
jumlah (optional: when given it must equal volume × harga_satuan), penyedia (required for realisasi), tanggal.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from pamong.core.errors import gettext_noop as _
from pamong.core.errors import translate

REQUIRED = (
    "tahun",
    "jenis",
    "kode_program",
    "nama_program",
    "kode_kegiatan",
    "nama_kegiatan",
    "kode_sub_kegiatan",
    "nama_sub_kegiatan",
    "kode_rekening",
    "nama_rekening",
    "uraian",
    "satuan",
    "volume",
    "harga_satuan",
    "penyedia",
    "tanggal",
)
OPTIONAL = ("jumlah",)
KINDS = ("anggaran", "realisasi")
TEXT_LIMITS = {
    "kode_program": 40,
    "nama_program": 255,
    "kode_kegiatan": 40,
    "nama_kegiatan": 255,
    "kode_sub_kegiatan": 40,
    "nama_sub_kegiatan": 255,
    "kode_rekening": 40,
    "nama_rekening": 255,
    "uraian": 255,
    "satuan": 40,
    "penyedia": 255,
}
RUPIAH = re.compile(r"^(\d+|\d{1,3}(\.\d{3})+)$")  # whole rupiah: 1500000 or 1.500.000
VOLUME = re.compile(r"^\d+(,\d{1,4})?$")  # Indonesian decimal comma: 12 or 2,5
MAX_RUPIAH = 10**15
MAX_ROWS = 2_000_000


@dataclass(frozen=True)
class Problem:
    file: str
    line: int  # 1 is the header
    field: str
    text: str  # English source text (translated when read)
    params: dict[str, Any] | None = None

    @property
    def message(self) -> str:
        return translate(self.text, self.params)

    def __str__(self) -> str:
        return translate(_("%(file)s:%(line)s: column %(field)s: %(message)s")) % {
            "file": self.file,
            "line": self.line,
            "field": self.field,
            "message": self.message,
        }

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "field": self.field, "message": self.message}


@dataclass(frozen=True)
class Row:
    line: int
    kind: str
    year: int
    date: dt.date
    program_code: str
    program: str
    activity_code: str
    activity: str
    sub_activity_code: str
    sub_activity: str
    account_code: str
    account: str
    item: str
    unit: str
    quantity: Decimal
    unit_price: int
    amount: int
    supplier: str


def read(data: bytes, *, file: str, max_problems: int = 50) -> tuple[list[Row], list[Problem]]:
    """All rows, or the problems (at most `max_problems`, in file order). Rows are returned only without problems."""
    problems: list[Problem] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], [
            Problem(
                file,
                _line_of(data, exc.start),
                "-",
                _("the file is not UTF-8 text; save it again as UTF-8 CSV"),
            )
        ]
    if not text.strip():
        return [], [Problem(file, 1, "-", _("the file is empty"))]
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [name.strip().lower() for name in next(reader)]
    except csv.Error as exc:
        return [], [Problem(file, 1, "-", _("the header line cannot be read: %(error)s"), {"error": exc})]
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name not in REQUIRED and name not in OPTIONAL]
    duplicated = sorted({name for name in header if header.count(name) > 1})
    for name in missing:
        problems.append(Problem(file, 1, name, _("a required column is missing from the header line")))
    for name in unknown:
        problems.append(Problem(file, 1, name or "-", _("unknown column; remove it or correct its name")))
    for name in duplicated:
        problems.append(Problem(file, 1, name, _("the column appears more than once")))
    if problems:
        return [], problems
    rows: list[Row] = []
    try:
        for values in reader:
            line = reader.line_num
            if not any(value.strip() for value in values):
                continue
            if len(values) != len(header):
                problems.append(
                    Problem(
                        file,
                        line,
                        "-",
                        _("the line has %(found)s columns, the header line %(header)s"),
                        {"found": len(values), "header": len(header)},
                    )
                )
            else:
                row = _row(dict(zip(header, values, strict=True)), file=file, line=line, problems=problems)
                if row is not None:
                    rows.append(row)
            if len(problems) >= max_problems or len(rows) > MAX_ROWS:
                break
    except csv.Error as exc:
        problems.append(
            Problem(
                file, reader.line_num, "-", _("the line cannot be read as CSV: %(error)s"), {"error": exc}
            )
        )
    if len(rows) > MAX_ROWS:
        problems.append(
            Problem(
                file,
                reader.line_num,
                "-",
                _("more than %(max)s lines; split the file"),
                {"max": f"{MAX_ROWS:,}"},
            )
        )
    if not rows and not problems:
        problems.append(Problem(file, 2, "-", _("there are no data lines")))
    return ([], problems[:max_problems]) if problems else (rows, [])


def _line_of(data: bytes, offset: int) -> int:
    return data[:offset].count(b"\n") + 1


def _row(values: dict[str, str], *, file: str, line: int, problems: list[Problem]) -> Row | None:
    before = len(problems)

    def bad(field: str, text: str, params: dict[str, Any] | None = None) -> None:
        problems.append(Problem(file, line, field, text, params))

    v = {name: value.strip() for name, value in values.items()}
    for name, limit in TEXT_LIMITS.items():
        if name == "penyedia":
            continue
        if not v[name]:
            bad(name, _("must be filled in"))
        elif len(v[name]) > limit:
            bad(name, _("at most %(limit)s characters"), {"limit": limit})
        elif any(ord(ch) < 32 for ch in v[name]):
            bad(name, _("contains control characters"))
    kind = v["jenis"].lower()
    if kind not in KINDS:
        bad("jenis", _("write 'anggaran' or 'realisasi'"))
    year = None
    if not re.fullmatch(r"\d{4}", v["tahun"]) or not 2000 <= int(v["tahun"]) <= 2100:
        bad("tahun", _("the budget year in four digits, for example 2026"))
    else:
        year = int(v["tahun"])
    date = None
    try:
        date = (
            dt.date.fromisoformat(v["tanggal"]) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v["tanggal"]) else None
        )
    except ValueError:
        date = None
    if date is None:
        bad("tanggal", _("a date written YYYY-MM-DD, for example 2026-03-31"))
    elif year is not None and date.year != year:
        bad(
            "tanggal",
            _("the date %(date)s is not in the budget year %(year)s"),
            {"date": date.isoformat(), "year": year},
        )
    quantity = None
    if not VOLUME.fullmatch(v["volume"]):
        bad("volume", _("a number with a decimal comma, for example 12 or 2,5 (no thousands separator)"))
    else:
        try:
            quantity = Decimal(v["volume"].replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
            bad("volume", _("not a number"))
        if quantity is not None and quantity <= 0:
            bad("volume", _("must be more than zero"))
            quantity = None
    unit_price = _rupiah(v["harga_satuan"], "harga_satuan", bad)
    amount = None
    if quantity is not None and unit_price is not None:
        exact = quantity * unit_price
        if exact != exact.to_integral_value():
            bad("volume", _("volume × harga_satuan must be whole rupiah"))
        else:
            amount = int(exact)
            if v.get("jumlah"):
                given = _rupiah(v["jumlah"], "jumlah", bad)
                if given is not None and given != amount:
                    bad("jumlah", _("not equal to volume × harga_satuan (%(amount)s)"), {"amount": amount})
    supplier = v["penyedia"]
    if kind == "realisasi" and not supplier:
        bad("penyedia", _("required for realisasi"))
    elif len(supplier) > TEXT_LIMITS["penyedia"]:
        bad("penyedia", _("at most %(limit)s characters"), {"limit": TEXT_LIMITS["penyedia"]})
    if len(problems) > before or year is None or date is None or amount is None or unit_price is None:
        return None
    assert quantity is not None
    return Row(
        line=line,
        kind=kind,
        year=year,
        date=date,
        program_code=v["kode_program"],
        program=v["nama_program"],
        activity_code=v["kode_kegiatan"],
        activity=v["nama_kegiatan"],
        sub_activity_code=v["kode_sub_kegiatan"],
        sub_activity=v["nama_sub_kegiatan"],
        account_code=v["kode_rekening"],
        account=v["nama_rekening"],
        item=v["uraian"],
        unit=v["satuan"],
        quantity=quantity,
        unit_price=unit_price,
        amount=amount,
        supplier=supplier,
    )


def _rupiah(text: str, field: str, bad) -> int | None:
    if not RUPIAH.fullmatch(text):
        bad(field, _("whole rupiah without decimals, for example 1500000 or 1.500.000"))
        return None
    amount = int(text.replace(".", ""))
    if amount <= 0 or amount >= MAX_RUPIAH:
        bad(field, _("must be more than zero and less than Rp1,000 trillion"))
        return None
    return amount


def item_key(item: str, unit: str) -> str:
    """The key prices are compared on: the description and unit, lower case, spaces collapsed."""
    return f"{' '.join(item.lower().split())} ({' '.join(unit.lower().split())})"


def write(rows: list[dict[str, object]]) -> str:
    """A CSV in the same columns (the demo data and tests write their files with it)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*REQUIRED, "jumlah"], delimiter=";", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
