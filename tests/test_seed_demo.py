"""The demo data set: a deterministic plan shaped like the published figures, written through
the services, and the `seed_demo` command around it (accounts, passwords, empty-database rule).

Plan tests use the full default plan (pure data, no database); database tests seed 60 children.
"""

import datetime
import io
import random

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from homeward.accounts.models import User
from homeward.audit.checkpoints import load_verified_checkpoints
from homeward.audit.models import AuditEvent, AuditHead
from homeward.cases.choices import IN_CUSTODY_STATES, MAIN_STATES, SIDE_STATES, CaseStatus
from homeward.cases.models import Case, FamilyGroup
from homeward.cases.services import create_family_group, record_historical_status
from homeward.core.demo.builder import DEFAULT_SEED, build_plan
from homeward.core.demo.next_batch import CHILDREN as NEXT_BATCH
from homeward.core.normalise import detect_script
from homeward.people.handover import end_custody
from homeward.people.models import CustodyEpisode, Person, PersonName, Relationship

PASSWORD = "x" * 16
D = datetime.date
STAFF_USERNAMES = {
    "admin", "mfa.officer", "mfa.supervisor", "mfa.protocol", "hjc.judge", "moj.registrar",
    "molsa.carer", "moh.lab", "security.liaison", "moi.residency", "unicef.officer", "auditor",
}  # fmt: skip


@pytest.fixture(scope="module")
def plan():
    return build_plan(random.Random(DEFAULT_SEED))


def all_names(plan):
    people = [*plan.adults, *(child.person for child in plan.children)]
    return [name for person in people for name in person.names]


# -- the plan: deterministic ---------------------------------------------------------------


def test_same_seed_gives_the_same_plan(plan):
    assert build_plan(random.Random(DEFAULT_SEED)) == plan


def test_another_seed_gives_other_people(plan):
    other = build_plan(random.Random(DEFAULT_SEED + 1))
    assert other != plan
    first_names = [child.person.names[0].full_text for child in plan.children[:50]]
    assert first_names != [child.person.names[0].full_text for child in other.children[:50]]


# -- the plan: shaped like the published figures -------------------------------------------


def test_default_plan_has_1200_children_from_the_named_nationalities(plan):
    assert len(plan.children) == 1200
    named = {"RU", "TJ", "AZ", "TR", "UZ", "KZ", "KG", "DE", "FR", "GE", "UA", "BY"}
    assert named <= set(plan.states)
    assert len(plan.states) >= 12


def test_473_children_were_handed_over_by_15_july_2019(plan):
    assert plan.returned_by(D(2019, 7, 15)) == 473


def test_the_10_july_2019_batch_is_exactly_33_russian_children(plan):
    assert plan.handed_over_on(D(2019, 7, 10)) == {"RU": 33}
    assert plan.returned_by(D(2019, 7, 9)) == 473 - 33


def test_later_published_totals_are_reproduced(plan):
    assert plan.returned_by(D(2019, 10, 15)) == 537
    assert plan.handed_over_on(D(2019, 10, 15)) == {"UZ": 64}
    assert plan.returned_by(D(2019, 12, 18)) == 598
    assert plan.returned_by(D(2020, 3, 4)) == 828
    assert plan.handed_over_on(D(2020, 3, 4)) == {"AZ": 82}
    assert plan.returned_by(D(2020, 12, 31)) == 940


def test_country_totals_match_the_sources(plan):
    returned = [child for child in plan.children if child.handed_over_on]
    by_state = {
        code: sum(1 for c in returned if c.home_state == code) for code in ("RU", "AZ", "TJ")
    }
    assert by_state == {"RU": 122, "AZ": 248, "TJ": 112}


def test_returned_children_have_left_custody_on_the_handover_day(plan):
    for child in plan.children:
        if child.handed_over_on:
            assert child.custody_end.ended_on == child.handed_over_on
            assert child.statuses[0].status == CaseStatus.HANDED_OVER
            assert child.statuses[0].on == child.handed_over_on


def test_260_children_wait_in_custody_across_the_lifecycle(plan):
    pending = [child for child in plan.children if not child.handed_over_on]
    assert len(pending) == 260
    statuses = {child.status for child in pending}
    assert len(statuses & set(MAIN_STATES[: MAIN_STATES.index(CaseStatus.APPROVED) + 1])) >= 8
    assert {
        CaseStatus.AGED_OUT,
        CaseStatus.SERVING_SENTENCE,
        CaseStatus.WITHDRAWN_FROM_OPERATION,
    } <= statuses
    assert len(statuses & set(SIDE_STATES)) >= 6


def test_side_states_remember_a_main_state(plan):
    for child in plan.children:
        for step in child.statuses:
            if step.status in SIDE_STATES:
                assert step.return_status in MAIN_STATES
            else:
                assert step.return_status == ""


def test_custody_is_open_exactly_for_children_still_held(plan):
    for child in plan.children:
        assert (child.custody_end is None) == (child.status in IN_CUSTODY_STATES)


def test_most_children_live_with_their_mothers_in_the_womens_prison(plan):
    held = [child for child in plan.children if child.custody_end is None]
    where = [child.placements[-1].facility for child in held]
    assert where.count("rusafa") > len(held) / 2
    assert where.count("tasfirat") >= 5  # juveniles
    assert where.count("hanan") + where.count("rahma") >= 10  # unaccompanied
    assert all(
        child.placements[-1].with_mother
        for child in held
        if child.placements[-1].facility == "rusafa"
    )


def test_many_children_came_through_a_2017_detention_site(plan):
    moved = [c for c in plan.children if c.placements[0].facility in ("talkayf", "hammam")]
    assert len(moved) > len(plan.children) / 2
    assert all(len(c.placements) >= 2 for c in moved if c.placements[0].started_on.year == 2017)


def test_dates_of_birth_are_mostly_estimates_within_2005_to_2019(plan):
    precisions = [child.person.fields["dob_precision"] for child in plan.children]
    assert precisions.count("year") + precisions.count("range") > len(precisions) / 2
    assert precisions.count("day") < len(precisions) / 2
    assert all(2004 <= c.person.fields["date_of_birth"].year <= 2019 for c in plan.children)


def test_juveniles_and_aged_out_children_exist(plan):
    juveniles = [child for child in plan.children if child.juvenile]
    assert len(juveniles) >= 10
    assert any(child.status == CaseStatus.AGED_OUT for child in plan.children)


# -- the plan: names -----------------------------------------------------------------------


def test_every_name_declares_the_script_it_is_written_in(plan):
    for name in all_names(plan):
        assert name.script == detect_script(name.full_text), name.full_text


def test_every_person_has_exactly_one_preferred_name(plan):
    for person in [*plan.adults, *(child.person for child in plan.children)]:
        assert sum(name.is_primary for name in person.names) == 1, person.key


def test_children_are_named_in_arabic_by_iraqi_registers_and_in_home_scripts(plan):
    scripts = {"Arab": 0, "Cyrl": 0, "Latn": 0, "Zyyy": 0}
    for child in plan.children:
        primary = next(name for name in child.person.names if name.is_primary)
        assert primary.script == "Arab"
        for name in child.person.names:
            scripts[name.script] += 1
    assert min(scripts["Arab"], scripts["Cyrl"], scripts["Latn"]) > 300, scripts
    assert scripts["Zyyy"] >= 5, scripts  # Georgian


def test_some_fathers_are_known_only_by_a_kunya(plan):
    kunyas = [n.full_text for n in all_names(plan) if n.name_type == "kunya"]
    assert any(text.startswith("أبو ") and text.endswith(" الشيشاني") for text in kunyas)


def test_some_foundlings_have_only_a_name_the_orphanage_gave(plan):
    foundlings = [
        c
        for c in plan.children
        if all(n.name_type == "assigned_by_facility" for n in c.person.names)
    ]
    pending = sum(1 for child in plan.children if not child.handed_over_on)
    assert 0.02 * pending <= len(foundlings) <= 0.08 * pending
    assert all(child.placements[-1].facility in ("hanan", "rahma") for child in foundlings)


def test_no_real_childs_name_from_the_sources_appears(plan):
    latin = {"adlan", "dakaev", "dukaev", "huseinova", "husenova"}
    forbidden = latin | {"адлан", "дакаев", "хусейнова"}
    for name in all_names(plan):
        assert not forbidden & set(name.full_text.casefold().split()), name.full_text


# -- the plan: families --------------------------------------------------------------------


def test_sibling_groups_of_two_to_five_share_a_mother(plan):
    children = {child.key: child for child in plan.children}
    assert plan.groups
    for group in plan.groups:
        assert 2 <= len(group.children) <= 5
        assert len({children[key].mother for key in group.children}) == 1


def test_families_have_full_half_and_grand_relations(plan):
    kinds = {link.relationship_type for link in plan.links}
    assert {
        "mother", "father", "full_sibling", "half_sibling_maternal", "half_sibling_paternal",
        "grandparent_maternal", "grandparent_paternal",
    } <= kinds  # fmt: skip
    assert {link.basis for link in plan.links if link.relationship_type == "mother"} >= {
        "declared",
        "dna_confirmed",
    }


def test_a_small_plan_scales_the_batches_down():
    small = build_plan(random.Random(1), 60)
    assert len(small.children) == 60
    assert 0 < small.returned_by(D(2030, 1, 1)) < 60


# -- the command, on a database ------------------------------------------------------------


def seed(*args):
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db):
    return seed("--children", "60", "--password", PASSWORD)


def counts():
    models = (Person, PersonName, Case, Relationship, CustodyEpisode, FamilyGroup, User, AuditEvent)
    return {model.__name__: model.objects.count() for model in models}


def test_seed_creates_the_people_and_every_account(seeded):
    states = build_plan(random.Random(DEFAULT_SEED), 60).states
    # the plan's 60 and the six of the next Russian batch (core.demo.next_batch)
    assert Person.objects.filter(kind="child").count() == 60 + len(NEXT_BATCH)
    consuls = {f"consul.{code.lower()}" for code in states}
    assert set(User.objects.values_list("username", flat=True)) == STAFF_USERNAMES | consuls
    for user in User.objects.exclude(username="admin").select_related("agency"):
        if user.username.startswith("consul."):
            assert user.agency.kind == "home_state_mission"
            assert user.home_state_scope() == {user.username.removeprefix("consul.").upper()}
        else:
            assert user.all_home_states and user.home_state_scope() is None
    assert User.objects.get(username="admin").is_superuser
    assert f"Password for every account above (shown only now): {PASSWORD}" in seeded


def test_seed_ends_with_a_signed_audit_checkpoint(seeded):
    head = AuditHead.objects.get(pk=1).seq
    assert seeded.endswith(f"Audit checkpoint signed at #{head}.\n")
    assert [checkpoint.size for checkpoint in load_verified_checkpoints()] == [head]


def test_every_demo_user_can_log_in_and_the_audit_chain_verifies(seeded, client):
    for username in User.objects.values_list("username", flat=True):
        assert authenticate(username=username, password=PASSWORD) is not None, username
    assert client.login(username="consul.ru", password=PASSWORD)
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "Audit chain intact" in out.getvalue()
    assert AuditEvent.objects.filter(event_type="cases.case.status_recorded").exists()
    assert AuditEvent.objects.filter(event_type="people.custody.ended").exists()


def test_a_consul_sees_only_their_own_states_children(seeded):
    consul = User.objects.get(username="consul.ru")
    visible = Case.objects.for_user(consul).values_list("home_state_id", flat=True)
    assert set(visible) == {"RU"}
    assert len(visible) == Case.objects.filter(home_state="RU").count()
    # and the diplomacy behind the returns: each flight's note, answer and meeting, linked
    # to the children it brought home; the consul of Tajikistan's open and overdue items
    from homeward.diplomacy.models import ActionItem, Engagement

    flights = Engagement.objects.filter(home_state="RU", kind="note_verbale_out")
    assert flights.count() == 4 and all(note.replies.exists() for note in flights)
    assert set(Engagement.objects.for_user(consul).values_list("home_state", flat=True)) == {"RU"}
    assert Engagement.objects.filter(kind="note_verbale_out", replies__isnull=True).count() == 1
    tajik = User.objects.get(username="consul.tj")
    items = ActionItem.objects.for_user(tajik).filter(owner_agency=tajik.agency, status="open")
    today = timezone.localdate()
    assert sorted(item.is_overdue(today) for item in items) == [False, True, True]


def test_seeding_again_is_refused_and_if_empty_changes_nothing(seeded):
    before = counts()
    with pytest.raises(CommandError, match="already holds 66 children"):
        seed("--children", "60", "--password", PASSWORD)
    out = seed("--if-empty")
    assert counts() == before
    assert "consul.ru" in out and PASSWORD not in out
    assert "--reset-passwords" in out


def test_reset_passwords_sets_every_demo_password(seeded):
    seed("--reset-passwords", "--password", "correct horse battery staple")
    for username in User.objects.values_list("username", flat=True):
        assert authenticate(username=username, password="correct horse battery staple"), username
        assert authenticate(username=username, password=PASSWORD) is None


def test_a_weak_password_is_refused_before_anything_is_written(db):
    with pytest.raises(CommandError, match="--password"):
        seed("--children", "5", "--password", "short")
    assert not Person.objects.exists() and not User.objects.exists()


# -- the services the seed added -----------------------------------------------------------


def test_record_historical_status_sets_status_and_closed_at(registry, officer):
    case = registry["ru_child"].case
    record_historical_status(case, actor=officer, status="HANDED_OVER", at=D(2019, 7, 10))
    case = record_historical_status(case, actor=officer, status="CLOSED", at=D(2020, 12, 1))
    assert case.status == "CLOSED"
    assert timezone.localdate(case.closed_at) == D(2020, 12, 1)
    assert timezone.localdate(case.status_changed_at) == D(2020, 12, 1)
    event = AuditEvent.objects.filter(event_type="cases.case.status_recorded").latest("seq")
    assert event.data["status"] == ["HANDED_OVER", "CLOSED"]


def test_record_historical_status_refuses_the_future_and_side_state_without_return(
    registry, officer
):
    case = registry["ru_child"].case
    with pytest.raises(ValidationError):
        record_historical_status(case, actor=officer, status="VERIFICATION", at=D(2999, 1, 1))
    with pytest.raises(ValidationError):
        record_historical_status(case, actor=officer, status="ON_HOLD", at=D(2020, 1, 1))
    assert Case.objects.get(pk=case.pk).status == "REGISTERED"


def test_create_family_group_needs_two_ungrouped_cases(registry, officer):
    first, second = registry["ru_child"].case, registry["ru_brother"].case
    with pytest.raises(ValidationError):
        create_family_group(actor=officer, label="alone", cases=[first])
    group = create_family_group(actor=officer, label="Siblings", cases=[first, second])
    assert set(group.cases.values_list("pk", flat=True)) == {first.pk, second.pk}
    with pytest.raises(ValidationError):
        create_family_group(actor=officer, label="again", cases=[first, second])


def test_end_custody_closes_the_open_episode_once(registry, officer):
    child = registry["ru_child"]
    episode = end_custody(child, actor=officer, ended_on=D(2019, 7, 10), reason="Handed over")
    assert episode.ended_on == D(2019, 7, 10)
    with pytest.raises(ValidationError):
        end_custody(child, actor=officer, ended_on=D(2019, 7, 11), reason="Again")


# -- the workflow's evidence ---------------------------------------------------------------


def test_the_default_plan_shows_every_main_and_side_state(plan):
    assert {child.status for child in plan.children} == set(CaseStatus)


def test_the_evidence_plan_shows_each_situation_once(plan):
    from homeward.core.demo import tracks

    planned, courts = tracks.plan_tracks(plan)
    variants = [variant for track in planned for variant in track.variants]
    for once in (tracks.DNA_EXCLUDED, tracks.CLEARANCE_EXPIRED, tracks.DOCUMENT_EXPIRING):
        assert variants.count(once) == 1, once
    assert variants.count(tracks.DIED) == 1
    assert variants.count(tracks.CONSENT_REFUSED) >= 1
    assert len(planned) == 252  # the 260 waiting children but the 8 aged out
    assert (sum(court.juvenile for court in courts), len(courts)) == (8, 113)
    assert tracks.plan_tracks(plan) == (planned, courts)


WORKFLOW_CHILDREN = 300


@pytest.fixture
def seeded_workflow(db):
    return seed("--children", str(WORKFLOW_CHILDREN), "--password", PASSWORD)


def test_seeded_workflow_has_every_state_the_plan_has_desks_and_sealed_results(seeded_workflow):
    from homeward.evidence.models import Clearance, DNAResult, SecurityAssessment
    from homeward.workflow.queries import desk_for

    # every status of the plan is in the database, the real transitions included
    plan = build_plan(random.Random(DEFAULT_SEED), WORKFLOW_CHILDREN)
    assert set(Case.objects.values_list("status", flat=True)) == {c.status for c in plan.children}
    assert AuditEvent.objects.filter(event_type="workflow.case.deceased").count() == (
        sum(1 for c in plan.children if c.status == CaseStatus.DECEASED)
    )
    # every agency that owes something has a desk with work on it
    for username in ("hjc.judge", "moh.lab", "consul.kg", "security.liaison", "moi.residency",
                     "unicef.officer", "mfa.officer"):  # fmt: skip
        assert desk_for(User.objects.get(username=username)).items, username
    # sealed results exist, and are not visible to a consul
    consul = User.objects.get(username="consul.kg")
    assert DNAResult.objects.exists() and SecurityAssessment.objects.exists()
    assert not DNAResult.objects.for_user(consul).exists()
    assert not SecurityAssessment.objects.for_user(consul).exists()
    pending = Clearance.objects.filter(status="requested")
    ages = {(timezone.now() - c.requested_at).days for c in pending}
    assert ages and min(ages) >= 19 and max(ages) <= 121
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "Audit chain intact" in out.getvalue()
