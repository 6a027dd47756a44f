"""The well-known address of the audit log's signing key: verifiers pin it instead of trusting a receipt's own."""

from django.http import HttpRequest, JsonResponse

from .selectors import published_key


def well_known_key(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(published_key())
    response["Cache-Control"] = "public, max-age=3600"
    return response
