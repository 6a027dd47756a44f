from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "pamong.oversight"
    label = "oversight"
    verbose_name = "Oversight"

    def ready(self) -> None:
        # Oversight sits above cases: it plugs itself into the decision path's port instead of being imported.
        from pamong.cases import safeguards as port

        from .safeguards import OversightSafeguards

        port.install(OversightSafeguards())
