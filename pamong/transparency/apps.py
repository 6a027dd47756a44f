from django.apps import AppConfig


class TransparencyConfig(AppConfig):
    name = "pamong.transparency"
    label = "transparency"
    verbose_name = "Public performance"
