"""Every write to these tables gives the "rules" generation a new token (pamong.core.generations, ADR 64)."""

from django.db import migrations

from pamong.core.generations import watch


class Migration(migrations.Migration):
    dependencies = [("catalog", "0006_pack_rule_versions"), ("core", "0001_initial")]

    operations = [watch("rules", ["catalog_service", "catalog_packruleversion"])]
