"""Personal data held by staffing: staff members' working patterns, leave and sick days (health-adjacent: only
the kind and the dates, never a diagnosis), rota assignments and swaps, and the notices routed to them (whose
content is encrypted at rest). Exported to the staff member; routed notices expire after a year; the rest is
kept as long as the staff record (who covered what is accountability)."""

from __future__ import annotations

import datetime as dt

from pamong.core.personal_data import PersonalData, declare

from .models import Leave, StaffNotice, WorkingPattern

NOTICE_RETENTION = dt.timedelta(days=365)


def export(user) -> dict:
    row = WorkingPattern.objects.filter(user=user).first()
    pattern = row and {
        "time_zone": row.time_zone,
        "weekdays": row.weekdays,
        "hours": f"{str(row.start)[:5]}-{str(row.end)[:5]}",
        "flexible": row.flexible,
        "core_hours": f"{str(row.core_start)[:5]}-{str(row.core_end)[:5]}",
        "functions": row.functions,
    }
    leave = [
        {"kind": kind, "first_day": first.isoformat(), "last_day": last.isoformat()}
        for kind, first, last in Leave.objects.filter(user=user).values_list("kind", "first_day", "last_day")
    ]
    notices = [
        {
            "urgency": n.urgency,
            "template": n.template,
            "created_at": n.created_at.isoformat(),
            "status": n.status,
        }
        for n in StaffNotice.objects.filter(recipient=user)
    ]
    if not (pattern or leave or notices):
        return {}
    return {"staffing": {"pattern": pattern, "leave": leave, "notices": notices}}


def expire(now: dt.datetime, dry_run: bool) -> dict[str, int]:
    old = StaffNotice.objects.filter(created_at__lt=now - NOTICE_RETENTION)
    count = old.count()
    if not dry_run:
        old.delete()
    return {"staff_notices": count}


declare(
    PersonalData(
        module="staffing",
        models=(
            "staffing.WorkingPattern",
            "staffing.Leave",
            "staffing.Rota",
            "staffing.Shift",
            "staffing.SwapRequest",
            "staffing.StaffNotice",
        ),
        retention="routed notices one year; patterns, leave and rota assignments as long as the staff record",
        export=export,
        expire=expire,
    )
)
