from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class PrivacyConfig(AppConfig):
    name = "pamong.privacy"
    label = "privacy"
    verbose_name = "Personal data"

    def ready(self) -> None:
        autodiscover_modules("personal_data")  # each app's personal_data.py declares what it holds
