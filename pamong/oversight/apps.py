from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "pamong.oversight"
    label = "oversight"
    verbose_name = "Oversight"
