from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pamong.budget import services
from pamong.catalog.models import Agency
from pamong.core.errors import ApplicationError

MAX_BYTES = 512 * 1024 * 1024


class Command(BaseCommand):
    help = (
        "Import an agency's budget and realisation (CSV, the regional financial system's export columns) or its "
        "procurement (OCDS JSON). Every problem with file, line and field; nothing stored if any."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help="a .csv (budget/realisation) or .json (OCDS release or record package)"
        )
        parser.add_argument("--agency", required=True, help="the agency's slug (packs/agencies.yaml)")
        parser.add_argument("--ocds", action="store_true", help="read the file as OCDS even without .json")

    def handle(self, *args, file: str, agency: str, ocds: bool, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: berkas tidak ditemukan", returncode=2)
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(
                f"{file}: lebih dari {MAX_BYTES // 1024 // 1024} MB; bagi berkasnya", returncode=2
            )
        found = Agency.objects.filter(slug=agency).first()
        if found is None:
            raise CommandError(f"--agency {agency}: instansi tidak dikenal", returncode=2)
        importer = (
            services.import_ocds if ocds or path.suffix.lower() == ".json" else services.import_budget_csv
        )
        try:
            source = importer(path.read_bytes(), agency=found, actor="system:cli", file_name=str(file))
        except ApplicationError as exc:
            for problem in exc.details or []:
                self.stderr.write(
                    f"{problem['file']}:{problem['line']}: {problem['field']}: {problem['message']}"
                )
            raise CommandError(str(exc.message), returncode=1) from None
        self.stdout.write(
            f"OK: {source.rows} baris dari {file} diimpor untuk {found.name} (impor #{source.pk})"
        )
