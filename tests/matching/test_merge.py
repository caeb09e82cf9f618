"""Duplicate proposals, review, merge and unmerge."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from homeward.attachments import services as attachment_services
from homeward.attachments.models import Attachment
from homeward.audit.models import AuditEvent
from homeward.cases.models import Case
from homeward.core.exceptions import OutOfScopeError
from homeward.evidence import services as ev
from homeward.evidence.models import NationalityClaim
from homeward.matching import events
from homeward.matching.duplicates import find_duplicates
from homeward.matching.models import DuplicateCandidate, MergeRecord, NameKey
from homeward.matching.services import decide_duplicate, merge_people, unmerge_people
from homeward.people import services as people
from homeward.people.models import CustodyEpisode, Person, PersonName, Relationship
from tests.conftest import register

TRACKED = [Person, PersonName, Relationship, CustodyEpisode, Attachment, NameKey, Case]


def _snapshot() -> dict:
    """Every row of every table a merge may touch, as plain values."""
    return {
        model._meta.label: sorted(
            (tuple(sorted(row.items())) for row in model._base_manager.values()), key=str
        )
        for model in [*TRACKED, NationalityClaim]
    }


@pytest.fixture
def twins(users, registry, prison, orphanage):
    """The Russian child registered a second time from another list, with its own history."""
    officer = users["mfa.officer"]
    survivor = registry["ru_child"]
    duplicate = people.register_child(
        actor=officer,
        fields={
            "sex": "female",
            "date_of_birth": datetime.date(2016, 3, 1),
            "dob_precision": "day",
        },
        names=[
            {"full_text": "Хадижат Гусейнова", "name_type": "legal_home_state"},
            {"full_text": "Khadija Huseinova", "name_type": "alias"},
        ],
        home_state=survivor.case.home_state,
    )
    for facility, started_on in [(orphanage, (2017, 2, 1)), (prison, (2017, 10, 1))]:
        people.record_custody_move(
            duplicate, actor=officer, facility=facility, started_on=datetime.date(*started_on)
        )
    people.link_relative(  # the same mother: the survivor already has this relationship
        duplicate,
        actor=officer,
        relative=registry["ru_mother"],
        relationship_type="mother",
        basis="declared",
    )
    attachment_services.add_attachment(
        duplicate,
        actor=officer,
        upload=SimpleUploadedFile("n.pdf", b"%PDF-1.4\n%dup\n%%EOF\n"),
        kind="court_decision",
        title="Decision",
    )
    ev.record_nationality_claim(
        duplicate.case, actor=officer, claimed_state=duplicate.case.home_state,
        basis="mother_national", claimed_by="mother", notified_on=datetime.date(2024, 5, 1),
        notification_reference="NV-9",
    )  # fmt: skip
    return survivor, duplicate


def test_batch_job_proposes_the_pair_once_with_its_reasons(twins, registry):
    # given the same child registered twice under different scripts
    survivor, duplicate = twins
    # when the batch job runs twice
    first = find_duplicates(threshold=0.5)
    second = find_duplicates(threshold=0.5)
    # then the pair is proposed once, ordered, with the field comparison
    pair = DuplicateCandidate.objects.get()
    assert {pair.left_id, pair.right_id} == {survivor.pk, duplicate.pk}
    assert str(pair.left_id) < str(pair.right_id)
    assert (first.proposed, second.proposed) == (1, 0)
    levels = {item["field"]: item["level"] for item in pair.explanation}
    assert (levels["given"], levels["family"]) == ("agree", "agree")
    assert AuditEvent.objects.filter(event_type=events.DUPLICATES_PROPOSED).count() == 2


def test_command_proposes_and_a_rejected_pair_never_returns(twins, users, capsys):
    # given a proposed pair a reviewer rejects
    call_command("find_duplicates", "--threshold", "0.5")
    pair = DuplicateCandidate.objects.get()
    decide_duplicate(pair, actor=users["mfa.officer"], confirmed=False)
    # when the job runs again
    call_command("find_duplicates", "--threshold", "0.5")
    # then nothing new is proposed and the rejection stands, audited
    assert DuplicateCandidate.objects.get().status == "rejected"
    assert "0 new proposals" in capsys.readouterr().out
    event = AuditEvent.objects.get(event_type=events.DUPLICATE_REJECTED)
    assert event.data["status"] == ["proposed", "rejected"]


def test_merge_keeps_every_row_of_both_and_unmerge_restores_exactly(twins, users, registry):
    # given the two records and a snapshot of everything
    survivor, duplicate = twins
    officer = users["mfa.officer"]
    before = _snapshot()
    names = set(PersonName.objects.filter(person__in=twins).values_list("pk", flat=True))
    episodes = set(CustodyEpisode.objects.filter(child__in=twins).values_list("pk", flat=True))
    second_open = CustodyEpisode.objects.get(child=duplicate, ended_on__isnull=True)
    attachments = set(Attachment.objects.filter(person__in=twins).values_list("pk", flat=True))
    claim = NationalityClaim.objects.get(case=duplicate.case)
    # when merged
    record = merge_people(survivor, duplicate, actor=officer, reason="Same child, two lists")
    # then the survivor holds every name, episode, attachment and case record of both
    assert set(survivor.names.values_list("pk", flat=True)) == names
    assert survivor.names.filter(is_primary=True).count() == 1
    # (but a second open placement: one child is in one place; it waits on the merged record)
    assert set(survivor.custody_episodes.values_list("pk", flat=True)) == episodes - {
        second_open.pk
    }
    assert set(Attachment.objects.filter(person=survivor).values_list("pk", flat=True)) == (
        attachments
    )
    assert NationalityClaim.objects.get(pk=claim.pk).case_id == survivor.case.pk
    assert NameKey.objects.filter(person=duplicate).count() == 0
    # the shared mother stays linked to both records, once each, nothing deleted
    assert Relationship.objects.filter(relative=registry["ru_mother"]).count() == 2
    assert sorted(record.kept) == [
        ["people.custodyepisode", str(second_open.pk), "child"],
        ["people.relationship", str(Relationship.objects.get(person=duplicate).pk), "person"],
    ]
    # the duplicate is merged, its case closed, and hidden from scoped lists
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == survivor.pk
    assert Case.objects.get(child=duplicate).status == "CLOSED"
    assert not Person.objects.for_user(officer).filter(pk=duplicate.pk).exists()
    event = AuditEvent.objects.get(event_type=events.PEOPLE_MERGED)
    assert (event.data["merge"], event.data["moves"], event.person_id) == (
        record.pk,
        record.moves,
        survivor.pk,
    )
    # when the merge is undone
    unmerge_people(record, actor=officer, reason="Twins after all")
    # then every table is exactly as before
    assert _snapshot() == before
    record.refresh_from_db()
    assert (record.undone_by, record.undo_reason) == (officer, "Twins after all")
    assert AuditEvent.objects.get(event_type=events.PEOPLE_UNMERGED).data["moves"] == len(
        record.moves
    )
    with pytest.raises(ValidationError):
        unmerge_people(record, actor=officer, reason="again")


def test_merge_across_home_states_is_refused_and_changes_nothing(users, registry):
    # given a Russian and a Tajik child
    officer = users["mfa.officer"]
    before = _snapshot()
    # when merged
    with pytest.raises(ValidationError):
        merge_people(registry["ru_child"], registry["tj_child"], actor=officer, reason="x")
    # then nothing changed and nothing was audited
    assert _snapshot() == before
    assert MergeRecord.objects.count() == 0
    assert not AuditEvent.objects.filter(event_type=events.PEOPLE_MERGED).exists()


def test_a_consul_cannot_merge_or_see_another_states_merge(users, registry, prison):
    # given two Tajik records merged by the ministry
    officer = users["mfa.officer"]
    tj = registry["tj_child"]
    other = register(officer, name="Фатима Рахимова", state="TJ", born=datetime.date(2017, 9, 9))
    record = merge_people(tj, other, actor=officer, reason="Same child")
    # when the Russian consul tries to see or undo it
    consul = users["consul.ru"]
    # then it is not there for them
    assert not MergeRecord.objects.for_user(consul).exists()
    with pytest.raises(OutOfScopeError):
        unmerge_people(record, actor=consul, reason="no")
    third = register(officer, name="Fatima Rakhimova", state="TJ", born=datetime.date(2017, 9, 9))
    with pytest.raises(OutOfScopeError):
        merge_people(tj, third, actor=consul, reason="no")
    assert MergeRecord.objects.get().undone_at is None


def test_review_page_compares_and_merges(client, twins, users):
    # given a proposed pair
    survivor, _duplicate = twins
    find_duplicates(threshold=0.5)
    pair = DuplicateCandidate.objects.get()
    client.force_login(users["mfa.officer"])
    # when the reviewer lists, opens and merges it
    listing = client.get(reverse("matching:duplicate_list"))
    page = client.get(reverse("matching:duplicate_detail", kwargs={"pk": pair.pk}))
    side = "left" if pair.left_id == survivor.pk else "right"
    response = client.post(
        reverse("matching:duplicate_detail", kwargs={"pk": pair.pk}),
        {"action": "merge", "survivor": side, "reason": "Same child"},
    )
    # then both records were shown side by side and the merge happened
    assert listing.context["pairs"] == [pair]
    assert "Хадижат Гусейнова" in page.content.decode()
    assert response.status_code == 302
    assert MergeRecord.objects.get().survivor == survivor


def test_a_consul_sees_no_pair_involving_another_states_child(client, users, registry):
    # given a pair of a Russian and a Tajik record
    ru, tj = registry["ru_child"], registry["tj_child"]
    left, right = sorted([ru, tj], key=lambda person: str(person.pk))
    pair = DuplicateCandidate.objects.create(left=left, right=right, score=0.9)
    client.force_login(users["consul.ru"])
    # when the Russian consul opens the list and the pair
    listing = client.get(reverse("matching:duplicate_list"))
    page = client.get(reverse("matching:duplicate_detail", kwargs={"pk": pair.pk}))
    # then neither shows it
    assert listing.context["pairs"] == []
    assert page.status_code == 404


def test_merge_and_unmerge_recompute_where_limbo_starts(twins, users):
    # given the survivor in custody since 2018-01-10 and the duplicate record's placements
    # since 2017-02-01 (an orphanage, then the prison from 2017-10-01, still open)
    survivor, duplicate = twins
    officer = users["mfa.officer"]

    def starts():
        return [Case.objects.get(child=person).held_since for person in twins]

    assert starts() == [datetime.date(2018, 1, 10), datetime.date(2017, 2, 1)]
    # when merged: the closed orphanage placement moves to the survivor, the open one stays
    record = merge_people(survivor, duplicate, actor=officer, reason="Same child, two lists")
    assert starts() == [datetime.date(2017, 2, 1), datetime.date(2017, 10, 1)]
    # when the merge is undone, each case starts where it did
    unmerge_people(record, actor=officer, reason="Twins after all")
    assert starts() == [datetime.date(2018, 1, 10), datetime.date(2017, 2, 1)]
