"""The solver's conflicts in words (Bahasa Indonesia through Django i18n): what cannot hold and what to change."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from pamong.core.formatting import format_date

from .models import Function


def function_label(function: str) -> str:
    return str(Function(function).label) if function in Function.values else function


def conflict_text(conflict: dict, *, first_day: dt.date, names: dict) -> str:
    """One conflict (a solver.Conflict as a dict) as a sentence naming the day, the function and the people."""

    def people(keys) -> str:
        return ", ".join(str(names.get(str(key), key)) for key in keys) or _("nobody")

    day = (
        format_date(first_day + dt.timedelta(days=conflict["day"])) if conflict.get("day") is not None else ""
    )
    function = function_label(conflict.get("function", ""))
    kind = conflict["kind"]
    if kind == "not_enough_people":
        return _(
            "%(day)s, %(shift)s shift, %(function)s: fewer than two trained people can be there (a primary and a "
            "backup are needed). Available: %(available)s. Trained but away or off that day: %(away)s. Train "
            "someone else for this function or move a leave."
        ) % {
            "day": day,
            "shift": conflict.get("shift", ""),
            "function": function,
            "available": people(conflict.get("available", ())),
            "away": people(conflict.get("people", ())),
        }
    if kind == "on_call_cap":
        needed = (conflict.get("available") or [None])[0]
        return _(
            "The week from %(day)s needs %(needed)s on-call hours, more than everyone together may give under the "
            "cap of %(cap)s hours a week. Raise the cap, add trained staff, or cover fewer functions."
        ) % {"day": day, "needed": needed if needed is not None else "?", "cap": conflict.get("value")}
    if kind == "leave":
        return _("The leave of %(people)s cannot be covered together with the other constraints.") % {
            "people": people(conflict.get("people", ()))
        }
    if kind == "pattern":
        return _("The working days of %(people)s leave a day shift without cover.") % {
            "people": people(conflict.get("people", ()))
        }
    if kind == "rest":
        return _(
            "The rest of at least %(hours)s hours between two shifts cannot be kept with so few people: a night "
            "shift blocks the next day."
        ) % {"hours": conflict.get("value")}
    if kind == "cover":
        return _("Function %(function)s cannot be covered around the clock with a primary and a backup.") % {
            "function": function
        }
    if kind == "only_backup" and not conflict.get("people"):
        return _(
            "Nobody may be anybody's only backup, but with so few trained people someone who is primary twice or "
            "more would always have the same backup. Train more people for this function or plan fewer days."
        )
    if kind == "only_backup":
        return _("%(people)s: one person is the only backup of the other. Change one of their shifts.") % {
            "people": people(conflict.get("people", ()))
        }
    if kind == "unfair":
        return _("Weekends and holidays are not shared fairly: Gini %(value)s (target at most 0.2).") % {
            "value": conflict.get("value")
        }
    return kind
