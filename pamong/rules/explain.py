"""Explanation templates: Bahasa Indonesia sentences with {placeholders} naming facts, derived values or scores."""

from __future__ import annotations

import string
from collections.abc import Mapping

from pamong.rules.errors import RuleError
from pamong.rules.formatting import format_value

Template = tuple[tuple[str, str | None], ...]  # (literal text, placeholder name or None)


def parse_template(text: str, known: Mapping[str, str]) -> Template:
    """Split ``text`` into literal parts and placeholder names; every name must be in ``known``."""
    try:
        pieces = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise RuleError(
            "invalid placeholder in explanation: %(error)s (write {{ and }} for literal braces)",
            params={"error": str(exc)},
        ) from None
    parts: list[tuple[str, str | None]] = []
    for literal, name, spec, conversion in pieces:
        if name is not None and (spec or conversion):
            raise RuleError(
                "placeholder '{%(name)s}' may not have a format; values are formatted automatically",
                params={"name": name},
            )
        if name is not None and name not in known:
            listing = ", ".join(sorted(known))
            raise RuleError(
                "unknown placeholder '{%(name)s}' in explanation (known: %(known)s)",
                params={"name": name, "known": listing},
            )
        parts.append((literal, name))
    return tuple(parts)


def render(template: Template, values: Mapping[str, object], types: Mapping[str, str]) -> str:
    return "".join(
        literal + (format_value(values.get(name), types[name]) if name is not None else "")
        for literal, name in template
    )


def template_text(template: Template) -> str:
    """Back to text, for the canonical form (the same for any spelling of the same template)."""
    escape = str.maketrans({"{": "{{", "}": "}}"})
    return "".join(lit.translate(escape) + (f"{{{name}}}" if name else "") for lit, name in template)
