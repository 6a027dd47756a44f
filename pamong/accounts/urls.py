"""Signing in and out, the second step (TOTP or a sent code), TOTP enrolment, and the citizen's account page."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("masuk/", views.SignInView.as_view(), name="login"),
    path("masuk/verifikasi/", views.verify, name="verify"),
    path("masuk/autentikator/", views.enrol, name="enrol"),
    path("keluar/", views.SignOutView.as_view(), name="logout"),
    path("akun/", views.account, name="account"),
    path("akun/notifikasi/", views.account_channels, name="account-channels"),
    path("akun/kode-masuk/", views.account_login_code, name="account-login-code"),
]
