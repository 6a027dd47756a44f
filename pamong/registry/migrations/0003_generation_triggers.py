"""Every write to these tables gives the "reference" generation a new token (pamong.core.generations, ADR 64)."""

from django.db import migrations

from pamong.core.generations import watch


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_encrypt_household_coordinates"), ("core", "0001_initial")]

    operations = [watch("reference", ["registry_referencedataset", "registry_povertyline", "registry_kblirisk"])]
