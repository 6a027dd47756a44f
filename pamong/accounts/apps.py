from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "pamong.accounts"
    label = "accounts"
    verbose_name = "Akun dan peran"
