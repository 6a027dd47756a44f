"""Reading a budget CSV in the columns of the regional financial system's export (SIPD-style rincian belanja and
realisasi): every problem is reported with the file, the line and the field, and nothing is repaired
(ADR 31: input is refused, never repaired). Pure: the standard library's csv, no Django.

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
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: kolom {self.field}: {self.message}"

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
                "berkas bukan teks UTF-8; simpan ulang sebagai CSV UTF-8",
            )
        ]
    if not text.strip():
        return [], [Problem(file, 1, "-", "berkas kosong")]
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [name.strip().lower() for name in next(reader)]
    except csv.Error as exc:
        return [], [Problem(file, 1, "-", f"baris judul tidak dapat dibaca: {exc}")]
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name not in REQUIRED and name not in OPTIONAL]
    duplicated = sorted({name for name in header if header.count(name) > 1})
    for name in missing:
        problems.append(Problem(file, 1, name, "kolom wajib tidak ada pada baris judul"))
    for name in unknown:
        problems.append(
            Problem(file, 1, name or "(kosong)", "kolom tidak dikenal; hapus atau perbaiki namanya")
        )
    for name in duplicated:
        problems.append(Problem(file, 1, name, "kolom muncul lebih dari sekali"))
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
                    Problem(file, line, "-", f"baris berisi {len(values)} kolom, baris judul {len(header)}")
                )
            else:
                row = _row(dict(zip(header, values, strict=True)), file=file, line=line, problems=problems)
                if row is not None:
                    rows.append(row)
            if len(problems) >= max_problems or len(rows) > MAX_ROWS:
                break
    except csv.Error as exc:
        problems.append(Problem(file, reader.line_num, "-", f"baris tidak dapat dibaca sebagai CSV: {exc}"))
    if len(rows) > MAX_ROWS:
        problems.append(Problem(file, reader.line_num, "-", f"lebih dari {MAX_ROWS:,} baris; bagi berkasnya"))
    if not rows and not problems:
        problems.append(Problem(file, 2, "-", "tidak ada baris data"))
    return ([], problems[:max_problems]) if problems else (rows, [])


def _line_of(data: bytes, offset: int) -> int:
    return data[:offset].count(b"\n") + 1


def _row(values: dict[str, str], *, file: str, line: int, problems: list[Problem]) -> Row | None:
    before = len(problems)

    def bad(field: str, message: str) -> None:
        problems.append(Problem(file, line, field, message))

    v = {name: value.strip() for name, value in values.items()}
    for name, limit in TEXT_LIMITS.items():
        if name == "penyedia":
            continue
        if not v[name]:
            bad(name, "wajib diisi")
        elif len(v[name]) > limit:
            bad(name, f"paling banyak {limit} karakter")
        elif any(ord(ch) < 32 for ch in v[name]):
            bad(name, "berisi karakter kendali")
    kind = v["jenis"].lower()
    if kind not in KINDS:
        bad("jenis", "isi 'anggaran' atau 'realisasi'")
    year = None
    if not re.fullmatch(r"\d{4}", v["tahun"]) or not 2000 <= int(v["tahun"]) <= 2100:
        bad("tahun", "tahun anggaran empat angka, misalnya 2026")
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
        bad("tanggal", "tanggal dengan format TTTT-BB-HH, misalnya 2026-03-31")
    elif year is not None and date.year != year:
        bad("tanggal", f"tanggal {date.isoformat()} tidak berada di tahun anggaran {year}")
    quantity = None
    if not VOLUME.fullmatch(v["volume"]):
        bad("volume", "angka dengan koma desimal, misalnya 12 atau 2,5 (tanpa pemisah ribuan)")
    else:
        try:
            quantity = Decimal(v["volume"].replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
            bad("volume", "bukan angka")
        if quantity is not None and quantity <= 0:
            bad("volume", "harus lebih dari nol")
            quantity = None
    unit_price = _rupiah(v["harga_satuan"], "harga_satuan", bad)
    amount = None
    if quantity is not None and unit_price is not None:
        exact = quantity * unit_price
        if exact != exact.to_integral_value():
            bad("volume", "volume × harga_satuan harus rupiah bulat")
        else:
            amount = int(exact)
            if v.get("jumlah"):
                given = _rupiah(v["jumlah"], "jumlah", bad)
                if given is not None and given != amount:
                    bad("jumlah", f"tidak sama dengan volume × harga_satuan ({amount})")
    supplier = v["penyedia"]
    if kind == "realisasi" and not supplier:
        bad("penyedia", "wajib diisi untuk realisasi")
    elif len(supplier) > TEXT_LIMITS["penyedia"]:
        bad("penyedia", f"paling banyak {TEXT_LIMITS['penyedia']} karakter")
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
        bad(field, "rupiah bulat tanpa desimal, misalnya 1500000 atau 1.500.000")
        return None
    amount = int(text.replace(".", ""))
    if amount <= 0 or amount >= MAX_RUPIAH:
        bad(field, "harus lebih dari nol dan kurang dari Rp1.000 triliun")
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
