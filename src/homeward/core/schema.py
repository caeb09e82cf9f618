"""Schema operations the apps' migrations share.

`drop_pattern_indexes`: on PostgreSQL, Django gives every indexed or unique text column (and
every foreign key to a text key, such as a home state's code) a second index with
`varchar_pattern_ops`, which serves only `LIKE 'prefix%'`. Columns that are only ever
compared whole (hashes, record ids, state codes) pay for it on every insert and never use
it: an import of 100,000 children spent about a third of the audit trail's write in the two
on the audit hashes (bench/imports).
"""

from django.db import migrations

__all__ = ["drop_pattern_indexes"]


def drop_pattern_indexes(app_label: str, model_name: str, *field_names: str):
    """A migration operation dropping the `_like` indexes of `field_names` (PostgreSQL only;
    undone by creating them as Django does)."""

    def fields(apps):
        model = apps.get_model(app_label, model_name)
        return model, [model._meta.get_field(name) for name in field_names]

    def forward(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        model, found = fields(apps)
        for field in found:
            name = schema_editor._create_index_name(
                model._meta.db_table, [field.column], suffix="_like"
            )
            schema_editor.execute(schema_editor._delete_index_sql(model, name))

    def backward(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        model, found = fields(apps)
        for field in found:
            statement = schema_editor._create_like_index_sql(model, field)
            if statement is not None:
                schema_editor.execute(statement)

    return migrations.RunPython(forward, backward, elidable=False)
