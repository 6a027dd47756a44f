"""Household coordinates become personal data encrypted at rest: copy them into encrypted columns, then swap."""

from django.db import migrations

import pamong.core.fields

COORDINATES = ("latitude", "longitude")


def copy(apps, schema_editor, source: str, target: str) -> None:
    Household = apps.get_model("registry", "Household")
    batch = []
    fields = [f"{c}{target}" for c in COORDINATES]
    for household in Household.objects.only(*(f"{c}{source}" for c in COORDINATES)).iterator(chunk_size=2000):
        for c in COORDINATES:
            setattr(household, f"{c}{target}", getattr(household, f"{c}{source}"))
        batch.append(household)
        if len(batch) == 2000:
            Household.objects.bulk_update(batch, fields)
            batch = []
    if batch:
        Household.objects.bulk_update(batch, fields)


def seal(apps, schema_editor) -> None:
    copy(apps, schema_editor, "", "_sealed")


def unseal(apps, schema_editor) -> None:
    copy(apps, schema_editor, "_sealed", "")


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="household",
            name="latitude_sealed",
            field=pamong.core.fields.EncryptedFloatField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="household",
            name="longitude_sealed",
            field=pamong.core.fields.EncryptedFloatField(blank=True, null=True),
        ),
        migrations.RunPython(seal, unseal),
        migrations.RemoveField(model_name="household", name="latitude"),
        migrations.RemoveField(model_name="household", name="longitude"),
        migrations.RenameField(model_name="household", old_name="latitude_sealed", new_name="latitude"),
        migrations.RenameField(model_name="household", old_name="longitude_sealed", new_name="longitude"),
    ]
