"""Personal data held by budget: which auditor dismissed a red flag (accountability of staff actions). Budget lines
hold suppliers' business names as published by the agency; flags show suppliers only by a pseudonymous code.
Kept as long as the flag (the inspectorate's record)."""

from pamong.core.personal_data import PersonalData, declare

declare(
    PersonalData(
        module="budget",
        models=("budget.Flag",),
        retention="as long as the flag (the inspectorate's record of staff actions); no citizen data is stored here",
    )
)
