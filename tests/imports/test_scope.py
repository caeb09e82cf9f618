"""Scoping of the import models: a consul's batch, its rows and its records stay with its state.

`tests/test_scoping.py::test_every_scoped_model_is_covered` counts the models listed here.
"""

import pytest

from homeward.imports.models import ImportBatch, ImportedRecord, ImportRow
from tests.imports.conftest import import_batch

pytestmark = pytest.mark.django_db

IMPORT_SCOPED_MODELS = {
    model._meta.model_name: model for model in (ImportBatch, ImportRow, ImportedRecord)
}


def test_a_batch_its_rows_and_its_records_belong_to_the_consuls_state(users):
    # given a Russian consul's batch and a Tajik consul's batch, each with a record
    batches = {code: import_batch(users[f"consul.{code.lower()}"]) for code in ("RU", "TJ")}
    records = {
        code: ImportedRecord.objects.create(
            batch=batch, row=batch.rows.get(), model="people.person", object_id=code
        )
        for code, batch in batches.items()
    }
    for code, batch in batches.items():
        # when narrowed to one state / then exactly that state's rows are kept
        assert list(ImportBatch.objects.filter(ImportBatch.scope_filter([code]))) == [batch]
        assert list(ImportRow.objects.filter(ImportRow.scope_filter([code]))) == [batch.rows.get()]
        kept = list(ImportedRecord.objects.filter(ImportedRecord.scope_filter([code])))
        assert kept == [records[code]]
