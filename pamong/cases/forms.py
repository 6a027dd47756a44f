"""Validation of an application's form data against the service's form fields (from its service pack).

One strict contract per field type, for the web form, the counter and the API alike, so every channel accepts
exactly the same values and a number always means what the citizen meant:

- money: whole rupiah. From a JSON client a JSON integer; from a page the Indonesian way of writing it
  ("2.000.000", "Rp2.000.000", "Rp 2.000.000", "2000000"). Cents, a decimal separator, stray or misplaced dots,
  letters are refused, never "repaired" (removing a dot from 1234.56 would multiply it by a hundred).
- integer: a JSON integer, or digits on a page; within the field's declared range.
- text: a string (not an object, a number or a boolean), Unicode-normalised (NFC), no NUL or other control
  characters (a textarea keeps line breaks and tabs), within its length.
- date: an ISO calendar date YYYY-MM-DD (no week dates, no ordinal dates, no compact forms), within the
  field's declared range (by default 1900-01-01 up to today).
- boolean: a JSON boolean; on a page ya/tidak (or the browser's on/true/false).

`source` says where `data` came from: "json" (typed JSON values) or "form" (strings from a page). Messages are in
Bahasa Indonesia, name the field and say what to do. Pure module (no Django import).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from typing import Any, Literal

TEXT_MAX = 500
TEXTAREA_MAX = 4000
CHOICE_MAX = 200
EMAIL_MAX = 254
INTEGER_LIMIT = 10**15 - 1  # no field may go beyond 15 digits, whatever a pack declares
DEFAULT_EARLIEST = dt.date(1900, 1, 1)
PHONE = re.compile(r"\+?[0-9]{8,15}", re.ASCII)
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
# Whole rupiah as people write it: optional "Rp" (and one space), then plain digits or groups of three
# separated by dots. No leading zeros, so "0.500" is not read as five hundred.
MONEY_TEXT = re.compile(r"(?:rp ?)?(0|[1-9][0-9]*|[1-9][0-9]{0,2}(?:\.[0-9]{3})+)", re.ASCII | re.IGNORECASE)
INTEGER_TEXT = re.compile(r"0|-?[1-9][0-9]*", re.ASCII)
TRUE_WORDS = {"true", "1", "on", "ya", "yes"}
FALSE_WORDS = {"false", "0", "off", "tidak", "no"}
KEEP_IN_TEXTAREA = {"\n", "\t"}

Source = Literal["form", "json"]


class FormInvalid(Exception):
    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = errors


def clean_form(
    fields: list[dict[str, Any]],
    data: dict[str, Any],
    *,
    today: dt.date,
    check_nik: Callable[[str], None] | None = None,
    source: Source = "form",
) -> dict[str, Any]:
    """JSON-ready cleaned values for the declared fields only; raises FormInvalid with every problem.
    `check_nik` validates a well-formed NIK further (region, birth date) and raises ValueError(message)."""
    if not isinstance(data, dict):
        raise FormInvalid({"form": "Data formulir harus berupa objek berisi isian."})
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for spec in fields:
        name = spec["name"]
        raw = data.get(name)
        # An optional yes/no left out means "no"; a required one must be answered either way.
        optional_boolean = spec.get("type") == "boolean" and not spec.get("required", True)
        if _empty(raw):
            if optional_boolean:
                cleaned[name] = False
            elif spec.get("required", True):
                errors[name] = f"{spec['label']} wajib diisi."
            continue
        try:
            cleaned[name] = clean_value(spec, raw, today=today, source=source)
            if spec.get("type") == "nik" and check_nik is not None:
                check_nik(cleaned[name])
        except ValueError as exc:
            errors[name] = str(exc)
    unknown = sorted(str(key) for key in set(data) - {spec["name"] for spec in fields})
    if unknown:
        errors["form"] = f"Isian tidak dikenal: {', '.join(unknown)}."
    if errors:
        raise FormInvalid(errors)
    return cleaned


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def clean_value(spec: dict[str, Any], raw: Any, *, today: dt.date, source: Source = "form") -> Any:
    """One field's value under its type's contract; raises ValueError with a message naming the field."""
    kind, label = spec["type"], spec["label"]
    if kind in {"integer", "money"}:
        value = clean_money(raw, label, source=source) if kind == "money" else _integer(raw, label, source)
        return _in_range(value, spec, label, money=kind == "money")
    if kind == "boolean":
        return _boolean(raw, label, source)
    if type(raw) is dt.date and kind == "date":  # a caller inside Pamong may hand over a date
        return _date_in_range(raw, spec, label, today)
    text = _string(raw, label)
    if kind in {"text", "textarea"}:
        limit = spec.get("max_length") or (TEXT_MAX if kind == "text" else TEXTAREA_MAX)
        return clean_text(text, label, limit=limit, multiline=kind == "textarea")
    if kind == "date":
        return _date_in_range(_date(text, label), spec, label, today)
    if kind == "choice":
        values = [str(choice["value"]) for choice in spec.get("choices", [])]
        if text not in values:
            raise ValueError(f"Pilih salah satu {label.lower()} yang tersedia.")
        return text
    if kind == "nik":
        nik = re.sub(r"[ \t-]", "", text.strip())
        if not re.fullmatch(r"[0-9]{16}", nik, re.ASCII):
            raise ValueError(f"{label} harus 16 angka.")
        return nik
    if kind == "phone":
        phone = re.sub(r"[ -]", "", text.strip())
        if not PHONE.fullmatch(phone):
            raise ValueError(f"{label} tidak valid; tulis angka saja, mis. 081234567890.")
        return phone
    if kind == "email":
        email = clean_text(text, label, limit=EMAIL_MAX, multiline=False)
        if not EMAIL.fullmatch(email):
            raise ValueError(f"{label} tidak valid; contoh: nama@contoh.id.")
        return email
    raise ValueError(f"Jenis isian {kind} tidak didukung.")


def _string(raw: Any, label: str) -> str:
    if not isinstance(raw, str):
        raise ValueError(f"{label} harus berupa teks.")
    return raw


def clean_text(text: str, label: str, *, limit: int, multiline: bool = False) -> str:
    """NFC-normalised, trimmed text without NUL, control characters or lone surrogates, at most `limit` long."""
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    allowed = KEEP_IN_TEXTAREA if multiline else set()
    for char in text:
        category = unicodedata.category(char)
        if (category == "Cc" and char not in allowed) or category == "Cs":
            raise ValueError(f"{label} berisi karakter kendali yang tidak diterima; tulis teks biasa.")
    text = unicodedata.normalize("NFC", text).strip()
    if len(text) > limit:
        raise ValueError(f"{label} terlalu panjang (paling banyak {limit} karakter).")
    return text


def clean_money(raw: Any, label: str, *, source: Source = "form") -> int:
    """Whole rupiah. JSON: an integer. Page: "2.000.000", "Rp2.000.000", "Rp 2.000.000" or "2000000"."""
    whole = f"{label} harus jumlah rupiah bulat tanpa sen, mis. 2.000.000 (tanpa koma atau titik desimal)."
    if isinstance(raw, (bool, float)):
        raise ValueError(whole)
    if isinstance(raw, int):
        return raw
    if source == "json" or not isinstance(raw, str):
        raise ValueError(f"{label} harus bilangan bulat rupiah (angka JSON), mis. 2000000.")
    match = MONEY_TEXT.fullmatch(raw.strip())
    if match is not None and len(match.group(1).replace(".", "")) > 15:
        raise ValueError(f"{label} terlalu besar; periksa kembali angkanya.")
    if match is None:
        raise ValueError(whole)
    return int(match.group(1).replace(".", ""))


def _integer(raw: Any, label: str, source: Source) -> int:
    if isinstance(raw, (bool, float)):
        raise ValueError(f"{label} harus bilangan bulat.")
    if isinstance(raw, int):
        return raw
    if source == "json" or not isinstance(raw, str):
        raise ValueError(f"{label} harus bilangan bulat (angka JSON), bukan teks.")
    text = raw.strip()
    if not INTEGER_TEXT.fullmatch(text):
        raise ValueError(f"{label} harus bilangan bulat, tulis angka saja.")
    if len(text.lstrip("-")) > 15:
        raise ValueError(f"{label} terlalu besar; periksa kembali angkanya.")
    return int(text)


def _in_range(value: int, spec: dict[str, Any], label: str, *, money: bool) -> int:
    low = spec.get("min") if spec.get("min") is not None else (0 if money else -INTEGER_LIMIT)
    high = spec.get("max") if spec.get("max") is not None else INTEGER_LIMIT
    low, high = max(low, -INTEGER_LIMIT), min(high, INTEGER_LIMIT)
    shown = _rupiah if money else str
    if value < low:
        raise ValueError(f"{label} paling sedikit {shown(low)}.")
    if value > high:
        raise ValueError(f"{label} paling banyak {shown(high)}.")
    return value


def _rupiah(value: int) -> str:
    return "Rp" + f"{value:,}".replace(",", ".")


def _date(text: str, label: str) -> dt.date:
    text = text.strip()
    message = f"{label} harus tanggal dengan format TTTT-BB-HH, mis. 2026-01-05."
    if not ISO_DATE.fullmatch(text):
        raise ValueError(message)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(message) from None


def date_bounds(spec: dict[str, Any], today: dt.date) -> tuple[dt.date, dt.date]:
    """The field's declared range: `earliest` (ISO date) and `latest` (ISO date or "today")."""
    earliest = spec.get("earliest")
    latest = spec.get("latest", "today")
    low = dt.date.fromisoformat(str(earliest)) if earliest else DEFAULT_EARLIEST
    high = today if latest in (None, "today") else min(dt.date.fromisoformat(str(latest)), dt.date.max)
    return low, high


def _date_in_range(value: dt.date, spec: dict[str, Any], label: str, today: dt.date) -> str:
    low, high = date_bounds(spec, today)
    if value < low:
        raise ValueError(f"{label} paling awal {low.isoformat()}.")
    if value > high:
        if high == today:
            raise ValueError(f"{label} tidak boleh di masa depan.")
        raise ValueError(f"{label} paling akhir {high.isoformat()}.")
    return value.isoformat()


def _boolean(raw: Any, label: str, source: Source) -> bool:
    if isinstance(raw, bool):
        return raw
    if source == "form" and isinstance(raw, str):
        word = raw.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    raise ValueError(f"{label}: jawab ya atau tidak" + (" (true atau false)." if source == "json" else "."))
