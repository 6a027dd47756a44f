from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "pamong.complaints"
    label = "complaints"
    verbose_name = "Complaints"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Complaints sits above staffing: it reports its answer deadlines to staffing's warning job (a port).
        from pamong.staffing import ports

        from .selectors import deadlines_after

        ports.install_deadlines("complaints", deadlines_after)
