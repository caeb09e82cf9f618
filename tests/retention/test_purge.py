"""`purge_expired`: what is due is destroyed, ids-only audited, files removed; holds protect."""

import datetime
import io

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from homeward.attachments.models import Attachment
from homeward.audit.models import AuditEvent
from homeward.audit.verify import verify_chain
from homeward.evidence.models import DNAComparison, DNAResult, DNASample, SecurityAssessment
from homeward.retention import events
from homeward.retention.schedule import CATEGORIES, period_days
from homeward.retention.services import place_legal_hold, purge_expired, release_legal_hold
from tests.retention.conftest import HANDED_OVER_AT

pytestmark = pytest.mark.django_db

SIX_YEARS_LATER = HANDED_OVER_AT + datetime.timedelta(days=6 * 365)

FAKE_HOOK_CALLS: list = []


def fake_exports_purger(now):
    FAKE_HOOK_CALLS.append(now)


def dump() -> str:
    """Everything in the database, as `homeward dumpdata` writes it (the audit trail too)."""
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue()


def purge_events() -> list[tuple]:
    return sorted(
        AuditEvent.objects.filter(event_type=events.RECORD_PURGED).values_list(
            "object_type", "object_id", "case_id", "actor_id", "actor_username", "data"
        ),
        key=lambda row: (row[0], row[1]),
    )


def ids(records: dict) -> set[tuple[str, str]]:
    return {
        ("evidence.dnaresult", str(records["result"].pk)),
        ("evidence.dnasample", str(records["sample"].pk)),
        ("evidence.securityassessment", str(records["assessment"].pk)),
        ("attachments.attachment", str(records["document"].pk)),
    }


def test_nothing_is_due_the_day_after_the_handover(returned):
    # given / when
    with time_machine.travel(HANDED_OVER_AT + datetime.timedelta(days=1), tick=False):
        report = purge_expired()
    # then
    assert report.purged == []
    assert DNAResult.objects.count() == 2


def test_dry_run_lists_what_is_due_and_changes_nothing(returned):
    # given
    before = dump()
    # when
    report = purge_expired(SIX_YEARS_LATER, dry_run=True)
    # then
    assert {(p.object_type, p.object_id) for p in report.purged} == ids(returned["ru"])
    assert dump() == before


def test_due_records_are_destroyed_with_one_ids_only_event_each(returned):
    # given the canary is in the database, and in the document's file
    ru = returned["ru"]
    path = ru["document"].path
    assert "CANARY7RU" in dump() and path.exists()
    since = AuditEvent.objects.count()
    # when six years have passed since the Russian child's handover
    with time_machine.travel(SIX_YEARS_LATER, tick=False):
        report = purge_expired()
    # then the sealed records, the sample and the document are gone, file included
    assert {(p.category, p.object_type, p.object_id) for p in report.purged} == {
        ("dna_results", "evidence.dnaresult", str(ru["result"].pk)),
        ("dna_samples", "evidence.dnasample", str(ru["sample"].pk)),
        ("security_assessments", "evidence.securityassessment", str(ru["assessment"].pk)),
        ("attachments", "attachments.attachment", str(ru["document"].pk)),
    }
    assert not DNAResult.objects.filter(pk=ru["result"].pk).exists()
    assert not DNASample.objects.filter(pk=ru["sample"].pk).exists()
    assert not SecurityAssessment.objects.filter(pk=ru["assessment"].pk).exists()
    assert not Attachment.objects.filter(pk=ru["document"].pk).exists()
    assert not path.exists()
    # what is not personal data stays: the comparison (result now sealed), the clearance
    assert DNAComparison.objects.filter(pk=ru["comparison"].pk).exists()
    # the canary is nowhere in the database, the audit trail included
    assert "CANARY7RU" not in dump()
    # one event per record, ids only, by the retention job
    case = returned["ru_case"]
    assert purge_events() == sorted(
        [
            ("attachments.attachment", str(ru["document"].pk), case.pk, None, "retention",
             {"category": "attachments"}),
            ("evidence.dnaresult", str(ru["result"].pk), case.pk, None, "retention",
             {"category": "dna_results"}),
            ("evidence.dnasample", str(ru["sample"].pk), case.pk, None, "retention",
             {"category": "dna_samples"}),
            ("evidence.securityassessment", str(ru["assessment"].pk), case.pk, None,
             "retention", {"category": "security_assessments"}),
        ]
    )  # fmt: skip
    assert AuditEvent.objects.count() == since + 4
    assert verify_chain()[1] is None
    # the Tajik child, still in custody, keeps everything
    tj = returned["tj"]
    assert DNAResult.objects.filter(pk=tj["result"].pk).exists()
    assert tj["document"].path.exists()
    assert "CANARY7TJ" in dump()


def test_a_held_case_keeps_everything_until_the_hold_is_released(returned, supervisor):
    # given a hold on the returned child's case
    hold = place_legal_hold(returned["ru_case"], actor=supervisor, reason="Court inquiry")
    before = dump()
    # when the purge runs long after the period
    report = purge_expired(SIX_YEARS_LATER)
    # then nothing of the case is touched and nothing was logged as purged
    assert report.purged == []
    assert purge_events() == []
    assert "CANARY7RU" in dump()
    assert returned["ru"]["document"].path.exists()
    assert dump().count("CANARY7RU") == before.count("CANARY7RU")
    # and once released, the next run destroys what is due
    release_legal_hold(hold, actor=supervisor, reason="Inquiry closed")
    report = purge_expired(SIX_YEARS_LATER)
    assert {(p.object_type, p.object_id) for p in report.purged} == ids(returned["ru"])


def test_a_sample_past_its_own_date_goes_even_in_custody(returned):
    # given the Tajik sample's own "keep until" passed
    sample = returned["tj"]["sample"]
    DNASample.objects.filter(pk=sample.pk).update(retention_until=datetime.date(2025, 1, 1))
    # when
    report = purge_expired(datetime.datetime(2025, 1, 2, tzinfo=datetime.UTC))
    # then only that sample
    assert [(p.category, p.object_id) for p in report.purged] == [("dna_samples", str(sample.pk))]
    assert not DNASample.objects.filter(pk=sample.pk).exists()


@override_settings(HOMEWARD_RETENTION_DAYS={"attachments": 10 * 365})
def test_a_period_can_be_lengthened_in_settings(returned):
    # given / when
    report = purge_expired(SIX_YEARS_LATER)
    # then the document stays, the rest goes
    assert period_days("attachments") == 3650
    assert "attachments" not in {p.category for p in report.purged}
    assert Attachment.objects.filter(pk=returned["ru"]["document"].pk).exists()


def test_expired_sessions_are_destroyed_with_one_event_without_keys(db):
    # given one expired and one live session
    now = timezone.now()
    Session.objects.create(session_key="k" * 32, session_data="x", expire_date=now)
    Session.objects.create(
        session_key="l" * 32, session_data="x", expire_date=now + datetime.timedelta(days=1)
    )
    # when
    report = purge_expired(now + datetime.timedelta(seconds=1))
    # then
    assert (report.sessions, list(Session.objects.values_list("session_key", flat=True))) == (
        1,
        ["l" * 32],
    )
    event = AuditEvent.objects.get(event_type=events.SESSIONS_PURGED)
    assert (event.data, event.object_id) == ({"category": "sessions", "count": 1}, "")


@override_settings(HOMEWARD_RETENTION_PURGERS=["tests.retention.test_purge.fake_exports_purger"])
def test_purgers_of_other_apps_run_but_not_in_a_dry_run(db):
    # given
    FAKE_HOOK_CALLS.clear()
    # when
    purge_expired(SIX_YEARS_LATER, dry_run=True)
    report = purge_expired(SIX_YEARS_LATER)
    # then
    assert FAKE_HOOK_CALLS == [SIX_YEARS_LATER]
    assert report.hooks == ["tests.retention.test_purge.fake_exports_purger"]


def test_command_dry_run_and_run(returned):
    # given
    out = io.StringIO()
    # when
    call_command("purge_expired", "--dry-run", "--now", "2031-03-01", stdout=out)
    # then
    assert out.getvalue().endswith(
        "would destroy: 4 records, 0 expired sessions; skipped under legal hold: 0; hooks run: 0\n"
    )
    assert DNAResult.objects.count() == 2
    out = io.StringIO()
    call_command("purge_expired", "--now", "2031-03-01T00:00", stdout=out)
    assert f"  dna_results: evidence.dnaresult {returned['ru']['result'].pk}\n" in out.getvalue()
    assert DNAResult.objects.count() == 1


def test_schedule_names_every_category_once():
    assert [c.code for c in CATEGORIES] == [
        "dna_results",
        "dna_samples",
        "security_assessments",
        "attachments",
        "sessions",
        "exports",
        "case_file",
        "audit_trail",
    ]
    assert period_days("audit_trail") is None
