"""Where an application belongs: the most specific region code its facts or form name (pure: no Django)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# The facts that say where an application belongs, most specific first (registry facts before the form).
REGION_FACTS = ("kk_village_code", "kk_district_code", "kk_regency_code", "declared_regency_code")


def region_code_of(facts: Mapping[str, Any] | None, form: Mapping[str, Any] | None = None) -> str:
    """The most specific region code known for an application: from the registry facts, else the form; digits only
    and at most the district level (6). Empty when nothing says where the applicant lives."""
    for source in (facts or {}, form or {}):
        for name in REGION_FACTS:
            value = source.get(name)
            if value:
                code = str(value).replace(".", "").strip()
                if code.isdigit():
                    return code[:6]
    return ""
