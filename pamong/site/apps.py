from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "pamong.site"
    label = "pamong_site"
    verbose_name = "Pamong site"
