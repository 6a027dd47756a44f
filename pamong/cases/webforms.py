"""The HTML side of a service's generated form: which widget each declared field gets, the values typed so far
and the messages to show beside them. Validation itself stays in `forms.clean_form` (one validator for every
channel); this module only reads a POST into the shape the services take and back."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pamong.core.formatting import page_rupiah, reader_date

from .forms import FormInvalid, clean_form

PREFIX = "f-"  # service field names ("statement", "nik") must not clash with the page's own inputs
MAX_RADIOS = 8
YES, NO = "ya", "tidak"
ATTRIBUTES = {  # type → (input type, inputmode, autocomplete)
    "text": ("text", "", ""),
    "integer": ("text", "numeric", ""),
    "money": ("text", "numeric", ""),
    "date": ("date", "", ""),
    "nik": ("text", "numeric", "off"),
    "phone": ("tel", "tel", "tel"),
    "email": ("email", "email", "email"),
}


@dataclass
class Widget:
    name: str
    input_name: str
    label: str
    help: str
    kind: str  # input | textarea | radios | select | checkbox | yesno
    required: bool
    value: str = ""
    error: str = ""
    input_type: str = "text"
    inputmode: str = ""
    autocomplete: str = ""
    choices: list[dict[str, str]] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.input_name

    @property
    def marked(self) -> bool:
        """Whether the pack's label already says "(opsional)", so the page does not say it twice."""
        return "(opsional)" in self.label.lower() or "(optional)" in self.label.lower()


def _localised(spec: dict[str, Any], key: str) -> str:
    if (get_language() or "id").startswith("en") and spec.get(f"{key}_en"):
        return str(spec[f"{key}_en"])
    return str(spec.get(key) or "")


def _kind(spec: dict[str, Any]) -> str:
    kind = spec.get("type", "text")
    if kind == "textarea":
        return "textarea"
    if kind == "choice":
        return "radios" if len(spec.get("choices", [])) <= MAX_RADIOS else "select"
    if kind == "boolean":
        return "yesno" if spec.get("required", True) else "checkbox"
    return "input"


def widgets(
    fields: list[dict[str, Any]], values: dict[str, str] | None = None, errors: dict[str, str] | None = None
) -> list[Widget]:
    values, errors = values or {}, errors or {}
    result = []
    for spec in fields:
        name = spec["name"]
        input_type, inputmode, autocomplete = ATTRIBUTES.get(spec.get("type", "text"), ("text", "", ""))
        choices = [
            {"value": str(c["value"]), "label": _localised(c, "label")} for c in spec.get("choices", [])
        ]
        if _kind(spec) == "yesno":
            choices = [{"value": YES, "label": _("Yes")}, {"value": NO, "label": _("No")}]
        result.append(
            Widget(
                name=name,
                input_name=PREFIX + name,
                label=_localised(spec, "label"),
                help=_localised(spec, "help"),
                kind=_kind(spec),
                required=bool(spec.get("required", True)),
                value=values.get(name, ""),
                error=errors.get(name, ""),
                input_type=input_type,
                inputmode=inputmode,
                autocomplete=autocomplete,
                choices=choices,
            )
        )
    return result


def submitted(fields: list[dict[str, Any]], post: QueryDict) -> tuple[dict[str, Any], dict[str, str]]:
    """(form data for the service, the raw strings to show again). A required yes/no left unanswered is
    passed as None; `unanswered` names those so the page can ask for them instead of reading "no"."""
    data: dict[str, Any] = {}
    raw: dict[str, str] = {}
    for spec in fields:
        name = spec["name"]
        value = post.get(PREFIX + name, "")
        raw[name] = value
        if spec.get("type") == "boolean" and not spec.get("required", True):
            data[name] = value == YES  # an unticked checkbox sends nothing: that is "no"
        else:
            data[name] = value if value != "" else None
    return data, raw


def unanswered(fields: list[dict[str, Any]], data: dict[str, Any]) -> dict[str, str]:
    """Required yes/no questions with no answer: forms.clean_form reads a missing boolean as "no", which is right
    for an API client that omits an optional flag but wrong for a person who skipped the question."""
    return {
        spec["name"]: _("%(label)s: choose yes or no.") % {"label": _localised(spec, "label")}
        for spec in fields
        if spec.get("type") == "boolean" and spec.get("required", True) and data.get(spec["name"]) is None
    }


def idempotency_key(post: QueryDict | None = None) -> str:
    """The key the form was rendered with, if it is one of ours; a fresh one otherwise."""
    sent = (post or {}).get("idempotency_key", "")
    try:
        return str(uuid.UUID(sent))
    except ValueError:
        return str(uuid.uuid4())


def field_errors(details: Any) -> dict[str, str]:
    """ValidationFailed details are {field: message} for form errors; anything else has no field."""
    if isinstance(details, dict):
        return {str(k): str(v) for k, v in details.items() if isinstance(v, str)}
    return {}


def check(fields: list[dict[str, Any]], data: dict[str, Any]) -> dict[str, str]:
    """Every message clean_form has for `data` (nothing is written): lets the page show all problems at once
    when it must stop before the service, e.g. for an unanswered yes/no question."""

    try:
        clean_form(fields, data, today=timezone.localdate())
    except FormInvalid as exc:
        return exc.errors
    return {}


def answers(fields: list[dict[str, Any]], form_data: dict[str, Any]) -> list[dict[str, str]]:
    """The citizen's answers as a person reads them: labels, Ya/Tidak, Rp1.250.000, 5 Januari 2026."""

    rows = []
    for spec in fields:
        name, kind = spec["name"], spec.get("type", "text")
        if name not in form_data:
            continue
        value = form_data[name]
        if kind == "boolean":
            shown = _("Yes") if value else _("No")
        elif kind == "money":
            shown = page_rupiah(value)
        elif kind == "date":
            shown = reader_date(dt.date.fromisoformat(value))
        elif kind == "choice":
            labels = {str(c["value"]): _localised(c, "label") for c in spec.get("choices", [])}
            shown = labels.get(str(value), str(value))
        else:
            shown = str(value)
        rows.append({"label": _localised(spec, "label"), "value": shown, "name": name})
    return rows
