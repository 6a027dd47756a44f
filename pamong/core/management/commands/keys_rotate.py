from django.core.management.base import BaseCommand

from pamong.core import crypto
from pamong.core.keys import rotate_keys


class Command(BaseCommand):
    help = "Re-encrypt all personal data under the current key (the first in PAMONG_ENCRYPTION_KEYS)."

    def handle(self, *args, **options):
        report = rotate_keys()
        current = crypto.keyring().current_id
        for column, count in report.items():
            self.stdout.write(f"  {column}: {count} re-encrypted")
        self.stdout.write(f"done: {sum(report.values())} values now under key '{current}'")
