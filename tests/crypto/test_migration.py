"""The data migration seals the rows that existed in clear before it (evidence 0003)."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from homeward.crypto.fields import BlindIndexField
from homeward.evidence.models import CourtCase, Incident, TravelDocument

BEFORE = [("evidence", "0002_initial")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_clear_rows_are_sealed_by_the_migration(registry):
    child = registry["ru_child"]
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    day = datetime.date(2024, 1, 1)
    incident = old.get_model("evidence", "Incident").objects.create(
        case_id=child.case.pk,
        incident_type="serious_illness",
        occurred_on=day,
        description="CNRYoldincidentCNRY",
    )
    document = old.get_model("evidence", "TravelDocument").objects.create(
        case_id=child.case.pk,
        document_type="passport",
        number="CNRY-77-CNRY",
        issued_by="Embassy",
        issued_on=day,
        valid_until=datetime.date(2030, 1, 1),
    )
    court_case = old.get_model("evidence", "CourtCase").objects.create(
        defendant_id=child.pk, court="Juvenile court", case_number="J-1",
        charges=["CNRYoldchargeCNRY"], stage="charged",
    )  # fmt: skip

    # Forward to every app's latest migration, not only evidence 0003: stepping back to
    # evidence 0002 also unapplied the later migrations of apps that depend on it.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert Incident.objects.get(pk=incident.pk).description == "CNRYoldincidentCNRY"
    assert CourtCase.objects.get(pk=court_case.pk).charges == ["CNRYoldchargeCNRY"]
    lookup = BlindIndexField.lookup(TravelDocument, "number", "cnry77cnry")
    assert TravelDocument.objects.get(**lookup).pk == document.pk
    with connection.cursor() as cursor:
        cursor.execute("SELECT description FROM evidence_incident")
        (stored,) = cursor.fetchone()
    assert b"CNRY" not in bytes(stored) and bytes(stored)[0] == 1
