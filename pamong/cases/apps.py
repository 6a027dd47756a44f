from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "pamong.cases"
    label = "cases"
    verbose_name = "Permohonan dan keputusan"

    def ready(self) -> None:
        # Cases sits above staffing: it listens on staffing's "officer unavailable" port and reports its deadlines
        # to staffing's warning job instead of being imported.
        from pamong.staffing import ports

        from .services.handover import count_claimed_by, deadlines_after, release_claims_of

        ports.install("cases", release_claims_of)
        ports.install_counter("cases", count_claimed_by)
        ports.install_deadlines("cases", deadlines_after)
