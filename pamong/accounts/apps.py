from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "pamong.accounts"
    label = "accounts"
    verbose_name = "Akun dan peran"

    def ready(self) -> None:
        from axes.signals import user_locked_out

        from . import oidc, services  # noqa: F401  (oidc registers its configuration check)

        def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
            # The receiver only hands over to the service that audits it (no logic in signals).
            services.record_lockout(username=username or "", ip_address=ip_address)

        user_locked_out.connect(on_locked_out, dispatch_uid="pamong.accounts.locked_out", weak=False)
