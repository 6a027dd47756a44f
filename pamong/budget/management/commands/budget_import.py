from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

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
            raise CommandError(_("%(file)s: file not found") % {"file": file}, returncode=2)
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(
                _("%(file)s: more than %(mb)s MB; split the file")
                % {"file": file, "mb": MAX_BYTES // 1024 // 1024},
                returncode=2,
            )
        found = Agency.objects.filter(slug=agency).first()
        if found is None:
            raise CommandError(_("--agency %(agency)s: unknown agency") % {"agency": agency}, returncode=2)
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
            _("OK: %(rows)s lines of %(file)s imported for %(agency)s (import #%(id)s)")
            % {"rows": source.rows, "file": file, "agency": found.name, "id": source.pk}
        )
