import pyotp
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from pamong.accounts import twofactor
from pamong.audit import services as audit
from pamong.catalog.packs import PackInvalid
from pamong.site.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET, load_demo


class Command(BaseCommand):
    help = "Migrate the database and load the demo data (service packs and one account per role)."

    def handle(self, *args, **options):
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        try:
            report = load_demo(packs_root=settings.PACKS_DIR)
        except PackInvalid as exc:
            raise CommandError(f"the service packs have problems; nothing was loaded:\n{exc}") from exc
        audit.sign_tree_head()
        self.stdout.write(
            f"Demo data: {report.agencies} agencies; services created {len(report.created)}, "
            f"updated {len(report.updated)}, unchanged {len(report.unchanged)}."
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for account in DEMO_ACCOUNTS:
            where = f" @ {account.agency}" if account.agency else ""
            self.stdout.write(f"  {account.username:<18} {account.role}{where}")
        self.stdout.write(
            "Staff also give a code from an authenticator app (TOTP). Demo secret for every staff account: "
            f"{DEMO_TOTP_SECRET}\n  otpauth URI: {twofactor.provisioning_uri(DEMO_TOTP_SECRET, 'demo-staff')}\n"
            f"  code right now: {pyotp.TOTP(DEMO_TOTP_SECRET).now()} (changes every 30 seconds; "
            "or run: .venv/bin/python -c \"import pyotp; print(pyotp.TOTP('"
            + DEMO_TOTP_SECRET
            + "').now())\")"
        )
