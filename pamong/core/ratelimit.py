"""Rate limits in a fixed window on the cache (per process memory by default, Redis when PAMONG_REDIS_URL), for
the web forms and the JSON API. Rates are "count/period" with period s, m, h or d (settings.PAMONG_RATE_LIMITS).

Sign-in is limited by django-axes (lockout per username and address); this covers applying and public reads.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.throttling import BaseThrottle

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    count, _, period = rate.partition("/")
    return int(count), PERIODS[period.strip()[0]]


def hit(bucket: str, ident: str, *, rate: str | None = None) -> bool:
    """Count one request of `ident` in `bucket`; False once the limit of the current window is passed. `rate`
    replaces the bucket's rate for this ident (e.g. a machine client's own limit)."""
    limit, seconds = parse_rate(rate or settings.PAMONG_RATE_LIMITS[bucket])
    window = int(time.time() // seconds)
    key = f"rl:{bucket}:{ident}:{window}"
    cache.add(key, 0, timeout=seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds + 1)
        count = 1
    return count <= limit


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the proxy's X-Forwarded-For entry when PAMONG_PROXY_COUNT is set."""
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", None) or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        addresses = [a.strip() for a in forwarded.split(",")]
        return addresses[-min(proxies, len(addresses))]
    return request.META.get("REMOTE_ADDR", "")


def ident_for(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_ip(request)}"


class RateThrottle(BaseThrottle):
    """django-ninja throttle on the same counters; `methods` and `paths` limit which requests count (e.g. only
    POST /api/v1/applications on the applications router)."""

    def __init__(
        self,
        bucket: str,
        *,
        per: str = "client",
        methods: tuple[str, ...] | None = None,
        paths: tuple[str, ...] | None = None,
    ):
        self.bucket = bucket
        self.per = per
        self.methods = methods
        self.paths = paths

    def allow_request(self, request: HttpRequest) -> bool:
        if self.methods and request.method not in self.methods:
            return True
        if self.paths and request.path.rstrip("/") not in self.paths:
            return True
        ident = f"ip:{client_ip(request)}" if self.per == "ip" else ident_for(request)
        return hit(self.bucket, ident)

    def wait(self) -> float | None:
        return float(parse_rate(settings.PAMONG_RATE_LIMITS[self.bucket])[1])


def too_many_requests(request: HttpRequest) -> HttpResponse:
    response = render(request, "core/429.html", status=429)
    response["Retry-After"] = "60"
    return response


class RateLimitMiddleware:
    """Limits on web pages by view name (settings.PAMONG_RATE_LIMITED_VIEWS: name → (bucket, methods, per)).
    Over the limit: 429 with an Indonesian page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        match = request.resolver_match
        rule = settings.PAMONG_RATE_LIMITED_VIEWS.get(match.view_name) if match else None
        if rule is None:
            return None
        bucket, methods, per = rule
        if request.method not in methods:
            return None
        ident = f"ip:{client_ip(request)}" if per == "ip" else ident_for(request)
        return None if hit(bucket, ident) else too_many_requests(request)
