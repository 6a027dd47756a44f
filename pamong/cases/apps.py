from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "pamong.cases"
    label = "cases"
    verbose_name = "Permohonan dan keputusan"
