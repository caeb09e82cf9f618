"""Scoping of the duplicate review models: a pair or a merge is seen only with both records.

`tests/test_scoping.py::test_every_scoped_model_is_covered` counts the models listed here.
"""

import pytest

from homeward.matching.models import DuplicateCandidate, MergeRecord, TracingMatch, TracingRequest
from homeward.matching.services import merge_people
from tests.conftest import register

pytestmark = pytest.mark.django_db

MATCHING_SCOPED_MODELS = {
    model._meta.model_name: model
    for model in (DuplicateCandidate, MergeRecord, TracingRequest, TracingMatch)
}


def _pair(first, second, score=0.9):
    left, right = sorted([first, second], key=lambda person: str(person.pk))
    return DuplicateCandidate.objects.create(left=left, right=right, score=score)


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("consul.ru", {"ru"}),
        ("consul.tj", {"tj"}),
        ("mfa.officer", {"ru", "tj", "mixed"}),
        ("moh.lab", {"ru", "tj", "mixed"}),  # reads the registry for DNA work
    ],
)
def test_each_role_sees_the_pairs_and_merges_of_its_states(users, registry, username, expected):
    # given a Russian pair, a Tajik pair, a mixed pair and a merge of each state
    officer = users["mfa.officer"]
    ru_again = register(officer, name="Хадижат Гусейнова", state="RU")
    tj_again = register(officer, name="Фатима Рахимова", state="TJ")
    pairs = {
        "ru": _pair(registry["ru_child"], ru_again),
        "tj": _pair(registry["tj_child"], tj_again),
        "mixed": _pair(registry["ru_child"], registry["tj_child"]),
    }
    merges = {
        "ru": merge_people(registry["ru_child"], ru_again, actor=officer, reason="same"),
        "tj": merge_people(registry["tj_child"], tj_again, actor=officer, reason="same"),
    }
    user = users[username]
    # when narrowed to the user
    seen_pairs = set(DuplicateCandidate.objects.for_user(user).values_list("pk", flat=True))
    seen_merges = set(MergeRecord.objects.for_user(user).values_list("pk", flat=True))
    # then exactly the user's states (a mixed pair only for those who see both)
    assert seen_pairs == {pairs[key].pk for key in expected}
    assert seen_merges == {merges[key].pk for key in expected if key in merges}


def test_a_tracing_request_and_its_matches_belong_to_the_state_it_concerns(users, registry):
    from tests.matching.test_tracing import file_request

    # given a Russian request and a Tajik one, each matching its own state's child
    requests = {
        "RU": file_request(users["consul.ru"]),
        "TJ": file_request(users["mfa.officer"], state="TJ", child_name="Фатима Рахимова"),
    }
    for code, request in requests.items():
        # when narrowed to one state / then only that state's request and matches are kept
        kept = TracingRequest.objects.filter(TracingRequest.scope_filter([code]))
        assert list(kept) == [request]
        matches = TracingMatch.objects.filter(TracingMatch.scope_filter([code]))
        # (a match with another state's person stays hidden: only the request's own are kept)
        assert matches.exists() and {match.request_id for match in matches} == {request.pk}
