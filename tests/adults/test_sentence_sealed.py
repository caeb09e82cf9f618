"""An adult's sentence is a sealed criminal record (security reference §5.2.5).

The adult cases export shows the "sentence" column only to holders of
`evidence.view_criminal_record`; the adult case page, the list page and the API decide the
same way: the kind of sentence (on the case and in its legal track) is shown to the grant's
holders and withheld from every other reader. The expected release date is not sealed (the
export shows it to every reader: releases due are what returns are planned around).
"""

import pytest
from django.urls import reverse

from homeward.accounts import capabilities as cap
from tests.adults.conftest import convicted_case, days_ahead
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db

SENTENCE = "Life imprisonment"


@pytest.fixture
def life(users, registry):
    """The Russian mother's adult case: convicted to life imprisonment."""
    return convicted_case(users["mfa.officer"], registry["ru_mother"], "RU", kind="life")


@pytest.fixture
def fixed(users, registry):
    """The same mother convicted to a fixed term, released in 40 days."""
    return convicted_case(users["mfa.officer"], registry["ru_mother"], "RU")


def test_the_grants_holders_and_the_others_are_who_the_tests_say(users):
    # given the readers used below / then only the registrar and the judge hold the grant
    holders = {
        name
        for name in ("moj.registrar", "hjc.judge", "mfa.officer", "consul.ru", "auditor")
        if users[name].has_capability(cap.VIEW_CRIMINAL_RECORD)
    }
    assert holders == {"moj.registrar", "hjc.judge"}


@pytest.mark.parametrize(
    ("username", "sentence"),
    [("moj.registrar", "fixed_term"), ("mfa.officer", None), ("consul.ru", None)],
)
def test_api_answers_the_sentence_to_the_grants_holders_only(users, fixed, username, sentence):
    # given a reader of adult cases, with or without the criminal-record grant
    api = client_for(users[username])
    # when it reads the case and the list
    one = api.get(f"/api/v1/adult-cases/{fixed.pk}/")
    listed = api.get("/api/v1/adult-cases/")
    # then the sentence is there only for the holder; the release date for every reader
    assert one.status_code == listed.status_code == 200
    [row] = listed.json()["results"]
    for body in (one.json(), row):
        assert body["id"] == str(fixed.pk)
        assert body["sentence_kind"] == sentence
        assert body["expected_release_on"] == days_ahead(40).isoformat()
        assert body["legal_status"] == "convicted"


def test_a_write_answers_without_the_sentence_to_a_writer_without_the_grant(users, fixed):
    # given the officer (changes adult cases, does not hold the grant)
    api = client_for(users["mfa.officer"])
    # when it records a commutation to life imprisonment
    response = api.post(
        f"/api/v1/adult-cases/{fixed.pk}/legal-status/",
        {
            "expected_version": fixed.version,
            "legal_status": "commuted",
            "on": days_ahead(0).isoformat(),
            "sentence_kind": "life",
        },
        format="json",
    )
    # then it is recorded, and the answer withholds it as a read would
    assert response.status_code == 200, response.content
    assert (response.json()["legal_status"], response.json()["sentence_kind"]) == (
        "commuted",
        None,
    )
    fixed.refresh_from_db()
    assert fixed.sentence_kind == "life"


def test_the_case_page_shows_the_sentence_to_the_grants_holder(client, users, life):
    # given the registrar, who holds the grant
    client.force_login(users["moj.registrar"])
    # when it opens the adult case
    page = client.get(reverse("adults:adult_case_detail", kwargs={"pk": life.pk}))
    # then the sentence is in the heading and in the legal track
    text = page.content.decode()
    assert page.status_code == 200
    assert f"· {SENTENCE}" in text
    assert f"({SENTENCE})" in text


@pytest.mark.parametrize("username", ["mfa.officer", "consul.ru", "auditor"])
def test_the_case_page_withholds_the_sentence_from_other_readers(client, users, life, username):
    # given a reader of adult cases without the grant
    client.force_login(users[username])
    # when it opens the adult case
    page = client.get(reverse("adults:adult_case_detail", kwargs={"pk": life.pk}))
    # then the case is there, its sentence nowhere
    text = page.content.decode()
    assert page.status_code == 200
    assert life.reference in text
    assert SENTENCE not in text


@pytest.mark.parametrize(("username", "shown"), [("moj.registrar", True), ("mfa.officer", False)])
def test_the_list_page_shows_the_sentence_as_the_export_does(client, users, life, username, shown):
    # given a reader with or without the grant
    client.force_login(users[username])
    # when it opens the adult cases list
    page = client.get(reverse("adults:adult_case_list"))
    # then the case is listed, with its sentence only for the holder
    text = page.content.decode()
    assert page.status_code == 200
    assert life.reference in text
    assert (SENTENCE in text) is shown
