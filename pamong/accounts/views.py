"""Signing in (NIK or username and password, then the second step), signing out, TOTP enrolment, the lockout
page, and the citizen's account page (/akun/). Bahasa Indonesia first; every page works without JavaScript."""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash, user_login_failed
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.paginator import Paginator
from django.core.validators import RegexValidator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pamong.core import ratelimit
from pamong.core.errors import ApplicationError
from pamong.core.views import not_found
from pamong.notify import services as notify
from pamong.notify.models import Channel, Preference

from . import navigation, roles, selectors, selfservice, services, twofactor
from .middleware import ENROL_URL, VERIFY_URL, _has_confirmed_device
from .models import ContactCode, LoginCode, User


class SignInForm(AuthenticationForm):
    username = forms.CharField(
        label=gettext_lazy("NIK or username"),
        help_text=gettext_lazy("Your 16-digit NIK (as on your KTP), or the username you were given."),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}
        ),
    )
    password = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": gettext_lazy(
            "The NIK or username and password do not match. Check them and try again; the password is "
            "case-sensitive."
        ),
        "inactive": gettext_lazy("This account is not active. Ask the service counter for help."),
    }


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return settings.LOGIN_REDIRECT_URL


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "oidc_enabled": settings.PAMONG_OIDC_ENABLED}

    def get_default_redirect_url(self) -> str:
        """Without a ?next=, each role lands on the first page of its work (pamong.accounts.navigation)."""
        return navigation.landing_url(self.request.user)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        auth_login(self.request, user)
        return after_password(self.request, user, self.get_success_url())

    def form_invalid(self, form: AuthenticationForm):
        # 422 tells tools and tests that the form was re-shown with errors, as on every other form page.
        response = super().form_invalid(form)
        response.status_code = 422
        return response


def after_password(request: HttpRequest, user: User, next_url: str) -> HttpResponse:
    """The first factor matched (password, or the identity provider): go on to the second step if one is due."""
    if roles.is_staff_member(user):
        request.session.set_expiry(0)  # staff sessions end when the browser closes (and after idle time)
    kind = twofactor.second_factor_kind(user)
    if kind is None:
        return redirect(next_url)
    request.session[twofactor.SESSION_NEXT] = next_url
    if kind == twofactor.CODE:
        _send_code(request, user)
        return redirect(VERIFY_URL)
    return redirect(VERIFY_URL if _has_confirmed_device(user) else ENROL_URL)


def _send_code(request: HttpRequest, user: User) -> bool:
    if not ratelimit.hit("login_code", f"user:{user.pk}"):
        messages.error(request, _("Too many codes were sent. Wait a while before asking for another one."))
        return False
    services.send_login_code(user=user)
    return True


class SignOutView(auth_views.LogoutView):
    next_page = "/"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("6-digit code"),
        min_length=6,
        max_length=7,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "size": 8}
        ),
        error_messages={
            "required": gettext_lazy("Enter the 6-digit code."),
            "min_length": gettext_lazy("The code has 6 digits."),
            "max_length": gettext_lazy("The code has 6 digits."),
        },
    )


def _second_step_failed(request: HttpRequest, user: User) -> HttpResponse | None:
    """Count a wrong code as a failed sign-in (django-axes); once locked, sign out and show the lockout page."""
    credentials = {"username": user.username}
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    if AxesProxyHandler.is_locked(request, credentials):
        auth_logout(request)
        return get_lockout_response(request, None, credentials)
    return None


def _finish(request: HttpRequest, user: User) -> HttpResponse:
    next_url = _safe_next(request, request.session.pop(twofactor.SESSION_NEXT, None))
    request.session.cycle_key()
    twofactor.mark_verified(request.session, user)
    return redirect(next_url)


def verify(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator app (staff) or the code just sent (citizens)."""
    user = request.user
    if not user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    kind = twofactor.second_factor_kind(user)
    if kind is None or twofactor.is_verified(request):
        return redirect(_safe_next(request, request.session.pop(twofactor.SESSION_NEXT, None)))
    if kind == twofactor.TOTP and not _has_confirmed_device(user):
        return redirect(ENROL_URL)
    if kind == twofactor.CODE and request.method == "GET" and not _has_live_code(user):
        _send_code(request, user)  # signed in by another way than the password form (e.g. OpenID Connect)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if kind == twofactor.CODE and "resend" in request.POST:
            if _send_code(request, user):
                messages.info(request, _("A new code was sent."))
            return redirect(VERIFY_URL)
        if form.is_valid():
            code = form.cleaned_data["code"]
            ok = (
                services.verify_totp(user=user, code=code)
                if kind == twofactor.TOTP
                else services.verify_login_code(user=user, code=code)
            )
            if ok:
                return _finish(request, user)
            form.add_error("code", _("The code is not right or has expired. Check it and try again."))
            locked = _second_step_failed(request, user)
            if locked is not None:
                return locked
        status = 422
    channel = dict(User.LoginCodeChannel.choices).get(user.login_code_channel, "")
    return render(
        request, "accounts/verify.html", {"form": form, "kind": kind, "channel": channel}, status=status
    )


def _has_live_code(user: User) -> bool:

    return LoginCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=timezone.now()).exists()


def enrol(request: HttpRequest) -> HttpResponse:
    """Staff without an authenticator: scan the QR code (or type the secret), then confirm with the first code."""
    user = request.user
    if not user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    if not roles.is_staff_member(user) or _has_confirmed_device(user):
        return redirect(VERIFY_URL if not twofactor.is_verified(request) else settings.LOGIN_REDIRECT_URL)
    device = services.start_totp_enrolment(user=user)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and services.confirm_totp_device(user=user, code=form.cleaned_data["code"]):
            messages.success(request, _("Your authenticator app is set up. Use it every time you sign in."))
            return _finish(request, user)
        if form.is_valid():
            form.add_error("code", _("The code is not right. Check the time on your phone and try again."))
        status = 422
    uri = twofactor.provisioning_uri(device.secret, user.username)
    context = {"form": form, "qr_svg": twofactor.qr_svg(uri), "secret": _grouped(device.secret)}
    return render(request, "accounts/enrol.html", context, status=status)


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """django-axes' lockout answer: 429 and a page that says how long to wait and where to get help."""
    minutes = round(float(settings.AXES_COOLOFF_TIME) * 60)
    return render(request, "accounts/locked.html", {"minutes": minutes}, status=429)


# --- the citizen's account page ---------------------------------------------------------------------------------


class PhoneField(forms.CharField):
    """A mobile number in any usual spelling ("+62 812-3456-7890", "0812 3456 7890"), cleaned to E.164 by
    `phonenumbers` (pamong.notify.services.parse_phone)."""

    default_error_messages = {"invalid": gettext_lazy("Write a mobile number, e.g. 0812 3456 7890.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"})
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        try:
            return notify.parse_phone(value)
        except notify.InvalidPhone:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class ChannelsForm(forms.Form):
    channels = forms.MultipleChoiceField(
        label=gettext_lazy("Send me notifications by"),
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one channel.")},
    )
    phone = PhoneField(
        label=gettext_lazy("Mobile number (for SMS and WhatsApp)"),
        required=False,
        help_text=gettext_lazy("For example 0812 3456 7890."),
        error_messages={
            "invalid": gettext_lazy("Write the number with digits only, for example 0812 3456 7890.")
        },
    )

    def clean(self):
        data = super().clean()
        if set(data.get("channels") or []) & {"sms", "whatsapp"} and not data.get("phone"):
            self.add_error("phone", _("SMS and WhatsApp need a mobile number."))
        return data


class LoginCodeForm(forms.Form):
    login_code_channel = forms.ChoiceField(
        label=gettext_lazy("A code at sign-in"),
        choices=User.LoginCodeChannel.choices,
        widget=forms.RadioSelect,
        required=False,
    )


def _citizen(request: HttpRequest) -> bool:
    return roles.WARGA in roles.roles_of(request.user)


def _account_context(request: HttpRequest, **extra) -> dict:
    user = request.user
    preference = Preference.objects.filter(user=user).first()
    channels_initial = {
        "channels": preference.channels if preference else [Channel.EMAIL],
        "phone": preference.phone if preference else "",
    }
    return {
        "access_log": [
            {"at": e.at, "by": selectors.staff_label(e.actor), "what": e.what, "why": e.why}
            for e in selectors.access_log_of(user)[:50]
        ],
        "channels_form": ChannelsForm(initial=channels_initial),
        "code_form": LoginCodeForm(initial={"login_code_channel": user.login_code_channel}),
        "contacts": {
            "email": user.email,
            "phone": preference.phone if preference else "",
            **{f"{kind}_verified": ok for kind, ok in services.verified_contacts(user).items()},
        },
        "pending_contact": ContactCode.objects.filter(
            user=user, used_at__isnull=True, expires_at__gt=timezone.now()
        ).first(),
        "contact_errors": {},
        "unread": notify.inbox_of(user).filter(read_at__isnull=True).count(),
        **extra,
    }


@login_required
def account(request: HttpRequest) -> HttpResponse:
    if not _citizen(request):
        return not_found(request)
    return render(request, "accounts/account.html", _account_context(request))


@require_POST
@login_required
def account_channels(request: HttpRequest) -> HttpResponse:
    if not _citizen(request):
        return not_found(request)
    form = ChannelsForm(request.POST)
    if not form.is_valid():
        return render(
            request, "accounts/account.html", _account_context(request, channels_form=form), status=422
        )
    services.set_notification_channels(
        user=request.user,
        channels=form.cleaned_data["channels"],
        phone=form.cleaned_data["phone"].replace(" ", ""),
    )
    messages.success(request, _("Your notification channels were saved."))
    return redirect("accounts:account")


@require_POST
@login_required
def account_login_code(request: HttpRequest) -> HttpResponse:
    if not _citizen(request):
        return not_found(request)
    form = LoginCodeForm(request.POST)
    if form.is_valid():
        try:
            services.set_login_code_channel(
                user=request.user, channel=form.cleaned_data["login_code_channel"]
            )
        except ValueError:
            form.add_error(
                "login_code_channel", _("An SMS code needs your mobile number: save it above first.")
            )
        else:
            if request.user.login_code_channel:  # this session already passed sign-in; keep it signed in
                twofactor.mark_verified(request.session, request.user)
            messages.success(request, _("Your sign-in setting was saved."))
            return redirect("accounts:account")
    return render(request, "accounts/account.html", _account_context(request, code_form=form), status=422)


# --- contact details verified with a one-time code, and the inbox (issue 15) --------------------------------------


@require_POST
@login_required
def account_contact(request: HttpRequest) -> HttpResponse:
    """Add or change the e-mail address or mobile number: a one-time code is sent to it first."""
    if not _citizen(request):
        return not_found(request)
    kind = request.POST.get("kind", "")
    try:
        services.start_contact_verification(
            user=request.user, kind=kind, value=request.POST.get("value", "")[:200]
        )
    except ApplicationError as exc:
        context = _account_context(request, contact_errors={kind or "email": exc.message})
        return render(request, "accounts/account.html", context, status=exc.status)
    messages.info(request, _("We sent a code. Type it below to confirm the address."))
    return redirect(f"{reverse('accounts:account')}#contact")


@require_POST
@login_required
def account_contact_verify(request: HttpRequest) -> HttpResponse:
    if not _citizen(request):
        return not_found(request)
    verified = services.verify_contact(user=request.user, code=request.POST.get("code", "")[:12])
    if verified is None:
        errors = {"code": _("The code is not right or has expired. Ask for a new one.")}
        return render(
            request, "accounts/account.html", _account_context(request, contact_errors=errors), status=422
        )
    messages.success(request, _("Confirmed. Notices now reach you there."))
    return redirect("accounts:account")


INBOX_PAGE_SIZE = 20


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """Every notice with its date, channel and delivery status, unread first."""
    if not _citizen(request):
        return not_found(request)
    page = Paginator(notify.inbox_of(request.user), INBOX_PAGE_SIZE).get_page(request.GET.get("halaman"))
    return render(request, "accounts/inbox.html", {"page": page})


@login_required
def notice(request: HttpRequest, notification_id: int) -> HttpResponse:
    """One notice; opening it records that it was read (the citizen was told, UU 30/2014 Art. 77(1))."""
    if not _citizen(request):
        return not_found(request)
    found = notify.inbox_of(request.user).filter(pk=notification_id).first()
    if found is None:
        return not_found(request)
    notify.mark_read(found)
    return render(request, "accounts/notice.html", {"notice": found})


# --- activating an account made at a counter ---------------------------------------------------------------------


class ActivationForm(forms.Form):
    nik = forms.CharField(
        label=gettext_lazy("NIK"),
        max_length=20,
        help_text=gettext_lazy("The 16 digits on your KTP."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "username"}),
    )
    code = forms.CharField(
        label=gettext_lazy("Activation code"),
        max_length=20,
        help_text=gettext_lazy("Printed on your proof of application, for example 7KQ2M-XW4PD."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}),
    )
    password = forms.CharField(
        label=gettext_lazy("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("At least 10 characters; not only digits, and not a common password."),
    )
    password_again = forms.CharField(
        label=gettext_lazy("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", _("The two passwords are not the same."))
        return data


def activate(request: HttpRequest) -> HttpResponse:
    """A citizen served at a counter chooses a password with the activation code printed for them there."""
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.claim_account(
                nik=form.cleaned_data["nik"],
                code=form.cleaned_data["code"],
                password=form.cleaned_data["password"],
            )
        except ApplicationError as exc:
            form.add_error("password" if exc.code == "weak_password" else "code", str(exc.message))
        else:
            messages.success(
                request, _("Your account is active. Sign in with your NIK and your new password.")
            )
            return redirect("accounts:login")
    status = 422 if form.errors else 200
    return render(request, "accounts/activate.html", {"form": form}, status=status)


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The first agency administrator (made by `pamong setup`) chooses a password with the one-time link that
    was printed once; the link stops working when the password is set. Then sign-in and authenticator."""

    template_name = "accounts/set_password.html"
    post_reset_login = False

    def get_success_url(self) -> str:
        return str(settings.LOGIN_URL)

    def form_valid(self, form):
        response = super().form_valid(form)
        services.record_password_set_with_link(user=form.user)
        messages.success(
            self.request, _("Your password is set. Sign in, then set up your authenticator app.")
        )
        return response


# --- changing one's own password ---------------------------------------------------------------------------------


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    """Anyone signed in changes their password (Django's form checks the old one and the validators); their
    other sessions end, this one stays."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.change_own_password(user=request.user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Your password was changed. Your other sessions have ended."))
        return redirect("accounts:password")
    return render(request, "accounts/password.html", {"form": form}, status=422 if form.errors else 200)


# --- on one's own: self-registration and a forgotten password (pamong.accounts.selfservice) ------------------------

DIGITS_16 = RegexValidator(r"^\s*(\d\s*){16}$", gettext_lazy("Write the 16 digits."))
SELF_SERVICE_SENT = gettext_lazy(
    "If the data match the population registry, an activation code is on its way to the e-mail address or phone "
    "you gave. Enter it here with your NIK and a new password. No code within a few minutes? Check what you typed "
    "and try again later, or ask any service counter."
)
RESET_SENT = gettext_lazy(
    "If an account with a contact channel belongs to this NIK, an activation code is on its way to it. Enter it "
    "here with your NIK and a new password. No code? Any service counter can print one after checking your KTP."
)


class RegistrationForm(forms.Form):
    nik = forms.CharField(
        label=gettext_lazy("NIK"),
        max_length=24,
        validators=[DIGITS_16],
        help_text=gettext_lazy("The 16 digits on your KTP."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "username"}),
    )
    kk_number = forms.CharField(
        label=gettext_lazy("Family card (KK) number"),
        max_length=24,
        validators=[DIGITS_16],
        help_text=gettext_lazy("The 16 digits at the top of your Kartu Keluarga."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    full_name = forms.CharField(
        label=gettext_lazy("Full name"),
        max_length=200,
        help_text=gettext_lazy("As written on your KTP."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    birth_date = forms.DateField(
        label=gettext_lazy("Date of birth"),
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
        error_messages={"invalid": gettext_lazy("Write the date as on your KTP, e.g. 1987-08-01.")},
    )
    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        required=False,
        help_text=gettext_lazy("The code is sent here. Give an e-mail address or a mobile number."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = PhoneField(label=gettext_lazy("Mobile number"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("email") and not data.get("phone") and "email" not in self.errors:
            self.add_error("email", _("Give an e-mail address or a mobile number for the code."))
        return data


def register(request: HttpRequest) -> HttpResponse:
    """A citizen opens their account online: NIK, KK number, name and birth date as the registry has them."""
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        selfservice.register_citizen(
            nik=data["nik"],
            kk_number=data["kk_number"],
            full_name=data["full_name"],
            birth_date=data["birth_date"],
            email=data["email"],
            phone=data["phone"].replace(" ", ""),
        )
        messages.info(request, SELF_SERVICE_SENT)  # the same answer whether anything matched or not
        return redirect("accounts:activate")
    status = 422 if form.errors else 200
    return render(request, "accounts/register.html", {"form": form}, status=status)


class ForgotPasswordForm(forms.Form):
    nik = forms.CharField(
        label=gettext_lazy("NIK"),
        max_length=24,
        validators=[DIGITS_16],
        help_text=gettext_lazy("The 16 digits on your KTP."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "username"}),
    )


def forgot_password(request: HttpRequest) -> HttpResponse:
    form = ForgotPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        selfservice.request_password_reset(nik=form.cleaned_data["nik"])
        messages.info(request, RESET_SENT)  # the same answer whether the NIK has an account or not
        return redirect("accounts:activate")
    status = 422 if form.errors else 200
    return render(request, "accounts/forgot_password.html", {"form": form}, status=status)
