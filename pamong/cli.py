"""The `pamong` command: a thin wrapper around Django's manage.py with words an operator remembers.

pamong serve [--port 8000]     serve the site (development server with static files)
pamong demo                    migrate and load the demo data (packs, accounts)
pamong packs check [PATH ...]  validate service packs; every problem with file, line and field
pamong audit verify            recompute the audit log and its signed tree heads
pamong retention apply [--dry-run]  remove personal data past its retention period
pamong clients create --agency SLUG --name NAME --scope S ...  a machine client (prints its secret once)
pamong <django command> ...    anything manage.py knows (migrate, createsuperuser, shell, ...)
"""

from __future__ import annotations

import os
import sys

# Two-word commands map to management commands named word1_word2 (e.g. "packs check" -> packs_check).
TWO_WORD_GROUPS = {"packs", "audit", "keys", "registry", "retention", "clients"}


def translate(argv: list[str]) -> list[str]:
    if len(argv) >= 2 and argv[0] in TWO_WORD_GROUPS:
        return [f"{argv[0]}_{argv[1]}", *argv[2:]]
    if argv and argv[0] in TWO_WORD_GROUPS:
        return [f"{argv[0]}_help"]
    return argv or ["help"]


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pamong.settings.local")
    from django.core.management import execute_from_command_line

    args = translate(list(sys.argv[1:] if argv is None else argv))
    if args == ["help"] or args[0] in {"-h", "--help"}:
        print(__doc__)
        return
    execute_from_command_line(["pamong", *args])


if __name__ == "__main__":
    main()
