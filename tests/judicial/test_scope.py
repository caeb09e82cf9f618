"""Requests for evidence and what was sent are scoped by the requesting state."""

import pytest

from homeward.judicial.models import EvidenceRequest, EvidenceTransmission
from tests.adults.conftest import adult_pairs
from tests.judicial.conftest import judicial_pairs

JUDICIAL_SCOPED_MODELS = {
    "evidencerequest": EvidenceRequest,
    "evidencetransmission": EvidenceTransmission,
}

EXPECTED = {
    "admin": {"RU", "TJ"},
    "mfa.officer": {"RU", "TJ"},
    "hjc.judge": {"RU", "TJ"},
    "auditor": {"RU", "TJ"},
    "consul.ru": {"RU"},
    "consul.tj": {"TJ"},
    "moj.registrar": set(),
    "unicef.officer": set(),
}


@pytest.fixture
def pairs(users, registry):
    from homeward.adults.models import AdultCase

    return judicial_pairs(users, adult_pairs(users, registry)[AdultCase])


@pytest.mark.parametrize(("username", "states"), EXPECTED.items())
def test_a_state_sees_its_own_requests_only(users, pairs, username, states):
    user = users[username]
    requests = EvidenceRequest.objects.for_user(user, "view")
    assert sorted(requests.values_list("home_state_id", flat=True)) == sorted(states)
    assert requests.count() == len(states)
    sent = EvidenceTransmission.objects.for_user(user, "view")
    assert sorted(sent.values_list("request__home_state_id", flat=True)) == sorted(states)


def test_another_states_request_is_404_and_absent_from_the_list(client, users, pairs):
    ru, tj = pairs[EvidenceRequest]
    client.force_login(users["consul.ru"])
    assert client.get(f"/judicial/requests/{ru.pk}/").status_code == 200
    assert client.get(f"/judicial/requests/{tj.pk}/").status_code == 404
    listing = client.get("/judicial/requests/").content.decode()
    assert ru.their_reference in listing and tj.their_reference not in listing
