from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "pamong.audit"
    label = "audit"
    verbose_name = "Log audit"
