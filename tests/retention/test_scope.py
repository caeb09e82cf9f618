"""Scoping of legal holds: a hold is seen where its case is, and only with the hold grant.

`tests/test_scoping.py::test_every_scoped_model_is_covered` counts the models listed here.
"""

import pytest

from homeward.retention.models import LegalHold
from homeward.retention.services import place_legal_hold

pytestmark = pytest.mark.django_db

RETENTION_SCOPED_MODELS = {"legalhold": LegalHold}


@pytest.fixture
def holds(supervisor, registry):
    return {
        state: place_legal_hold(registry[key].case, actor=supervisor, reason="Inquiry")
        for state, key in (("RU", "ru_child"), ("TJ", "tj_child"))
    }


def test_a_supervisor_manages_every_states_holds(supervisor, holds):
    seen = LegalHold.objects.for_user(supervisor, "manage")
    assert sorted(seen.values_list("case__home_state_id", flat=True)) == ["RU", "TJ"]


def test_a_supervisor_limited_to_russia_sees_only_russian_holds(supervisor, holds):
    supervisor.all_home_states = False
    supervisor.save(update_fields=["all_home_states"])
    supervisor.home_states.add("RU")
    user = type(supervisor).objects.get(pk=supervisor.pk)
    assert list(LegalHold.objects.for_user(user, "manage")) == [holds["RU"]]


@pytest.mark.parametrize("username", ["mfa.officer", "auditor", "consul.ru", "hjc.judge"])
def test_no_other_role_sees_a_hold(users, holds, username):
    for action in ("view", "manage", "change"):
        assert not LegalHold.objects.for_user(users[username], action).exists()
