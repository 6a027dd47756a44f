"""Check API responses against the served OpenAPI document (used by every module's API tests)."""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import Draft202012Validator


@cache
def openapi_document() -> dict[str, Any]:
    from django.test import Client

    # The document exactly as served (JSON keys are strings, as a client sees them).
    return Client().get("/api/openapi.json").json()


def assert_matches_schema(path_template: str, method: str, status: int, body: Any) -> None:
    """Validate `body` against the schema declared for (path, method, status); fail if none is declared."""
    document = openapi_document()
    operation = document["paths"][path_template][method.lower()]
    content = operation["responses"][str(status)]["content"]["application/json"]
    schema = {**content["schema"], "components": document.get("components", {})}
    errors = sorted(Draft202012Validator(schema).iter_errors(body), key=str)
    assert not errors, f"{method} {path_template} {status} breaks the schema: {errors[0].message}"
