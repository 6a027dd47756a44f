"""The main menu for every page (pamong.accounts.navigation)."""

from __future__ import annotations

from django.http import HttpRequest

from .navigation import menu_for, public_pages_for


def navigation(request: HttpRequest) -> dict:
    path = request.path
    user = getattr(request, "user", None)
    items, public = menu_for(user), public_pages_for(user)
    current = max(
        (item for item in (*items, *public) if path.startswith(item.prefix)),
        key=lambda i: len(i.prefix),
        default=None,
    )
    return {"menu": items, "menu_current": current.key if current else "", "public_pages": public}
