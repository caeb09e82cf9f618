"""The disclosure log: recorded by one user, approved by another, scoped like the case."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from homeward.accounts.models import Agency, User
from homeward.accounts.services import issue_api_token, sync_standard_roles
from homeward.audit.models import AuditEvent
from homeward.core.exceptions import OutOfScopeError
from homeward.disclosures import events
from homeward.disclosures.models import Disclosure
from homeward.disclosures.services import record_disclosure


@pytest.fixture
def supervisor(users) -> User:
    agency = Agency.objects.get(name="MFA Legal Directorate")
    user = User.objects.create_user("mfa.supervisor", password="x" * 20, agency=agency)
    user.all_home_states = True
    user.save(update_fields=["all_home_states"])
    user.roles.add(sync_standard_roles()["mfa_supervisor"])
    return User.objects.get(pk=user.pk)


def _share(case, *, actor, approved_by, **overrides):
    values = {
        "recipient_kind": "embassy",
        "recipient_agency": Agency.objects.get(name="Embassy of Russia"),
        "legal_basis": "public_interest",
        "legal_reference": "Note verbale 12/2026",
        "categories": ["identity", "nationality"],
        "purpose": "Nationality verification",
        "disclosed_on": datetime.date(2026, 3, 2),
    }
    values.update(overrides)
    return record_disclosure(case, actor=actor, approved_by=approved_by, **values)


def test_a_disclosure_is_recorded_with_its_approver_and_audited(users, registry, supervisor):
    # given an officer and a supervisor, and the Russian child's case
    case = registry["ru_child"].case
    # when the officer records that the embassy received identity and nationality data
    disclosure = _share(case, actor=users["mfa.officer"], approved_by=supervisor)
    # then the row says what, to whom, on which basis, and who approved it
    row = Disclosure.objects.get()
    assert (row.recipient, row.recipient_state_id, row.recipient_kind) == (
        "Embassy of Russia",
        "RU",
        "embassy",
    )
    assert row.categories == ["identity", "nationality"]
    assert (row.recorded_by, row.approved_by) == (users["mfa.officer"], supervisor)
    # and one audit event names the case, the child and the approver
    event = AuditEvent.objects.get(event_type=events.DISCLOSURE_RECORDED)
    assert event.object_id == str(disclosure.pk)
    assert (event.case_id, event.person_id, event.home_state) == (case.pk, case.child_id, "RU")
    assert event.data["approved_by"] == "mfa.supervisor"
    assert event.data["legal_basis"] == "public_interest"


@pytest.mark.parametrize(
    ("approver", "field"),
    [("mfa.officer", "approved_by"), ("consul.tj", "approved_by"), ("auditor", "approved_by")],
)
def test_self_approval_or_an_approver_without_the_grant_is_refused(
    users, registry, approver, field
):
    # given the officer names themselves, an out-of-scope consul or the auditor as approver
    case = registry["ru_child"].case
    before = AuditEvent.objects.count()
    # when recording
    with pytest.raises(ValidationError) as refused:
        _share(case, actor=users["mfa.officer"], approved_by=users[approver])
    # then nothing is written
    assert field in refused.value.message_dict
    assert Disclosure.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_recorder_needs_the_capability_and_the_case_in_scope(users, registry, supervisor):
    # given a consul (no capability) and a supervisor restricted to Russia
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        _share(registry["ru_child"].case, actor=users["consul.ru"], approved_by=supervisor)
    supervisor.all_home_states = False
    supervisor.save(update_fields=["all_home_states"])
    supervisor.home_states.set(["RU"])
    restricted = User.objects.get(pk=supervisor.pk)
    with pytest.raises(OutOfScopeError):
        _share(registry["tj_child"].case, actor=restricted, approved_by=users["mfa.officer"])
    # then nothing was written
    assert Disclosure.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_unknown_category_and_other_childs_document_are_refused(users, registry, supervisor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from homeward.attachments import services as attachment_services

    other = attachment_services.add_attachment(
        registry["tj_child"],
        actor=users["mfa.officer"],
        upload=SimpleUploadedFile("d.pdf", b"%PDF-1.4\n%x\n%%EOF\n"),
        kind="court_decision",
        title="Decision",
    )
    case = registry["ru_child"].case
    with pytest.raises(ValidationError) as unknown:
        _share(case, actor=users["mfa.officer"], approved_by=supervisor, categories=["gossip"])
    with pytest.raises(ValidationError) as foreign:
        _share(case, actor=users["mfa.officer"], approved_by=supervisor, documents=[other])
    assert "categories" in unknown.value.message_dict
    assert "documents" in foreign.value.message_dict
    assert Disclosure.objects.count() == 0


def test_shared_with_tab_lists_the_childs_disclosures_and_is_audited(
    client, users, registry, supervisor
):
    # given one disclosure about the Russian child
    disclosure = _share(
        registry["ru_child"].case, actor=users["mfa.officer"], approved_by=supervisor
    )
    child = registry["ru_child"]
    client.force_login(users["auditor"])
    # when the auditor opens the tab
    response = client.get(reverse("people:shared_with", kwargs={"pk": child.pk}))
    # then it shows the recipient, the basis and both users, and the read is audited
    assert response.status_code == 200
    text = response.content.decode()
    assert "Embassy of Russia" in text and "Note verbale 12/2026" in text
    assert "mfa.officer" in text and "mfa.supervisor" in text
    event = AuditEvent.objects.get(event_type=events.DISCLOSURES_LISTED)
    assert event.data["ids"] == [str(disclosure.pk)]


def test_shared_with_tab_needs_the_capability(client, users, registry):
    client.force_login(users["consul.ru"])
    response = client.get(reverse("people:shared_with", kwargs={"pk": registry["ru_child"].pk}))
    assert response.status_code == 403


def test_api_lists_disclosures_in_scope_only(users, registry, supervisor):
    # given one Russian and one Tajik disclosure, and an auditor restricted to Russia
    officer = users["mfa.officer"]
    ru = _share(registry["ru_child"].case, actor=officer, approved_by=supervisor)
    _share(
        registry["tj_child"].case,
        actor=officer,
        approved_by=supervisor,
        recipient_kind="un_agency",
        recipient_agency=None,
        recipient="UNHCR Baghdad",
        legal_basis="vital_interest",
    )
    auditor = users["auditor"]
    auditor.all_home_states = False
    auditor.save(update_fields=["all_home_states"])
    auditor.home_states.set(["RU"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_api_token(auditor, actor=None)}")
    # when it lists and reads
    listing = client.get("/api/v1/disclosures/")
    detail = client.get(f"/api/v1/disclosures/{ru.pk}/")
    # then only the Russian disclosure is there, with its approver
    assert [row["id"] for row in listing.json()["results"]] == [str(ru.pk)]
    assert detail.json()["approved_by"] == "mfa.supervisor"
    assert detail.json()["categories"] == ["identity", "nationality"]
    assert AuditEvent.objects.filter(event_type=events.DISCLOSURE_VIEWED).count() == 1
