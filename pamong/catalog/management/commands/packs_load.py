from django.core.management.base import BaseCommand, CommandError

from pamong.catalog import services
from pamong.catalog.packs import PackInvalid

from .packs_check import resolve


class Command(BaseCommand):
    help = (
        "Validate, then load agencies (agencies.yaml) and service packs into the catalog, in one transaction: "
        "any problem loads nothing. Loading the same packs again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="*", help="pack directories, or the packs root (default: PAMONG_PACKS_DIR)"
        )

    def handle(self, *args, paths: list[str], **options):
        root, only = resolve(paths)
        try:
            report = services.load_packs(root=root, actor="system:packs_load", only=only)
        except PackInvalid as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(exc.problems)} problem(s) found in {root}; nothing was loaded", returncode=1
            ) from exc
        self.stdout.write(
            f"Loaded from {root}: {report.agencies} agencies; services created {len(report.created)}, "
            f"updated {len(report.updated)}, unchanged {len(report.unchanged)}."
        )
        if report.pending_rules:  # loaded, not in force: the sandbox's four eyes first (docs/packs.md)
            self.stdout.write(
                f"Rule versions waiting for a second approver (not in force): {', '.join(report.pending_rules)}."
            )
