"""The disclosure log is scoped like the case, and read only with its capability."""

import pytest

from homeward.disclosures.models import Disclosure
from tests.disclosures.conftest import disclosure_pairs

DISCLOSURE_SCOPED_MODELS = {"disclosure": Disclosure}

# username -> the states whose disclosures they see
EXPECTED = {
    "mfa.officer": {"RU", "TJ"},
    "auditor": {"RU", "TJ"},
    "admin": {"RU", "TJ"},
    "consul.ru": set(),
    "consul.tj": set(),
    "hjc.judge": set(),
    "unicef.officer": set(),
}


@pytest.mark.parametrize(("username", "states"), EXPECTED.items())
def test_for_user_returns_the_disclosures_in_scope(users, registry, username, states):
    # given one disclosure about each state's child
    disclosure_pairs(users, registry)
    # when narrowed to the user
    seen = Disclosure.objects.for_user(users[username], "view")
    # then exactly the expected states' rows remain
    assert sorted(row.case.home_state_id for row in seen) == sorted(states)


def test_a_restricted_officer_sees_only_own_states_disclosures(users, registry):
    ru, _tj = disclosure_pairs(users, registry)[Disclosure]
    auditor = users["auditor"]
    auditor.all_home_states = False
    auditor.save(update_fields=["all_home_states"])
    auditor.home_states.set(["RU"])
    assert list(Disclosure.objects.for_user(type(auditor).objects.get(pk=auditor.pk))) == [ru]
