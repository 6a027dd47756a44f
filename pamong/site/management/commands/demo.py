import time

import pyotp
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from pamong.accounts import twofactor
from pamong.audit import services as audit
from pamong.catalog.packs import PackInvalid
from pamong.site import history
from pamong.site.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET, load_demo


class Command(BaseCommand):
    help = (
        "Migrate the database and load the demo data (service packs, one account per role, and 90 days of "
        "history: about 20,000 applications)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-history",
            action="store_true",
            help="only the packs and accounts, without the 90-day history",
        )

    def handle(self, *args, **options):
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        had_history = history.loaded()
        with_history = not options["no_history"] and not had_history
        started = time.perf_counter()
        try:
            report = (
                load_demo(  # the history's people live in the registry: keep the larger population with it
                    packs_root=settings.PACKS_DIR,
                    population_scale=history.POPULATION_SCALE if with_history or had_history else 1,
                )
            )
        except PackInvalid as exc:
            raise CommandError(f"the service packs have problems; nothing was loaded:\n{exc}") from exc
        self.stdout.write(
            f"Demo data: {report.agencies} agencies; services created {len(report.created)}, "
            f"updated {len(report.updated)}, unchanged {len(report.unchanged)}."
        )
        if with_history:
            told = history.build_history(today=timezone.localdate())
            self.stdout.write(
                f"History of the last {history.DAYS} days: {told.applications:,} applications, "
                f"{told.decisions:,} decisions, {told.information_requests:,} information requests, "
                f"{told.objections:,} objections, {told.appeals:,} appeals, {told.deemed:,} deemed approvals, "
                f"{told.breakers} breaker episode, {told.survey_responses:,} survey answers, "
                f"{told.complaints:,} complaints, "
                f"{told.audit_entries:,} audit entries "
                f"({time.perf_counter() - started:.1f} s)."
            )
        audit.sign_tree_head()
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
