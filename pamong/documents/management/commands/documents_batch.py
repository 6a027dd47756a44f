"""pamong documents_batch --service SLUG [--run] | --resume BATCH_ID"""

from django.core.management.base import BaseCommand, CommandError

from pamong.catalog.models import Service
from pamong.documents import selectors, services
from pamong.documents.models import Batch


class Command(BaseCommand):
    help = (
        "Issue the missing decision letters of a service (final grants and refusals decided before letters "
        "existed) as one batch with progress; the worker runs it, or --run here. --resume continues a batch "
        "after a crash: no letter is issued twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--service", help="the service's slug")
        parser.add_argument("--run", action="store_true", help="run the batch here instead of in the worker")
        parser.add_argument("--resume", type=int, help="continue this batch (its id)")

    def handle(self, *args, **options):
        if options["resume"]:
            if not Batch.objects.filter(pk=options["resume"]).exists():
                raise CommandError(f"--resume: no batch {options['resume']}")
            issued = services.run_batch(batch_id=options["resume"])
            self.stdout.write(f"batch {options['resume']}: {issued} letters issued")
            return
        service = Service.objects.filter(slug=options["service"] or "").first()
        if service is None:
            raise CommandError(f"--service: no service with slug {options['service']!r}")
        batch = services.start_batch(
            actor="system:cli",
            decisions=selectors.decisions_without_letter(service=service),
            label=f"Surat yang belum terbit: {service.name}",
        )
        self.stdout.write(f"batch {batch.pk}: {batch.total} letters queued")
        if options["run"]:
            issued = services.run_batch(batch_id=batch.pk)
            self.stdout.write(f"batch {batch.pk}: {issued} letters issued")
