"""Sign-in by NIK or username. A 16-digit NIK is found by its keyed blind index (the NIK itself is encrypted and
cannot be searched); anything else is a username. Lockout is django-axes' job (the backend before this one)."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from .models import User
from .selectors import account_by_nik


def looks_like_nik(text: str) -> bool:
    return len(text) == 16 and text.isdigit()


class NikOrUsernameBackend(ModelBackend):
    def authenticate(self, request, username: str | None = None, password: str | None = None, **kwargs):
        if username is None or password is None:
            return None
        typed = username.replace(" ", "") if looks_like_nik(username.replace(" ", "")) else username.strip()
        user = account_by_nik(typed) if looks_like_nik(typed) else User.objects.filter(username=typed).first()
        if user is None:
            User().set_password(password)  # the same work as a real check, so timing does not tell who exists
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
