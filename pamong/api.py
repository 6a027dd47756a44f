"""The JSON API (django-ninja): OpenAPI 3 at /api/openapi.json, interactive docs at /api/docs.

One error shape for every failure (CONVENTIONS §9): {"code": "...", "message": "...", "details": ...}.
"""

from __future__ import annotations

import logging

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from pamong.accounts.api import router as me_router
from pamong.assistant.api import router as assistant_router
from pamong.audit.api import router as audit_router
from pamong.cases.api import citizen_router as applications_router
from pamong.cases.api import staff_router
from pamong.catalog.api import router as catalog_router
from pamong.clients.api import integrations_router, webhooks_router
from pamong.complaints.api import client_router as complaints_client_router
from pamong.complaints.api import router as complaints_router
from pamong.core.apiedge import StrictParser, body_limit, unsupported
from pamong.core.errors import ApplicationError
from pamong.core.ratelimit import RateThrottle
from pamong.core.schemas import ErrorOut
from pamong.core.views import database_unavailable
from pamong.oversight.api import public_router as algorithms_router
from pamong.oversight.api import router as oversight_router
from pamong.privacy.api import router as privacy_router
from pamong.staffing.api import router as staffing_router


class PamongAPI(NinjaAPI):
    """Declares the error answers every operation can give, so the published schema tells the whole truth:
    422 for input that does not validate, 401 where a login is needed, 413 and 415 where a body is taken (all in
    the one error shape)."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation["responses"]
                declared = {str(code) for code in responses}
                if "422" not in declared:
                    responses[422] = {"description": "Unprocessable Content", **error}
                if operation.get("security") and "401" not in declared:
                    responses[401] = {"description": "Unauthorized", **error}
                if "429" not in declared:  # rate limits (pamong.core.ratelimit, docs/security.md)
                    responses[429] = {"description": "Too Many Requests", **error}
                if operation.get("requestBody"):  # the strict edge (pamong.core.apiedge)
                    responses.setdefault(413, {"description": "Content Too Large", **error})
                    responses.setdefault(415, {"description": "Unsupported Media Type", **error})
        schema["components"].setdefault("schemas", {})["ErrorOut"] = ErrorOut.model_json_schema()
        return schema


api = PamongAPI(
    title="Pamong API",
    version="1",
    description=(
        "API terbuka Pamong: katalog layanan, permohonan, keputusan, dan log audit.\n\n"
        "Pamong open API: service catalog, applications, decisions and the audit log. "
        'Every error has the shape {"code", "message", "details"}.'
    ),
    urls_namespace="api",
    parser=StrictParser(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _error(request: HttpRequest, status: int, code: str, message: str, details=None) -> HttpResponse:
    body = {"code": code, "message": message}
    if details is not None:
        body["details"] = details
    return api.create_response(request, body, status=status)


@api.exception_handler(ApplicationError)
def on_application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return _error(request, exc.status, exc.code, str(exc.message), exc.details)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    details = [
        {"field": ".".join(str(p) for p in e.get("loc", [])), "message": e.get("msg")} for e in exc.errors
    ]
    return _error(
        request, 422, "invalid_input", _("The data sent is not valid. Check the fields named."), details
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", _("Not found."))


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthenticated", _("Please sign in first."))


@api.exception_handler(Throttled)
def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    response = _error(
        request, 429, "too_many_requests", _("Too many requests. Wait a moment, then try again.")
    )
    if exc.wait:
        response["Retry-After"] = str(int(exc.wait))
    return response


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, ApplicationError):  # the strict body parser's answer, wrapped by ninja
        return on_application_error(request, exc.__cause__)
    return _error(request, exc.status_code, "http_error", str(exc))


@api.exception_handler(RawPostDataException)
def on_form_body_at_json_operation(request: HttpRequest, exc: RawPostDataException) -> HttpResponse:
    # A form body was parsed (for the CSRF check) before a JSON operation asked for the raw body.
    error = unsupported(request.content_type or "", "application/json")
    return on_application_error(request, error)


@api.exception_handler(MultiPartParserError)
def on_malformed_form_body(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    return _error(
        request,
        400,
        "malformed_body",
        _("The multipart request body cannot be read; check the boundary and its parts."),
    )


@api.exception_handler(SuspiciousOperation)
def on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    if isinstance(exc, RequestDataTooBig):
        limit = body_limit(request)
        return _error(
            request,
            413,
            "body_too_large",
            _("The request body is too large; at most %(kb)s KB.") % {"kb": limit // 1024},
        )
    return _error(
        request, 400, "bad_request", _("The request cannot be read. Check its content and try again.")
    )


logger = logging.getLogger("pamong.api")


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Never a traceback to the client, whatever the settings (DEBUG included): the log has it. A database that
    cannot be reached is a passing condition: 503 with Retry-After (pamong.core.views.database_unavailable)."""
    if isinstance(exc, OperationalError | InterfaceError):
        logger.warning("database unavailable in %s %s: %s", request.method, request.path, exc)
        return database_unavailable(request)
    logger.exception("unexpected error in %s %s", request.method, request.path)
    return _error(
        request,
        500,
        "internal_error",
        _("Something went wrong on the server. Try again later; we have recorded it."),
    )


# Rate limits: public reads per IP address; applying (POST /api/v1/applications) per account.
api.add_router("/v1/services", catalog_router, throttle=RateThrottle("public", per="ip"))
api.add_router("/v1/audit", audit_router, throttle=RateThrottle("public", per="ip"))
api.add_router(
    "/v1/applications",
    applications_router,
    throttle=RateThrottle("apply", methods=("POST",), paths=("/api/v1/applications",)),
)
api.add_router("/v1/staff", staff_router)
api.add_router("/v1/me", me_router)
api.add_router("/v1/me", privacy_router)
api.add_router("/v1/oversight", oversight_router)
api.add_router("/v1/algorithms", algorithms_router, throttle=RateThrottle("public", per="ip"))
# Other systems (pamong.clients): bearer tokens of machine clients, each limited per client; webhook subscribers.
api.add_router("/v1/integrations", integrations_router)
api.add_router("/v1/webhooks", webhooks_router)
# The assistant (pamong.assistant): public questions per IP address; the gateway webhook is signed.
api.add_router("/v1/assistant", assistant_router, throttle=RateThrottle("public", per="ip"))
# Staff acknowledge an urgent notice by answering it (pamong.staffing): the gateway's webhook, signed.
api.add_router("/v1/staffing", staffing_router)
# Complaints (pamong.complaints): citizens signed in; machine clients with the scope complaints:submit beside the
# other integrations. Limited by pamong.complaints.auth.ComplaintsThrottle (a client's rate, a citizen's "apply").
api.add_router("/v1/complaints", complaints_router)
api.add_router("/v1/integrations/complaints", complaints_client_router)
