"""Every write to the subscriptions gives the "webhooks" generation a new token (pamong.core.generations, ADR 64)."""

from django.db import migrations

from pamong.core.generations import watch


class Migration(migrations.Migration):
    dependencies = [("clients", "0001_initial"), ("core", "0001_initial")]

    operations = [watch("webhooks", ["clients_webhooksubscription"])]
