"""An agency administrator (admin_instansi) manages the staff accounts of their own agency: the list, a new
account, roles, an authenticator reset and deactivation. Every change is an audit entry (services.py); anyone
else, and any account of another agency, gets the same 404 as a missing page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.core.validators import RegexValidator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pamong.core.errors import ApplicationError, NotFound
from pamong.core.views import not_found

from . import roles, selectors, services
from .models import User

PAGE_SIZE = 25
AGENCY_ROLE_CHOICES = [(role, roles.ROLE_LABELS[role]) for role in roles.AGENCY_ROLES]


class NewStaffForm(forms.Form):
    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=150)
    username = forms.CharField(
        label=gettext_lazy("Username"),
        max_length=40,
        validators=[
            RegexValidator(
                r"^[a-z0-9][a-z0-9._-]{2,39}$",
                gettext_lazy("Use 3 to 40 lower-case letters, digits, dots, dashes or underscores."),
            )
        ],
        help_text=gettext_lazy("For example: budi.santoso. Used to sign in."),
    )
    email = forms.EmailField(label=gettext_lazy("Work e-mail"), required=False)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=AGENCY_ROLE_CHOICES)
    password = forms.CharField(
        label=gettext_lazy("First password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy(
            "Give it to the new staff member in person. At first sign-in they enrol their own authenticator app."
        ),
    )


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=gettext_lazy("Roles"),
        choices=AGENCY_ROLE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ReasonForm(forms.Form):
    # Three forms on the account page share the field name "reason": a prefix per form keeps their ids apart.
    id_prefix = "reset"

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)

    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        min_length=10,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": gettext_lazy("Write the reason (at least 10 characters)."),
            "min_length": gettext_lazy("Write the reason (at least 10 characters)."),
        },
    )


class PasswordForm(ReasonForm):
    id_prefix = "password"
    password = forms.CharField(
        label=gettext_lazy("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("Give it to the staff member in person; they change it on the password page."),
    )


class StatusForm(ReasonForm):
    id_prefix = "status"
    active = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")


def _is_admin(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.agency_id) and roles.ADMIN_INSTANSI in roles.roles_of(user)


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    if not _is_admin(request):
        return not_found(request)
    form = NewStaffForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                member = services.create_staff_account(admin=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error("password" if exc.code == "weak_password" else "username", str(exc.message))
            else:
                messages.success(
                    request, _("The account %(username)s was created.") % {"username": member.username}
                )
                return redirect("accounts:staff-detail", user_id=member.pk)
        status = 422
    page = Paginator(selectors.agency_staff(request.user), PAGE_SIZE).get_page(request.GET.get("halaman"))
    rows = [(m, [roles.ROLE_LABELS[r] for r in selectors.agency_role_names(m)]) for m in page]
    context = {"page": page, "rows": rows, "form": form}
    return render(request, "accounts/staff_list.html", context, status=status)


def _member(request: HttpRequest, user_id: int) -> User | None:
    if not _is_admin(request):
        return None
    try:
        return selectors.managed_staff_member(request.user, user_id)
    except NotFound:
        return None


def _detail(request: HttpRequest, member: User, status: int = 200, **forms_: forms.Form) -> HttpResponse:
    current = selectors.agency_role_names(member)
    context = {
        "member": member,
        "roles_form": forms_.get("roles_form") or RolesForm(initial={"roles": current}),
        "reset_form": forms_.get("reset_form") or ReasonForm(),
        "status_form": forms_.get("status_form") or StatusForm(),
        "password_form": forms_.get("password_form") or PasswordForm(),
        "has_authenticator": hasattr(member, "totp_device") and member.totp_device.confirmed_at is not None,
        "history": selectors.staff_history(member),
        "role_labels": [roles.ROLE_LABELS[r] for r in current],
    }
    return render(request, "accounts/staff_detail.html", context, status=status)


@login_required
def staff_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    member = _member(request, user_id)
    if member is None:
        return not_found(request)
    return _detail(request, member)


def _staff_change(request: HttpRequest, user_id: int, form: forms.Form, change) -> HttpResponse:
    """Validate ``form``, run ``change(member, cleaned_data)`` (it returns the message to show, or ""), then
    back to the account page; a refusal is shown on the form's first field with status 422."""
    member = _member(request, user_id)
    if member is None:
        return not_found(request)
    if form.is_valid():
        try:
            done = change(member, form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(next(iter(form.fields)), str(exc.message))
        else:
            if done:
                messages.success(request, done)
            return redirect("accounts:staff-detail", user_id=member.pk)
    key = {RolesForm: "roles_form", StatusForm: "status_form", PasswordForm: "password_form"}.get(
        type(form), "reset_form"
    )
    return _detail(request, member, status=422, **{key: form})


@require_POST
@login_required
def staff_roles(request: HttpRequest, user_id: int) -> HttpResponse:
    def change(member: User, data: dict) -> str:
        added, removed = services.set_staff_roles(
            admin=request.user, member=member, new_roles=set(data["roles"])
        )
        return _("The roles were saved.") if added or removed else ""

    return _staff_change(request, user_id, RolesForm(request.POST), change)


@require_POST
@login_required
def staff_authenticator(request: HttpRequest, user_id: int) -> HttpResponse:
    def change(member: User, data: dict) -> str:
        services.reset_totp(admin=request.user, member=member, reason=data["reason"])
        return _(
            "The authenticator was reset and the account's sessions ended. A new one is enrolled at the next "
            "sign-in."
        )

    return _staff_change(request, user_id, ReasonForm(request.POST), change)


@require_POST
@login_required
def staff_status(request: HttpRequest, user_id: int) -> HttpResponse:
    def change(member: User, data: dict) -> str:
        services.set_account_active(
            admin=request.user, member=member, active=data["active"], reason=data["reason"]
        )
        return _("The account was activated.") if data["active"] else _("The account was deactivated.")

    return _staff_change(request, user_id, StatusForm(request.POST), change)


@require_POST
@login_required
def staff_password(request: HttpRequest, user_id: int) -> HttpResponse:
    def change(member: User, data: dict) -> str:
        services.set_staff_password(
            admin=request.user, member=member, password=data["password"], reason=data["reason"]
        )
        return _("The new password was set and the account's sessions ended.")

    return _staff_change(request, user_id, PasswordForm(request.POST), change)
