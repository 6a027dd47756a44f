"""`pamong setup`: a fresh (production) database to a working site, in the order an operator would do it by
hand: the production check, migrations, static files, registry reference data, agencies and service packs
(validated first), the first agency administrator with a one-time link to choose a password, a signed tree head.

Running it again is safe: what is there already is left as it is (a second administrator is never made; with
--new-link an administrator who has not chosen a password yet gets a fresh link).
"""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from pamong.accounts import services as accounts
from pamong.accounts.models import User
from pamong.audit import services as audit
from pamong.catalog.models import Agency
from pamong.core.checks import production_problems
from pamong.registry import services as registry

ACTOR = "system:setup"


class Command(BaseCommand):
    help = (
        "Take a fresh database to a working site: migrations, static files, reference data, agencies and "
        "service packs, and the first agency administrator (a one-time link to choose a password)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--packs", default=None, help="the packs root (default: PAMONG_PACKS_DIR)")
        parser.add_argument("--admin", required=True, help="username of the first agency administrator")
        parser.add_argument("--admin-agency", required=True, help="the administrator's agency (its slug)")
        parser.add_argument("--admin-name", default="", help="the administrator's full name")
        parser.add_argument(
            "--site-url",
            default="",
            help="the site's address, to print the link whole (e.g. https://layanan.example.go.id)",
        )
        parser.add_argument(
            "--new-link", action="store_true", help="a new link for an administrator without a password"
        )

    def handle(self, *args, **options):
        if settings.PAMONG_ENVIRONMENT == "production" and (problems := production_problems()):
            raise CommandError("unsafe production settings; nothing was done:\n  " + "\n  ".join(problems))
        self.step("migrations")
        call_command("migrate", interactive=False, verbosity=0)
        self.step("static files")
        call_command("collectstatic", interactive=False, verbosity=0)
        self.step("registry reference data")
        report = registry.load_reference_data(actor=ACTOR)
        self.stdout.write(
            "    " + ", ".join(f"{name} {outcome}" for name, outcome in report.outcomes.items())
        )
        self.step("agencies and service packs")
        call_command("packs_load", *([options["packs"]] if options["packs"] else []), stdout=self.stdout)
        self.step("roles")
        accounts.ensure_role_groups()
        self.step("first agency administrator")
        self.administrator(options)
        audit.sign_tree_head()
        self.stdout.write(
            "Done. Start the site with: pamong serve --host 0.0.0.0 --port 8000 (see docs/operations.md)"
        )

    def step(self, what: str) -> None:
        self.stdout.write(f"- {what}")

    def administrator(self, options) -> None:
        username = options["admin"]
        agency = Agency.objects.filter(slug=options["admin_agency"]).first()
        if agency is None:
            known = ", ".join(Agency.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(f"--admin-agency {options['admin_agency']}: no such agency (known: {known})")
        user = User.objects.filter(username=username).first()
        if user is None:
            user = accounts.create_first_administrator(
                actor=ACTOR, username=username, agency=agency, full_name=options["admin_name"]
            )
        elif user.has_usable_password() or not options["new_link"]:
            self.stdout.write(f"    {username} exists already; left as it is.")
            return
        link = options["site_url"].rstrip("/") + accounts.password_setup_path(user)
        self.stdout.write(
            f"    {username} (agency administrator, {agency.slug}) has no password yet. Give them this "
            f"one-time link, which is shown only now and works until used (or for "
            f"{settings.PASSWORD_RESET_TIMEOUT // 86400} days):\n\n    {link}\n\n"
            "    They choose a password there, then sign in and set up an authenticator app."
        )
