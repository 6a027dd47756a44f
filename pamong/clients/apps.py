from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "pamong.clients"
    label = "clients"
    verbose_name = "Sistem lain sebagai klien"

    def ready(self) -> None:
        from pamong.cases import events

        from . import services

        # Webhooks: cases publishes each status change and decision through its port (pamong.cases.events).
        events.subscribe(services.on_application_change)
