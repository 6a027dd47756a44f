"""pamong clients create --agency SLUG --name NAME --scope S [--scope S ...] [--rate 600/m]"""

from django.core.management.base import BaseCommand, CommandError

from pamong.catalog.models import Agency
from pamong.clients import services
from pamong.clients.models import Scope
from pamong.core.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "Register a machine client of an agency (OAuth 2.0 client credentials) and print its client id and "
        "secret. The secret is shown this once. See docs/api.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="the agency's slug (packs/agencies.yaml)")
        parser.add_argument("--name", required=True, help="what the client is, e.g. 'Kios MPP lantai 1'")
        parser.add_argument(
            "--scope", action="append", required=True, choices=Scope.values, help="repeat for several scopes"
        )
        parser.add_argument("--rate", default="", help="its own rate limit, e.g. 600/m (default: 600/m)")

    def handle(self, *args, **options):
        agency = Agency.objects.filter(slug=options["agency"]).first()
        if agency is None:
            raise CommandError(f"--agency: no agency with slug {options['agency']!r}")
        try:
            client, secret = services.register_client(
                actor="system:cli",
                agency=agency,
                name=options["name"],
                scopes=options["scope"],
                rate_limit=options["rate"],
            )
        except ApplicationError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc
        self.stdout.write(f"client_id: {client.client_id}")
        self.stdout.write(f"client_secret: {secret}")
        self.stdout.write(f"scopes: {' '.join(client.scopes)}")
        self.stdout.write("Keep the secret now: it is stored only as a hash and cannot be shown again.")
