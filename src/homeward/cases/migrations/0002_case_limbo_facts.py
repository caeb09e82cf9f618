"""Case.held_since and Case.handed_over_at: the stored limbo facts (cases.facts).

The services keep them from now on; this fills them for the cases already recorded with
the same UPDATE the services run, so time in limbo is unchanged.
"""

from django.db import migrations, models


def fill(apps, schema_editor):
    from homeward.cases.facts import fill_limbo_facts

    case_model = apps.get_model("cases", "Case")
    fill_limbo_facts(
        case_model.objects.all(),
        apps.get_model("people", "CustodyEpisode"),
        apps.get_model("operations", "ManifestEntry"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("people", "0004_person_merged_at_person_merged_into"),
        ("operations", "0002_postponed_without_a_date"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="handed_over_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="handed over at"
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="held_since",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="held since"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
