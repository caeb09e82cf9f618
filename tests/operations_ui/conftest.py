"""Operations pages fixtures: the scoped pairs of ops-core, and a Russian flight with a family."""

import pytest

from tests.operations.conftest import DAY, operations_pairs  # noqa: F401  (re-exported)


@pytest.fixture
def pairs(users, registry):
    return operations_pairs(users, registry)
