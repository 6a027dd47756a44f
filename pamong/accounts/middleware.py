"""Until the second factor matched in this session, a signed-in person who needs one is not signed in yet:
pages send them to the second step (or to TOTP enrolment), the API treats them as anonymous (401 where a login
is needed). Staff sessions also end after PAMONG_STAFF_IDLE_SECONDS without a request (docs/security.md)."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

from . import roles, twofactor
from .models import TOTPDevice

VERIFY_URL = "/masuk/verifikasi/"
ENROL_URL = "/masuk/autentikator/"
# Reachable before the second step: the step itself, signing out, the language switch, static files.
OPEN_PREFIXES = ("/masuk/", "/keluar/", "/i18n/", settings.STATIC_URL, "/oidc/")


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return self.get_response(request)
        kind = twofactor.second_factor_kind(user)
        if kind is not None and not twofactor.is_verified(request):
            if request.path.startswith("/api/"):
                request.user = AnonymousUser()  # the API sees no session: 401 where a login is needed
                return self.get_response(request)
            if not request.path.startswith(OPEN_PREFIXES):
                return HttpResponseRedirect(self._second_step_url(request, user, kind))
            return self.get_response(request)
        if roles.is_staff_member(user) and self._idle_too_long(request):
            logout(request)
            messages.info(request, _("You were signed out after a period without activity. Sign in again."))
            return HttpResponseRedirect(
                f"{settings.LOGIN_URL}?{urlencode({'next': request.get_full_path()})}"
            )
        return self.get_response(request)

    @staticmethod
    def _second_step_url(request: HttpRequest, user, kind: str) -> str:
        if request.method == "GET":
            request.session[twofactor.SESSION_NEXT] = request.get_full_path()
        if kind == twofactor.TOTP and not _has_confirmed_device(user):
            return ENROL_URL
        return VERIFY_URL

    @staticmethod
    def _idle_too_long(request: HttpRequest) -> bool:
        now = int(time.time())
        seen = request.session.get(twofactor.SESSION_SEEN)
        if seen is not None and now - int(seen) > settings.PAMONG_STAFF_IDLE_SECONDS:
            return True
        if seen is None or now - int(seen) >= 60:  # write the session at most once a minute
            request.session[twofactor.SESSION_SEEN] = now
        return False


def _has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()
