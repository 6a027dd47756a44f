from django.core.management.base import BaseCommand

from pamong.budget import services


class Command(BaseCommand):
    help = "Run the budget red flags over all imported data; new flags go to the inspectorate's (APIP) queue."

    def handle(self, *args, **options):
        report = services.raise_flags(actor="system:cli")
        self.stdout.write(f"OK: {len(report.raised)} tanda baru, {report.already_known} sudah dikenal")
