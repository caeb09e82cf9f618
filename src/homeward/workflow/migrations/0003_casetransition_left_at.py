"""CaseTransition.left_at: when the case's next transition ended the stay.

`workflow.services.move` sets it from now on; this fills it for the rows already recorded,
the way the stage cycle times paired them before (the next transition of the same case by
time), so the figures are unchanged.
"""

from django.db import migrations, models

BATCH = 2000


def fill_left_at(apps, schema_editor):
    """Each transition's `left_at` is the `at` of the case's next transition (None for the
    latest): one pass over the rows in (case, time) order, written in batches."""
    transition_model = apps.get_model("workflow", "CaseTransition")
    rows = (
        transition_model.objects.order_by("case_id", "at", "pk")
        .values_list("pk", "case_id", "at")
        .iterator(chunk_size=BATCH)
    )
    changed = []
    previous = None
    for pk, case_id, at in rows:
        if previous is not None and previous[1] == case_id:
            changed.append(transition_model(pk=previous[0], left_at=at))
        previous = (pk, case_id)
        if len(changed) >= BATCH:
            transition_model.objects.bulk_update(changed, ["left_at"])
            changed = []
    if changed:
        transition_model.objects.bulk_update(changed, ["left_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0002_task_home_state_reminder"),
    ]

    operations = [
        migrations.AddField(
            model_name="casetransition",
            name="left_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="left the status at"
            ),
        ),
        migrations.RunPython(fill_left_at, migrations.RunPython.noop),
    ]
