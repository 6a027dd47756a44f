"""Signing in and out, the second step (TOTP or a sent code), TOTP enrolment, the citizen's account page, and
the agency administrator's staff pages."""

from django.urls import path

from . import staff_views, views

app_name = "accounts"

urlpatterns = [
    path("masuk/", views.SignInView.as_view(), name="login"),
    path("masuk/verifikasi/", views.verify, name="verify"),
    path("masuk/autentikator/", views.enrol, name="enrol"),
    path("masuk/aktivasi/", views.activate, name="activate"),
    path("masuk/lupa-kata-sandi/", views.forgot_password, name="forgot-password"),
    path("daftar/", views.register, name="register"),
    path("masuk/atur-sandi/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set-password"),
    path("keluar/", views.SignOutView.as_view(), name="logout"),
    path("akun/", views.account, name="account"),
    path("akun/notifikasi/", views.account_channels, name="account-channels"),
    path("akun/kode-masuk/", views.account_login_code, name="account-login-code"),
    path("akun/kontak/", views.account_contact, name="account-contact"),
    path("akun/kontak/verifikasi/", views.account_contact_verify, name="account-contact-verify"),
    path("akun/pemberitahuan/", views.inbox, name="inbox"),
    path("akun/pemberitahuan/<int:notification_id>/", views.notice, name="notice"),
    path("akun/kata-sandi/", views.password_change, name="password"),
    path("instansi/petugas/", staff_views.staff_list, name="staff"),
    path("instansi/petugas/<int:user_id>/", staff_views.staff_detail, name="staff-detail"),
    path("instansi/petugas/<int:user_id>/peran/", staff_views.staff_roles, name="staff-roles"),
    path(
        "instansi/petugas/<int:user_id>/autentikator/",
        staff_views.staff_authenticator,
        name="staff-authenticator",
    ),
    path("instansi/petugas/<int:user_id>/status/", staff_views.staff_status, name="staff-status"),
    path("instansi/petugas/<int:user_id>/kata-sandi/", staff_views.staff_password, name="staff-password"),
]
