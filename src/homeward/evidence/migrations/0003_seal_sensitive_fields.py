"""Seal the sensitive evidence fields (AES-256-GCM, homeward.crypto) and index document numbers.

Each field is moved aside (`<name>_plain`), a sealed column of the same name is added, every
existing row is sealed with its own pk as row identity, and the clear column is dropped. The
database operations use the fields without their Python defaults: a clear default cannot be
written to a sealed column (there is no row to bind it to) and no row needs one.
"""

from django.db import migrations

import homeward.crypto.fields

SEALED = [
    (
        "bestinterestsassessment",
        "child_views",
        homeward.crypto.fields.EncryptedTextField(
            blank=True, max_length=4000, verbose_name="the child's views"
        ),
    ),
    (
        "bestinterestsassessment",
        "factors_considered",
        homeward.crypto.fields.EncryptedTextField(
            blank=True, max_length=4000, verbose_name="factors considered"
        ),
    ),
    (
        "clearance",
        "comments",
        homeward.crypto.fields.EncryptedTextField(
            blank=True, max_length=2000, verbose_name="comments"
        ),
    ),
    (
        "clearance",
        "conditions",
        homeward.crypto.fields.EncryptedTextField(
            blank=True, max_length=2000, verbose_name="conditions"
        ),
    ),
    (
        "courtcase",
        "charges",
        homeward.crypto.fields.EncryptedJSONField(blank=True, default=list, verbose_name="charges"),
    ),
    (
        "dnaresult",
        "conclusion",
        homeward.crypto.fields.EncryptedCharField(
            choices=[
                ("supported", "Supported"),
                ("excluded", "Excluded"),
                ("inconclusive", "Inconclusive"),
            ],
            max_length=14,
            verbose_name="conclusion",
        ),
    ),
    (
        "dnaresult",
        "report_reference",
        homeward.crypto.fields.EncryptedCharField(blank=True, max_length=80, verbose_name="report"),
    ),
    (
        "dnaresult",
        "statistic",
        homeward.crypto.fields.EncryptedFloatField(blank=True, null=True, verbose_name="value"),
    ),
    (
        "incident",
        "description",
        homeward.crypto.fields.EncryptedTextField(max_length=4000, verbose_name="description"),
    ),
    (
        "securityassessment",
        "assessment",
        homeward.crypto.fields.EncryptedTextField(max_length=4000, verbose_name="assessment"),
    ),
    (
        "securityassessment",
        "conditions",
        homeward.crypto.fields.EncryptedTextField(
            blank=True, max_length=2000, verbose_name="conditions"
        ),
    ),
    (
        "traveldocument",
        "number",
        homeward.crypto.fields.EncryptedCharField(max_length=40, verbose_name="number"),
    ),
]


def _bare(field, **changes):
    """`field` without its default (and with `changes`), for the schema operations."""
    _name, _path, args, kwargs = field.deconstruct()
    kwargs.pop("default", None)
    kwargs.update(changes)
    return field.__class__(*args, **kwargs)


def _by_model():
    grouped = {}
    for model, name, _field in SEALED:
        grouped.setdefault(model, []).append(name)
    return grouped


def _rows(model):
    """Every row, fetched in batches of 500 by pk (not a cursor open while rows change)."""
    pks = list(model._base_manager.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), 500):
        yield from model._base_manager.filter(pk__in=pks[start : start + 500])


def seal_rows(apps, schema_editor):
    for model_name, names in _by_model().items():
        model = apps.get_model("evidence", model_name)
        extra = ["number_bidx"] if model_name == "traveldocument" else []
        for row in _rows(model):
            for name in names:
                setattr(row, name, getattr(row, f"{name}_plain"))
            row.save(update_fields=[*names, *extra])


def unseal_rows(apps, schema_editor):
    for model_name, names in _by_model().items():
        model = apps.get_model("evidence", model_name)
        for row in _rows(model):
            for name in names:
                setattr(row, f"{name}_plain", getattr(row, name))
            row.save(update_fields=[f"{name}_plain" for name in names])


def _operations():
    before, after = [], []
    for model, name, field in SEALED:
        plain = f"{name}_plain"
        before += [
            migrations.RenameField(model, name, plain),
            migrations.SeparateDatabaseAndState(
                database_operations=[migrations.AddField(model, name, _bare(field, null=True))],
                state_operations=[migrations.AddField(model, name, _bare(field, null=True))],
            ),
        ]
        after += [
            migrations.RemoveField(model, plain),
            migrations.SeparateDatabaseAndState(
                database_operations=[
                    migrations.AlterField(model, name, _bare(field, null=field.null))
                ],
                state_operations=[migrations.AlterField(model, name, field)],
            ),
        ]
    return before, after


BEFORE, AFTER = _operations()


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="traveldocument",
            name="number_bidx",
            field=homeward.crypto.fields.BlindIndexField(source="number"),
        ),
        *BEFORE,
        migrations.RunPython(seal_rows, unseal_rows),
        *AFTER,
    ]
