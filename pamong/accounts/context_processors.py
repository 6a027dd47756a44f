"""The main menu for every page (pamong.accounts.navigation)."""

from __future__ import annotations

from django.http import HttpRequest

from .navigation import menu_for


def navigation(request: HttpRequest) -> dict:
    path = request.path
    items = menu_for(getattr(request, "user", None))
    current = max(
        (item for item in items if path.startswith(item.prefix)), key=lambda i: len(i.prefix), default=None
    )
    return {"menu": items, "menu_current": current.key if current else ""}
