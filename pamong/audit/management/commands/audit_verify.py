import time

from django.core.management.base import BaseCommand, CommandError

from pamong.audit.verification import verify_log


class Command(BaseCommand):
    help = "Recompute the audit log (leaves, subtree hashes, signed tree heads); exit 1 on any problem."

    def handle(self, *args, **options):
        started = time.perf_counter()
        report = verify_log()
        seconds = time.perf_counter() - started
        for problem in report.problems:
            self.stderr.write(problem)
        if not report.ok:
            first = (
                f"; first bad entry: #{report.first_bad_index}" if report.first_bad_index is not None else ""
            )
            raise CommandError(f"audit log FAILED verification ({len(report.problems)} problem(s){first})")
        self.stdout.write(
            f"audit log OK: {report.size} entries, {report.tree_heads} signed tree heads consistent ({seconds:.2f} s)"
        )
