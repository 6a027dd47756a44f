"""pamong retention apply [--dry-run]: remove personal data the service standard no longer needs."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from pamong.privacy.services import apply_retention


class Command(BaseCommand):
    help = "Apply the retention periods (docs/security.md): clear finished applications, delete old notifications."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would be removed; change nothing"
        )

    def handle(self, *args, dry_run: bool = False, **options):
        report = apply_retention(actor="system:retention", dry_run=dry_run)
        prefix = "Would remove" if dry_run else "Removed"
        self.stdout.write(
            f"{prefix}: {report.applications_cleared} finished applications cleared, "
            f"{report.attachments_deleted} attachments, {report.notifications_deleted} notifications, "
            f"{report.access_log_deleted} access-log entries, {report.login_codes_deleted} sign-in codes."
        )
