"""The `pamong` command: a thin wrapper around Django's manage.py with words an operator remembers.

pamong serve [--port 8000]     serve the site: gunicorn and the job worker beside it (--dev: reloading server)
pamong worker                  the background-job worker on its own (deadlines, notifications, tree heads)
pamong setup --packs PATH --admin USERNAME --admin-agency SLUG
                               a fresh database to a working site: migrations, static files, packs, first admin
pamong demo                    migrate and load the demo data (packs, accounts)
pamong packs check [PATH ...]  validate service packs; every problem with file, line and field
pamong packs load [PATH ...]   validate, then load agencies and service packs (nothing loaded if any problem)
pamong audit verify            recompute the audit log and its signed tree heads
pamong retention apply [--dry-run]  remove personal data past its retention period
pamong clients create --agency SLUG --name NAME --scope S ...  a machine client (prints its secret once)
pamong budget import FILE --agency SLUG  import a budget/realisation CSV or OCDS JSON; problems by file, line, field
pamong budget flag             run the budget red flags; new ones go to the inspectorate's (APIP) queue
pamong <django command> ...    anything manage.py knows (migrate, createsuperuser, shell, ...)
"""

from __future__ import annotations

import os
import sys

# Two-word commands map to management commands named word1_word2 (e.g. "packs check" -> packs_check).
TWO_WORD_GROUPS = {"packs", "audit", "keys", "registry", "retention", "clients", "budget"}


def translate(argv: list[str]) -> list[str]:
    if len(argv) >= 2 and argv[0] in TWO_WORD_GROUPS and not argv[1].startswith("-"):
        return [f"{argv[0]}_{argv[1]}", *argv[2:]]
    return argv or ["help"]


def group_help(group: str) -> str:
    """The subcommands of a two-word group (`pamong packs`), each with its first line of help."""
    from django.core.management import get_commands, load_command_class

    lines = [
        f"pamong {group} <subcommand> [options]   (pamong {group} <subcommand> --help for its options)",
        "",
    ]
    for name, app in sorted(get_commands().items()):
        if name.startswith(f"{group}_"):
            command = load_command_class(app, name)
            lines.append(f"  pamong {group} {name.removeprefix(group + '_'):<10} {command.help}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pamong.settings.local")
    if os.environ.get("PAMONG_DIE_WITH_PARENT"):  # started by `pamong serve`: never outlive it
        from pamong.core.management.commands.serve import die_with_parent

        die_with_parent()
    from django.core.management import execute_from_command_line

    raw = list(sys.argv[1:] if argv is None else argv)
    args = translate(raw)
    if args == ["help"] or args[0] in {"-h", "--help"}:
        print(__doc__)
        return
    if args[0] in TWO_WORD_GROUPS:  # a group alone, or with --help
        import django

        django.setup()
        print(group_help(args[0]))
        return
    execute_from_command_line(["pamong", *args])


if __name__ == "__main__":
    main()
