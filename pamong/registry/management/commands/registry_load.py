from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pamong.core.errors import ApplicationError
from pamong.registry import services


class Command(BaseCommand):
    help = (
        "Load the registry reference data (regions, poverty lines, KBLI risk) from pamong/registry/data; "
        "with --synthetic-population also the demo population. Datasets already loaded are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--synthetic-population", action="store_true", help="load the demo population too"
        )
        parser.add_argument(
            "--data-dir", default=None, help="directory with the CSV files (default: shipped)"
        )

    def handle(self, *args, **options):
        data_dir = Path(options["data_dir"]) if options["data_dir"] else None
        try:
            report = services.load_reference_data(
                actor="system:registry_load", population=options["synthetic_population"], data_dir=data_dir
            )
        except ApplicationError as exc:
            details = "\n".join(f"  {d}" for d in exc.details or [])
            raise CommandError(f"{exc.message}\n{details}".rstrip()) from exc
        for name, outcome in report.outcomes.items():
            self.stdout.write(f"{name:<15} {outcome}")
