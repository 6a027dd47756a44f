"""Personal data held by oversight: which staff member opened or closed a breaker, wrote or approved a rule draft,
or started a job (accountability of staff actions), and per-decision observations that point at applications.
Kept as long as the oversight record; a citizen's own data is exported and cleared through cases."""

from pamong.core.personal_data import PersonalData, declare

declare(
    PersonalData(
        module="oversight",
        models=(
            "oversight.CircuitBreaker",
            "oversight.RuleSetDraft",
            "oversight.Job",
            "oversight.DecisionObservation",
        ),
        retention="as long as the oversight record (staff accountability); no citizen content is stored here",
    )
)
