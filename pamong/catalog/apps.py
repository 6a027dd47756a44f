from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "pamong.catalog"
    label = "catalog"
    verbose_name = "Katalog layanan"
