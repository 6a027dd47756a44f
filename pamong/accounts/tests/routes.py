"""The permissions table of docs/security.md, and every route the site answers, for the tests to compare."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

ROLES = (
    "anonymous",
    "warga",
    "petugas_loket",
    "petugas",
    "supervisor",
    "analis",
    "auditor",
    "admin_instansi",
)
CELLS = {"✓": "allowed", "✗": "denied", "own": "own", "agency": "agency"}
SECURITY_DOC = Path(settings.BASE_DIR) / "docs" / "security.md"
ROUTE = re.compile(r"^`(GET|POST|PUT|PATCH|DELETE) (/\S*)`$")


def permission_table(path: Path = SECURITY_DOC) -> dict[tuple[str, str], dict[str, str]]:
    """{(method, route): {role: allowed | denied | own | agency}} from the Markdown table headed
    `| route | anonymous | warga | ... |`. A malformed row or an unknown cell is an error, not a skip."""
    rows: dict[tuple[str, str], dict[str, str]] = {}
    in_table = False
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|"):
            in_table = False
            continue
        if cells[0] == "route":
            assert tuple(cells[1:]) == ROLES, f"{path}:{number}: role columns must be {ROLES}"
            in_table = True
            continue
        if not in_table or set(cells[0]) <= {"-", ":"}:
            continue
        match = ROUTE.match(cells[0])
        assert match, f"{path}:{number}: route cell must be `METHOD /path`, got {cells[0]!r}"
        assert len(cells) == len(ROLES) + 1, f"{path}:{number}: {len(cells) - 1} role cells"
        unknown = [c for c in cells[1:] if c not in CELLS]
        assert not unknown, f"{path}:{number}: unknown cells {unknown}; use one of {list(CELLS)}"
        key = (match[1], match[2])
        assert key not in rows, f"{path}:{number}: {key} twice"
        rows[key] = {role: CELLS[cell] for role, cell in zip(ROLES, cells[1:], strict=True)}
    return rows


def _normalise(pattern: str) -> str:
    # Django converters <str:application_id> → <application_id>; the API's {application_id} stays as it is.
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", pattern)


def web_routes() -> set[str]:
    """Every URL pattern of the site, except the API's operations (they come from the OpenAPI document) and
    the Django admin's internals (its index /admin/ stays)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found: set[str] = set()

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            text = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, text)
            elif isinstance(pattern, URLPattern):
                if text.startswith("admin/") and text != "admin/":
                    continue
                if text.startswith("api/v1/"):
                    continue
                found.add(_normalise(text))

    walk(get_resolver().url_patterns, "")
    return found


def api_routes() -> set[tuple[str, str]]:
    from pamong.api import api

    return {
        (method.upper(), path)
        for path, operations in api.get_openapi_schema()["paths"].items()
        for method in operations
    }
