"""Every write to these tables gives the "rules" generation a new token (pamong.core.generations, ADR 64)."""

from django.db import migrations

from pamong.core.generations import watch


class Migration(migrations.Migration):
    dependencies = [("oversight", "0002_draft_origin"), ("core", "0001_initial")]

    operations = [watch("rules", ["oversight_rulesetdraft", "oversight_circuitbreaker"])]
