"""One error contract (CONVENTIONS §9): every domain error carries a stable code and a message saying what to do.

The API renders them as {"code": ..., "message": ..., "details": ...} with the error's HTTP status.

Translated at the edge (docs/ARCHITECTURE.md, ADR 51): an error may carry its English source text, marked with
`gettext_noop` so the catalogues hold it, and its parameters; `message` translates it when it is read, in the
language of the request that reads it. Django installs the translator (`install_translator`, from
`pamong.core.apps`); this module imports no Django, so the pure kernels raise these errors too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

# The translator Django installs; until then (pure tests, tools) the English source text is shown.
_translator: dict[str, Callable[..., str]] = {
    "gettext": lambda text: text,
    "language": lambda: "en",
    "number": lambda value, places: f"{value:,.{places}f}",
}


def gettext_noop(text: str) -> str:
    """Marks English source text for the catalogue (makemessages knows this name); it is translated when read."""
    return text


def install_translator(
    *,
    gettext: Callable[[str], str],
    language: Callable[[], str],
    number: Callable[[Any, int], str] | None = None,
) -> None:
    """`number(value, places)` writes a number the current language's way (42,0 / 42.0), rounded half up."""
    _translator["gettext"], _translator["language"] = gettext, language
    if number is not None:
        _translator["number"] = number


def translate(text: str, params: Mapping[str, Any] | None = None) -> str:
    """`text` in the current language, with `params` filled in (%(name)s); text without a catalogue entry (an
    already translated message, a registry's own words) comes back unchanged. A parameter that is itself a
    `Text` (or its stored dict) is translated too."""
    translated = _translator["gettext"](text) if text else text
    return translated % {name: words(value) for name, value in params.items()} if params else translated


class Text:
    """A message kept in its English source and parameters, translated each time it is read (`str()`): for
    texts that are stored (a case record's problems) or made where no request is active (a pure kernel)."""

    __slots__ = ("params", "text")

    def __init__(self, text: str, params: Mapping[str, Any] | None = None) -> None:
        self.text, self.params = text, dict(params) if params else None

    def __str__(self) -> str:
        return translate(self.text, self.params)

    def __repr__(self) -> str:
        return f"Text({self.text!r}, {self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and (self.text, self.params) == (other.text, other.params)

    def __hash__(self) -> int:
        return hash(self.text)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: {"text": source, "params": {...}}, nested Texts as dicts too; `words` reads it back."""
        params = {
            k: v.as_dict() if isinstance(v, Text | Number) else v for k, v in (self.params or {}).items()
        }
        return {"text": self.text, "params": params} if params else {"text": self.text}


class Number:
    """A number kept as its value and written the reader's way each time it is read: 42,0% and Rp1.250.000 in
    Bahasa Indonesia, 42.0% and Rp1,250,000 in English. A parameter of a `Text`; stored as
    {"number": value, "places": n, "style": "" | "percent" | "rupiah"} (a percent's value is a share 0..1)."""

    __slots__ = ("places", "style", "value")

    def __init__(self, value: float | int, places: int = 0, style: str = "") -> None:
        self.value, self.places, self.style = value, places, style

    @classmethod
    def percent(cls, share: float, places: int = 1) -> Number:
        return cls(share, places, "percent")

    @classmethod
    def rupiah(cls, amount: float | int) -> Number:
        return cls(round(amount), 0, "rupiah")

    def __str__(self) -> str:
        return format_number(self.value, self.places, self.style)

    def __repr__(self) -> str:
        return f"Number({self.value!r}, {self.places!r}, {self.style!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Number) and self.as_dict() == other.as_dict()

    def __hash__(self) -> int:
        return hash(self.value)

    def as_dict(self) -> dict[str, Any]:
        return {"number": self.value, "places": self.places, "style": self.style}


def format_number(value: Any, places: int = 0, style: str = "") -> str:
    """`value` in the current language's way with `places` decimals; style "percent" (a share 0..1: 42,0%) or
    "rupiah" (Rp1.250.000)."""
    if style == "percent":
        return _translator["number"](value * 100, places) + "%"
    written = _translator["number"](value, places)
    return "Rp" + written if style == "rupiah" else written


def words(value: Any) -> Any:
    """A message in the current language, whatever form it was kept in: a `Text`, its stored dict, or a plain
    string written before (an old record's words, shown as they are). Other values come back unchanged."""
    if isinstance(value, Text | Number):
        return str(value)
    if isinstance(value, Mapping) and isinstance(value.get("number"), int | float):
        return format_number(value["number"], value.get("places") or 0, value.get("style") or "")
    if isinstance(value, Mapping) and isinstance(value.get("text"), str):
        return translate(value["text"], value.get("params") or None)
    return value


def stored(value: Any) -> Any:
    """The JSON-ready form of a message (a `Text` or `Number` becomes its dict; anything else is kept)."""
    return value.as_dict() if isinstance(value, Text | Number) else value


def current_language() -> str:
    return _translator["language"]()


class ApplicationError(Exception):
    code = "error"
    status = 400

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        details: Any = None,
        status: int | None = None,
        params: Mapping[str, Any] | None = None,
    ):
        super().__init__(message)
        self.text, self.params = message, params
        if code:
            self.code = code
        if status:
            self.status = status
        self.details = details

    @property
    def message(self) -> str:
        """The message in the language of whoever reads it now (translated at the edge)."""
        return translate(str(self.text), self.params)

    def __str__(self) -> str:
        return self.message

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": str(self.message)}
        if self.details is not None:
            body["details"] = self.details
        return body


class NotFound(ApplicationError):
    """Also used for "not yours": the caller cannot tell the two apart (CONVENTIONS §4)."""

    code = "not_found"
    status = 404


class PermissionDenied(ApplicationError):
    code = "permission_denied"
    status = 403


class ValidationFailed(ApplicationError):
    code = "validation_failed"
    status = 422


class Conflict(ApplicationError):
    code = "conflict"
    status = 409


class InvalidTransition(Conflict):
    code = "invalid_transition"
