"""Phone numbers become personal data encrypted at rest: widen the column, then encrypt the numbers already
stored (rows written before this migration hold plaintext)."""

from django.db import migrations

import pamong.core.fields


def encrypt_existing(apps, schema_editor):
    from pamong.core import crypto

    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, phone FROM notify_preference")
        rows = cursor.fetchall()
        for pk, phone in rows:
            if phone is None or phone.startswith("v1:"):
                continue
            cursor.execute(
                "UPDATE notify_preference SET phone = %s WHERE id = %s", [crypto.encrypt(phone), pk]
            )


class Migration(migrations.Migration):
    dependencies = [
        ("notify", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="preference",
            name="phone",
            field=pamong.core.fields.EncryptedTextField(blank=True, default=""),
        ),
        migrations.RunPython(encrypt_existing, migrations.RunPython.noop),
    ]
