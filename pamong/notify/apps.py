from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "pamong.notify"
    label = "notify"
    verbose_name = "Notifikasi"
