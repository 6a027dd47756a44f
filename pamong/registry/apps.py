from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "pamong.registry"
    label = "registry"
    verbose_name = "Registri dan data rujukan"
