"""Compute the matching keys of the names recorded before the matching app existed."""

from django.db import migrations


def backfill(apps, schema_editor):
    # The name rules are pure functions of the text, so they can run on historical models.
    from homeward.matching.names import parse_name

    PersonName = apps.get_model("people", "PersonName")
    NameKey = apps.get_model("matching", "NameKey")
    rows = []
    for name in PersonName.objects.all().iterator(chunk_size=1000):
        parsed = parse_name(
            name.full_text,
            script=name.script,
            given=name.given,
            father=name.father,
            grandfather=name.grandfather,
            family=name.family,
            name_type=name.name_type,
        )
        parts = {
            "given": parsed.given,
            "family": parsed.family,
            "father": (*parsed.father, *parsed.grandfather),
            "kunya": parsed.kunya,
        }
        pairs = {
            (part, key[:40])
            for part, tokens in parts.items()
            for item in tokens
            for key in item.keys
        }
        rows.extend(
            NameKey(person_id=name.person_id, name_id=name.pk, part=part, key=key)
            for part, key in sorted(pairs)
        )
        if len(rows) >= 5000:
            NameKey.objects.bulk_create(rows)
            rows = []
    NameKey.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [("matching", "0001_initial")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
