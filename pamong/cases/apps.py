from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "pamong.cases"
    label = "cases"
    verbose_name = "Permohonan dan keputusan"

    def ready(self) -> None:
        # Cases sits above staffing: it listens on staffing's "officer unavailable" port instead of being imported.
        from pamong.staffing import ports

        from .services.handover import count_claimed_by, release_claims_of

        ports.install("cases", release_claims_of)
        ports.install_counter("cases", count_claimed_by)
