"""The OAuth 2.0 token endpoint (client credentials) and the agency administrator's webhook page."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.views import TokenView

from pamong.core.ratelimit import client_ip, hit


@method_decorator(csrf_exempt, name="dispatch")
class ClientTokenView(TokenView):
    """POST /oauth/token/ with grant_type=client_credentials and the client's id and secret (HTTP Basic, or
    in the form body). Token requests are limited per IP address (guessing a secret): 429 in the one error
    shape."""

    def post(self, request: HttpRequest, *args, **kwargs):
        if not hit("client_token", f"ip:{client_ip(request)}"):
            response = JsonResponse(
                {
                    "code": "too_many_requests",
                    "message": "Terlalu banyak permintaan. Tunggu sebentar, lalu coba lagi.",
                },
                status=429,
            )
            response["Retry-After"] = "60"
            return response
        return super().post(request, *args, **kwargs)
