from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pamong.catalog.packs import read_pack_set


class Command(BaseCommand):
    help = "Validate service packs (agencies.yaml, each service.yaml, rule sets). Changes nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="*", help="pack directories, or the packs root (default: PAMONG_PACKS_DIR)"
        )

    def handle(self, *args, paths: list[str], **options):
        root, only = resolve(paths)
        pack_set = read_pack_set(root, only=only)
        for problem in pack_set.problems:
            self.stderr.write(str(problem))
        if pack_set.problems:
            raise CommandError(f"{len(pack_set.problems)} problem(s) found in {root}", returncode=1)
        self.stdout.write(
            f"OK: {len(pack_set.agencies)} agencies, {len(pack_set.packs)} service packs in {root}"
        )


def resolve(paths: list[str]) -> tuple[Path, list[Path] | None]:
    """A packs root (has agencies.yaml), or pack directories inside one."""
    if not paths:
        return Path(settings.PACKS_DIR), None
    chosen = [Path(path).resolve() for path in paths]
    for path in chosen:
        if not path.is_dir():
            raise CommandError(f"{path}: not a directory", returncode=2)
    if len(chosen) == 1 and (chosen[0] / "agencies.yaml").exists():
        return chosen[0], None
    roots = {path.parent for path in chosen}
    if len(roots) != 1:
        raise CommandError("all pack directories must be in one packs root", returncode=2)
    return roots.pop(), chosen
