from django.apps import AppConfig


class StaffingConfig(AppConfig):
    name = "pamong.staffing"
    label = "staffing"
    verbose_name = "Staffing"
