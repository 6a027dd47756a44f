"""One error contract (CONVENTIONS §9): every domain error carries a stable code and a message saying what to do.

The API renders them as {"code": ..., "message": ..., "details": ...} with the error's HTTP status.
"""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    code = "error"
    status = 400

    def __init__(
        self, message: str, *, code: str | None = None, details: Any = None, status: int | None = None
    ):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status
        self.details = details

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
