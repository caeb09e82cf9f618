"""Scoping of every diplomacy model: each role sees exactly its states' rows, or none.

`tests/test_scoping.py::test_every_scoped_model_is_covered` counts the models listed here.
"""

import pytest

from homeward.diplomacy.models import ActionItem, Engagement, FocalPoint, HomeStateProfile

pytestmark = pytest.mark.django_db

DIPLOMACY_SCOPED_MODELS = {
    model._meta.model_name: model
    for model in (HomeStateProfile, FocalPoint, Engagement, ActionItem)
}

# username -> states seen (None: no diplomacy capability)
EXPECTED = {
    "mfa.officer": {"RU", "TJ"},
    "hjc.judge": {"RU", "TJ"},
    "moj.registrar": {"RU", "TJ"},
    "security.liaison": {"RU", "TJ"},
    "consul.ru": {"RU"},
    "consul.tj": {"TJ"},
    "unicef.officer": set(),
    "moh.lab": set(),
    "admin": {"RU", "TJ"},
}

STATE_OF = {
    "homestateprofile": "home_state_id",
    "focalpoint": "profile_id",
    "engagement": "home_state_id",
    "actionitem": "engagement__home_state_id",
}


@pytest.mark.parametrize("username", list(EXPECTED))
def test_each_role_sees_exactly_its_states(users, pairs, username):
    user = users[username]
    for name, model in DIPLOMACY_SCOPED_MODELS.items():
        seen = set(model.objects.for_user(user, "view").values_list(STATE_OF[name], flat=True))
        assert seen == EXPECTED[username], name


@pytest.mark.parametrize("username", ["consul.ru", "hjc.judge", "unicef.officer"])
def test_readers_cannot_change(users, pairs, username):
    for model in DIPLOMACY_SCOPED_MODELS.values():
        assert not model.objects.for_user(users[username], "change").exists()
