"""Imported records are found by their whole id: PostgreSQL's pattern index on it only cost
every import (core.schema.drop_pattern_indexes)."""

from django.db import migrations

from homeward.core.schema import drop_pattern_indexes


class Migration(migrations.Migration):
    dependencies = [("imports", "0001_initial")]

    operations = [drop_pattern_indexes("imports", "ImportedRecord", "object_id")]
