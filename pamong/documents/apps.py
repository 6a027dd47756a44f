from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "pamong.documents"
    label = "documents"
    verbose_name = "Dokumen dan surat keputusan"

    def ready(self) -> None:
        from pamong.cases import events, letters, vault

        from . import selectors, services
        from . import vault as documents_vault

        # A letter for each final decision: cases publishes it through its port, in the decision's transaction.
        events.subscribe(services.on_application_change)
        # The case pages ask through cases' port whether a letter exists (and link it by URL name).
        letters.install(selectors.letter_summary)
        # A counter prints the signed letter of a notice no channel could deliver, through the same port.
        letters.install_pdf(selectors.letter_number_and_pdf)
        # The application form offers what the citizen's vault holds (once-only), through cases' port.
        vault.install(documents_vault.VaultProvider())
