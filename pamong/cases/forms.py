"""Validation of an application's form data against the service's form fields (from its service pack).

One validator for the web form, the counter and the API, so every channel accepts exactly the same input.
Messages are in Bahasa Indonesia and say what to do. Pure module (no Django import).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

TEXT_MAX = 500
TEXTAREA_MAX = 4000
PHONE = re.compile(r"^\+?[0-9]{8,15}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TRUE_WORDS = {"true", "1", "on", "ya", "yes"}
FALSE_WORDS = {"false", "0", "off", "tidak", "no", ""}


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
        if _empty(raw) and not optional_boolean:
            if spec.get("required", True):
                errors[name] = f"{spec['label']} wajib diisi."
            continue
        try:
            cleaned[name] = _clean_value(spec, raw, today)
            if spec.get("type") == "nik" and check_nik is not None:
                check_nik(cleaned[name])
        except ValueError as exc:
            errors[name] = str(exc)
    unknown = sorted(set(data) - {spec["name"] for spec in fields})
    if unknown:
        errors["form"] = f"Isian tidak dikenal: {', '.join(unknown)}."
    if errors:
        raise FormInvalid(errors)
    return cleaned


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _clean_value(spec: dict[str, Any], raw: Any, today: dt.date) -> Any:
    kind, label = spec["type"], spec["label"]
    if kind in {"text", "textarea"}:
        return _text(raw, label, TEXT_MAX if kind == "text" else TEXTAREA_MAX)
    if kind in {"integer", "money"}:
        return _number(raw, spec, label, money=kind == "money")
    if kind == "date":
        return _date(raw, label, today)
    if kind == "boolean":
        return _boolean(raw, label)
    if kind == "choice":
        values = [choice["value"] for choice in spec.get("choices", [])]
        if str(raw) not in values:
            raise ValueError(f"Pilih salah satu {label.lower()} yang tersedia.")
        return str(raw)
    if kind == "nik":
        nik = re.sub(r"\s", "", str(raw))
        if not re.fullmatch(r"[0-9]{16}", nik):
            raise ValueError(f"{label} harus 16 angka.")
        return nik
    if kind == "phone":
        phone = re.sub(r"[\s-]", "", str(raw))
        if not PHONE.match(phone):
            raise ValueError(f"{label} tidak valid; tulis angka saja, mis. 081234567890.")
        return phone
    if kind == "email":
        if not EMAIL.match(str(raw).strip()):
            raise ValueError(f"{label} tidak valid; contoh: nama@contoh.id.")
        return str(raw).strip()
    raise ValueError(f"Jenis isian {kind} tidak didukung.")


def _text(raw: Any, label: str, limit: int) -> str:
    text = str(raw).strip()
    if len(text) > limit:
        raise ValueError(f"{label} terlalu panjang (paling banyak {limit} karakter).")
    return text


def _number(raw: Any, spec: dict[str, Any], label: str, *, money: bool) -> int:
    if isinstance(raw, bool):
        raise ValueError(f"{label} harus berupa angka.")
    text = str(raw).strip()
    if money:  # people write amounts the Indonesian way: "Rp1.250.000"
        text = re.sub(r"^rp\.?\s*", "", text, flags=re.IGNORECASE).replace(".", "")
    if isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    if re.fullmatch(r"-?[0-9]{16,}", text):
        raise ValueError(f"{label} terlalu besar; periksa kembali angkanya.")
    if not re.fullmatch(r"-?[0-9]{1,15}", text):
        raise ValueError(f"{label} harus berupa angka bulat{', tanpa sen' if money else ''}.")
    value = int(text)
    if spec.get("min") is not None and value < spec["min"]:
        raise ValueError(f"{label} paling sedikit {spec['min']}.")
    if spec.get("max") is not None and value > spec["max"]:
        raise ValueError(f"{label} paling banyak {spec['max']}.")
    return value


def _date(raw: Any, label: str, today: dt.date) -> str:
    try:
        value = raw if isinstance(raw, dt.date) else dt.date.fromisoformat(str(raw).strip())
    except ValueError:
        raise ValueError(f"{label} harus tanggal dengan format TTTT-BB-HH, mis. 2026-01-05.") from None
    if value > today:
        raise ValueError(f"{label} tidak boleh di masa depan.")
    return value.isoformat()


def _boolean(raw: Any, label: str) -> bool:
    if isinstance(raw, bool):
        return raw
    word = "" if raw is None else str(raw).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"{label}: jawab ya atau tidak.")
