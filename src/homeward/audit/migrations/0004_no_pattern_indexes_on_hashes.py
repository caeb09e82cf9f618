"""The audit hashes are compared whole: PostgreSQL's pattern indexes on them only cost every
append (core.schema.drop_pattern_indexes)."""

from django.db import migrations

from homeward.core.schema import drop_pattern_indexes


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_head_advances_over_a_linked_batch")]

    operations = [drop_pattern_indexes("audit", "AuditEvent", "hash", "prev_hash")]
