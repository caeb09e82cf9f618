"""The evidence API: scoped and audited reads, sealed fields by grant, records via services."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from homeward.audit.models import AuditEvent
from homeward.evidence import services as ev
from homeward.evidence.models import DNAComparison, NationalityClaim
from tests.workflow.conftest import ago, at_status, claim_and_engage, clear_all, walk
from tests.workflow_api.test_workflow_api import client_for

pytestmark = pytest.mark.django_db

LISTS = [
    "nationality-claims", "nationality-determinations", "dna-samples", "dna-comparisons",
    "consents", "guardians", "assurances", "best-interests-assessments", "clearances",
    "travel-documents", "exit-authorizations", "incidents", "court-cases",
]  # fmt: skip


@pytest.fixture
def both(world):
    """A Russian child verified by DNA and cleared, and a Tajik child with a claim and samples."""
    ru = at_status(world["ru_child"].case, "NATIONALITY_CLAIMED", actor=world["mfa.officer"])
    walk(world, ru, "CLEARANCE")
    clear_all(world, ru)
    tj = at_status(world["tj_child"].case, "NATIONALITY_CLAIMED", actor=world["mfa.officer"])
    claim_and_engage(world, tj)
    for _ in range(2):
        ev.record_dna_sample(
            tj, actor=world["moh.lab"], donor=world["tj_child"], sample_type="blood",
            collected_on=ago(3), collected_by="MoH team",
        )  # fmt: skip
    ev.record_incident(
        tj, actor=world["moj.registrar"], incident_type="hospitalisation",
        occurred_on=ago(2), description="Pneumonia",
    )  # fmt: skip
    return {"ru": ru, "tj": tj}


def test_consul_ru_sees_no_tajik_evidence_in_any_list(world, both):
    client = client_for(world["consul.ru"])
    for name in LISTS:
        response = client.get(f"/api/v1/{name}/")
        assert response.status_code == 200, name
        rows = response.json()["results"]
        if name == "court-cases":
            continue
        assert {row["case"] for row in rows} <= {str(both["ru"].pk)}, name
    # and asking for the Tajik case's records finds nothing, with no hint it exists
    claims = client.get("/api/v1/nationality-claims/", {"case": str(both["tj"].pk)})
    assert claims.status_code == 200 and claims.json()["count"] == 0
    tj_claim = NationalityClaim.objects.get(case=both["tj"])
    assert client.get(f"/api/v1/nationality-claims/{tj_claim.pk}/").status_code == 404


def test_officer_sees_both_states_evidence(world, both):
    response = client_for(world["mfa.officer"]).get("/api/v1/nationality-claims/")
    assert {row["case"] for row in response.json()["results"]} == {
        str(both["ru"].pk),
        str(both["tj"].pk),
    }


def test_dna_results_only_for_the_grant_keys_absent_otherwise(world, both):
    comparison = DNAComparison.objects.get(case=both["ru"])
    url = f"/api/v1/dna-comparisons/{comparison.pk}/"
    lab = client_for(world["moh.lab"]).get(url).json()
    assert lab["result"] == {
        "conclusion": "supported", "statistic_kind": "likelihood_ratio",
        "statistic": 1.2e9, "report_reference": "DNA-77",
    }  # fmt: skip
    officer = client_for(world["mfa.officer"]).get(url).json()
    assert "result" not in officer
    assert "conclusion" not in str(officer) and "DNA-77" not in str(officer)
    listed = client_for(world["mfa.officer"]).get("/api/v1/dna-comparisons/").json()
    assert all("result" not in row for row in listed["results"])


def test_security_assessment_only_for_the_security_grant(world, both):
    liaison = (
        client_for(world["security.liaison"])
        .get("/api/v1/clearances/", {"case": str(both["ru"].pk)})
        .json()["results"]
    )
    security = next(row for row in liaison if row["clearance_type"] == "security")
    assert security["assessment"] == {"assessment": "No adverse record.", "conditions": ""}
    officer = (
        client_for(world["mfa.officer"])
        .get("/api/v1/clearances/", {"case": str(both["ru"].pk)})
        .json()["results"]
    )
    assert all("assessment" not in row for row in officer)
    assert len(officer) == 4


def test_reads_are_audited(world, both):
    client = client_for(world["mfa.officer"])
    client.get("/api/v1/incidents/")
    incident = client.get("/api/v1/incidents/").json()["results"][0]
    client.get(f"/api/v1/incidents/{incident['id']}/")
    listed = AuditEvent.objects.filter(event_type="evidence.record.listed").latest("seq")
    assert listed.data["ids"] == [incident["id"]]
    viewed = AuditEvent.objects.get(event_type="evidence.record.viewed")
    assert (viewed.actor_username, viewed.case_id) == ("mfa.officer", both["tj"].pk)


def test_consul_acknowledges_its_own_claim_and_not_anothers(world):
    # given claims on the Russian and the Tajik child, notified
    claims = {}
    for key in ("ru_child", "tj_child"):
        case = at_status(world[key].case, "NATIONALITY_CLAIMED", actor=world["mfa.officer"])
        claims[key] = ev.record_nationality_claim(
            case, actor=world["mfa.officer"], claimed_state=case.home_state,
            basis="mother_national", claimed_by="mother", notified_on=ago(30),
            notification_reference="NV-1",
        )  # fmt: skip
    client = client_for(world["consul.ru"])
    body = {"acknowledged_on": str(ago(2)), "focal_point": "Consul A. Petrov"}
    # when
    own = client.post(f"/api/v1/nationality-claims/{claims['ru_child'].pk}/acknowledge/", body)
    other = client.post(f"/api/v1/nationality-claims/{claims['tj_child'].pk}/acknowledge/", body)
    # then
    assert own.status_code == 200, own.json()
    assert own.json()["acknowledged_on"] == str(ago(2))
    assert other.status_code == 404
    assert NationalityClaim.objects.get(pk=claims["tj_child"].pk).acknowledged_on is None
    event = AuditEvent.objects.get(event_type="evidence.nationality_claim.acknowledged")
    assert event.actor_username == "consul.ru"


def test_lab_records_a_comparison_over_the_api(world):
    case = at_status(world["ru_child"].case, "VERIFICATION", actor=world["mfa.officer"])
    samples = [
        ev.record_dna_sample(
            case, actor=world["moh.lab"], donor=donor, sample_type="blood",
            collected_on=ago(3), collected_by="MoH team",
        )
        for donor in (world["ru_child"], world["ru_mother"])
    ]  # fmt: skip
    payload = {
        "case": str(case.pk), "hypothesis": "mother_child",
        "samples": [str(s.pk) for s in samples], "lab": "MoH Baghdad",
        "method": "autosomal_str", "reported_on": str(ago(1)), "conclusion": "supported",
        "statistic_kind": "likelihood_ratio", "statistic": 5e8, "report_reference": "DNA-9",
    }  # fmt: skip
    denied = client_for(world["mfa.officer"]).post(
        "/api/v1/dna-comparisons/", payload, format="json"
    )
    assert denied.status_code == 403
    response = client_for(world["moh.lab"]).post("/api/v1/dna-comparisons/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["result"]["conclusion"] == "supported"
    assert DNAComparison.objects.filter(case=case).count() == 1


@pytest.mark.parametrize("username", ["mfa.officer", "moh.lab", "security.liaison"])
def test_evidence_lists_cost_a_fixed_number_of_queries(world, both, username):
    client = client_for(world[username])
    counts = {}
    for label in ("few", "more"):
        if label == "more":
            for _ in range(3):
                ev.record_incident(
                    both["ru"], actor=world["moj.registrar"], incident_type="transfer",
                    occurred_on=ago(1), description="Moved",
                )  # fmt: skip
        for name in ("incidents", "dna-comparisons", "clearances", "nationality-claims"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(f"/api/v1/{name}/").status_code == 200
            counts.setdefault(name, []).append(len(queries))
    assert all(first == second for first, second in counts.values()), counts
