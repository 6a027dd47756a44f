import base64
import os
import secrets

from django.core.management.base import BaseCommand

from pamong.core import crypto


class Command(BaseCommand):
    help = (
        "Print fresh keys for a new site as environment lines (secret key, audit signing key, encryption "
        "and blind-index keys). Keep them in the site's secret store; never commit them."
    )
    requires_system_checks = []  # runs before the keys exist, under production settings too

    def handle(self, *args, **options):
        lines = [
            f"DJANGO_SECRET_KEY={secrets.token_urlsafe(50)}",
            f"PAMONG_AUDIT_SIGNING_KEY={base64.b64encode(os.urandom(32)).decode()}",
            f"PAMONG_ENCRYPTION_KEYS={crypto.generate_key_text('k1')}",
            f"PAMONG_BLIND_INDEX_KEY={os.urandom(32).hex()}",
        ]
        self.stdout.write("\n".join(lines))
