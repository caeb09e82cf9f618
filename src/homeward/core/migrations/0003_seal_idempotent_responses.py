"""Seal stored idempotent answers (they may hold a webhook subscription's signing secret).

Stored answers are a one-day cache of replays, not records: the clear ones are deleted (a
retry after this migration runs again, as if its key had expired) and the clear column is
replaced by a sealed one, so no clear copy survives in the table.
"""

from django.db import migrations

import homeward.crypto.fields


def forget_clear_answers(apps, schema_editor):
    apps.get_model("core", "IdempotencyKey").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_idempotencykey"),
    ]

    operations = [
        migrations.RunPython(forget_clear_answers, migrations.RunPython.noop),
        migrations.RemoveField(model_name="idempotencykey", name="response_body"),
        migrations.AddField(
            model_name="idempotencykey",
            name="response_body",
            field=homeward.crypto.fields.EncryptedTextField(
                blank=True, null=True, verbose_name="response body"
            ),
        ),
    ]
