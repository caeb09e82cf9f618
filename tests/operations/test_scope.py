"""Scoping of every operations model: each row belongs to its operation's or case's state.

`tests/test_scoping.py::test_every_scoped_model_is_covered` counts the models listed here.
"""

import pytest

from homeward.operations import models

pytestmark = pytest.mark.django_db

OPERATIONS_SCOPED_MODELS = {
    model._meta.model_name: model
    for model in (
        models.Operation,
        models.OperationDateChange,
        models.OperationMember,
        models.ManifestEntry,
        models.Handover,
        models.HandoverItem,
        models.Reconciliation,
        models.FollowUpReport,
        models.Arrival,
    )
}


@pytest.mark.parametrize("code", ["RU", "TJ"])
def test_scope_filter_keeps_exactly_one_states_rows(pairs, code):
    for model, (ru_row, tj_row) in pairs.items():
        kept = list(model.objects.filter(model.scope_filter([code])))
        assert kept == [ru_row if code == "RU" else tj_row], model.__name__


def test_a_superuser_sees_every_states_rows(users, pairs):
    for model, rows in pairs.items():
        seen = set(model.objects.for_user(users["admin"], "view"))
        assert seen == set(rows), model.__name__
