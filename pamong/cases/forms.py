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

`source` says where `data` came from: "json" (typed JSON values) or "form" (strings from a page). Each problem is a
`Problem`: a stable code, English source text (marked for the catalogue) naming the field and saying what to do,
and its parameters; it is translated when read, in the language of the page or API request (ADR 51), with the
field's English label where the pack has one. Pure module (no Django import).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from pamong.core.errors import Number, current_language, gettext_noop, translate

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


@dataclass(frozen=True)
class Problem:
    """One field's problem: a stable `code`, English source `text` with %(name)s parameters, and `params`.
    str() gives it in the current language, naming the field by its label in that language."""

    code: str
    text: str
    params: Mapping[str, Any] = field(default_factory=dict)
    label: str = ""
    label_en: str = ""

    def __str__(self) -> str:
        label = self.label_en if self.label_en and current_language().startswith("en") else self.label
        return translate(self.text, {**self.params, "label": label, "label_lower": label.lower()})


class FieldInvalid(ValueError):
    """A value refused under its field's contract; `problem` says why."""

    def __init__(self, problem: Problem):
        super().__init__(problem.text)
        self.problem = problem

    def __str__(self) -> str:
        return str(self.problem)


def _fail(code: str, text: str, label: str = "", **params: Any) -> FieldInvalid:
    return FieldInvalid(Problem(code, text, params, label=label))


class FormInvalid(Exception):
    def __init__(self, problems: dict[str, Problem]):
        super().__init__("; ".join(f"{name}: {problem.code}" for name, problem in problems.items()))
        self.problems = problems

    @property
    def errors(self) -> dict[str, str]:
        """Each field's message, in the language of whoever reads it (the page or the API request)."""
        return {name: str(problem) for name, problem in self.problems.items()}

    @property
    def codes(self) -> dict[str, str]:
        return {name: problem.code for name, problem in self.problems.items()}


def clean_form(
    fields: list[dict[str, Any]],
    data: dict[str, Any],
    *,
    today: dt.date,
    check_nik: Callable[[str], None] | None = None,
    source: Source = "form",
) -> dict[str, Any]:
    """JSON-ready cleaned values for the declared fields only; raises FormInvalid with every problem.
    `check_nik` validates a well-formed NIK further (region, birth date) and raises FieldInvalid or ValueError."""
    if not isinstance(data, dict):
        raise FormInvalid(
            {"form": Problem("not_an_object", gettext_noop("Form data must be an object of answers."))}
        )
    cleaned: dict[str, Any] = {}
    errors: dict[str, Problem] = {}
    for spec in fields:
        name = spec["name"]
        raw = data.get(name)
        # An optional yes/no left out means "no"; a required one must be answered either way.
        optional_boolean = spec.get("type") == "boolean" and not spec.get("required", True)
        if _empty(raw):
            if optional_boolean:
                cleaned[name] = False
            elif spec.get("required", True):
                errors[name] = Problem(
                    "required",
                    gettext_noop("%(label)s is required."),
                    label=spec["label"],
                    label_en=_en(spec),
                )
            continue
        try:
            cleaned[name] = clean_value(spec, raw, today=today, source=source)
            if spec.get("type") == "nik" and check_nik is not None:
                check_nik(cleaned[name])
        except FieldInvalid as exc:
            errors[name] = exc.problem
        except ValueError as exc:  # a checker's own words, already in the reader's language
            errors[name] = Problem("invalid", "%(message)s", {"message": str(exc)})
    unknown = sorted(str(key) for key in set(data) - {spec["name"] for spec in fields})
    if unknown:
        errors["form"] = Problem(
            "unknown_fields", gettext_noop("Unknown fields: %(names)s."), {"names": ", ".join(unknown)}
        )
    if errors:
        raise FormInvalid(errors)
    return cleaned


def _en(spec: dict[str, Any]) -> str:
    return str(spec.get("label_en") or "")


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def clean_value(spec: dict[str, Any], raw: Any, *, today: dt.date, source: Source = "form") -> Any:
    """One field's value under its type's contract; raises FieldInvalid (a ValueError) naming the field."""
    try:
        return _clean_value(spec, raw, today=today, source=source)
    except FieldInvalid as exc:
        raise FieldInvalid(replace(exc.problem, label_en=_en(spec))) from None


def _clean_value(spec: dict[str, Any], raw: Any, *, today: dt.date, source: Source) -> Any:
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
            raise _fail(
                "invalid_choice", gettext_noop("Choose one of the %(label_lower)s options offered."), label
            )
        return text
    if kind == "nik":
        nik = re.sub(r"[ \t-]", "", text.strip())
        if not re.fullmatch(r"[0-9]{16}", nik, re.ASCII):
            raise _fail("nik_length", gettext_noop("%(label)s must be 16 digits."), label)
        return nik
    if kind == "phone":
        phone = re.sub(r"[ -]", "", text.strip())
        if not PHONE.fullmatch(phone):
            raise _fail(
                "phone_invalid",
                gettext_noop("%(label)s is not valid; write digits only, e.g. 081234567890."),
                label,
            )
        return phone
    if kind == "email":
        email = clean_text(text, label, limit=EMAIL_MAX, multiline=False)
        if not EMAIL.fullmatch(email):
            raise _fail(
                "email_invalid", gettext_noop("%(label)s is not valid; for example: nama@contoh.id."), label
            )
        return email
    raise _fail("unsupported_type", gettext_noop("Field type %(kind)s is not supported."), label, kind=kind)


def _string(raw: Any, label: str) -> str:
    if not isinstance(raw, str):
        raise _fail("not_text", gettext_noop("%(label)s must be text."), label)
    return raw


def clean_text(text: str, label: str, *, limit: int, multiline: bool = False) -> str:
    """NFC-normalised, trimmed text without NUL, control characters or lone surrogates, at most `limit` long."""
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    allowed = KEEP_IN_TEXTAREA if multiline else set()
    for char in text:
        category = unicodedata.category(char)
        if (category == "Cc" and char not in allowed) or category == "Cs":
            text = gettext_noop(
                "%(label)s contains control characters that are not accepted; write plain text."
            )
            raise _fail("control_characters", text, label)
    text = unicodedata.normalize("NFC", text).strip()
    if len(text) > limit:
        raise _fail(
            "too_long",
            gettext_noop("%(label)s is too long (at most %(limit)s characters)."),
            label,
            limit=limit,
        )
    return text


def clean_money(raw: Any, label: str, *, source: Source = "form") -> int:
    """Whole rupiah. JSON: an integer. Page: "2.000.000", "Rp2.000.000", "Rp 2.000.000" or "2000000"."""
    whole = _fail(
        "not_whole_rupiah",
        gettext_noop(
            "%(label)s must be whole rupiah without cents, e.g. 2.000.000 (no decimal comma or point)."
        ),
        label,
    )
    if isinstance(raw, (bool, float)):
        raise whole
    if isinstance(raw, int):
        return raw
    if source == "json" or not isinstance(raw, str):
        text = gettext_noop("%(label)s must be a whole number of rupiah (a JSON number), e.g. 2000000.")
        raise _fail("not_json_integer", text, label)
    match = MONEY_TEXT.fullmatch(raw.strip())
    if match is not None and len(match.group(1).replace(".", "")) > 15:
        raise _fail("too_large", gettext_noop("%(label)s is too large; check the number again."), label)
    if match is None:
        raise whole
    return int(match.group(1).replace(".", ""))


def _integer(raw: Any, label: str, source: Source) -> int:
    if isinstance(raw, (bool, float)):
        raise _fail("not_integer", gettext_noop("%(label)s must be a whole number."), label)
    if isinstance(raw, int):
        return raw
    if source == "json" or not isinstance(raw, str):
        text = gettext_noop("%(label)s must be a whole number (a JSON number), not text.")
        raise _fail("not_json_integer", text, label)
    text = raw.strip()
    if not INTEGER_TEXT.fullmatch(text):
        raise _fail(
            "not_integer", gettext_noop("%(label)s must be a whole number; write digits only."), label
        )
    if len(text.lstrip("-")) > 15:
        raise _fail("too_large", gettext_noop("%(label)s is too large; check the number again."), label)
    return int(text)


def _in_range(value: int, spec: dict[str, Any], label: str, *, money: bool) -> int:
    low = spec.get("min") if spec.get("min") is not None else (0 if money else -INTEGER_LIMIT)
    high = spec.get("max") if spec.get("max") is not None else INTEGER_LIMIT
    low, high = max(low, -INTEGER_LIMIT), min(high, INTEGER_LIMIT)
    shown = Number.rupiah if money else str
    if value < low:
        raise _fail("below_minimum", gettext_noop("%(label)s is at least %(low)s."), label, low=shown(low))
    if value > high:
        raise _fail("above_maximum", gettext_noop("%(label)s is at most %(high)s."), label, high=shown(high))
    return value


def _date(text: str, label: str) -> dt.date:
    text = text.strip()
    problem = _fail(
        "not_a_date", gettext_noop("%(label)s must be a date written YYYY-MM-DD, e.g. 2026-01-05."), label
    )
    if not ISO_DATE.fullmatch(text):
        raise problem
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise problem from None


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
        raise _fail(
            "too_early", gettext_noop("%(label)s is %(low)s at the earliest."), label, low=low.isoformat()
        )
    if value > high:
        if high == today:
            raise _fail("in_future", gettext_noop("%(label)s cannot be in the future."), label)
        raise _fail(
            "too_late", gettext_noop("%(label)s is %(high)s at the latest."), label, high=high.isoformat()
        )
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
    if source == "json":
        raise _fail("not_yes_no", gettext_noop("%(label)s: answer yes or no (true or false)."), label)
    raise _fail("not_yes_no", gettext_noop("%(label)s: answer yes or no."), label)
