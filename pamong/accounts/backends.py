"""Sign-in by NIK (any spacing), e-mail, phone or username: `selectors.account_for_identifier` finds the account
(a NIK by its keyed blind index, a phone by its own). Lockout is django-axes' job (the backend before this one),
counted per account through the same resolution (pamong.accounts.lockout)."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from .models import User
from .selectors import account_for_identifier


def looks_like_nik(text: str) -> bool:
    return len(text) == 16 and text.isdigit()


class NikOrUsernameBackend(ModelBackend):
    def authenticate(self, request, username: str | None = None, password: str | None = None, **kwargs):
        if username is None or password is None:
            return None
        user = account_for_identifier(username)
        if user is None:
            User().set_password(password)  # the same work as a real check, so timing does not tell who exists
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
