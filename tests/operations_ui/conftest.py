"""Operations pages fixtures: a planned Russian flight with ready and not-ready children.

Built with the ops services (tests/operations/conftest.py helpers), so the pages are tested
against the same rules the services enforce.
"""

import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from homeward.core.models import HomeState
from homeward.operations import services as ops
from tests.operations.conftest import (
    FLIGHT,
    confirmed,
    new_child,
    operations_pairs,
    plan,
    ready,
    siblings,
)
from tests.workflow.conftest import ago, fresh, policies, world  # noqa: F401


@pytest.fixture
def pairs(users, registry):
    return operations_pairs(users, registry)


@pytest.fixture
def flight(world):  # noqa: F811  (the workflow world fixture)
    """A Russian flight (PROPOSED) and, for it: Amina and Yusuf ready, Mariam's passport
    expiring before the flight, and the registry's sister whose brother is not ready."""
    amina = ready(world, new_child(world, "أمينة").case)
    yusuf = ready(world, new_child(world, "يوسف", sex="male").case)
    mariam = ready(world, new_child(world, "مريم").case, valid_until=ago(-10))
    sister, brother = world["ru_child"].case, world["ru_brother"].case
    siblings(world, sister, brother)
    sister = ready(world, fresh(sister))
    return {
        "operation": plan(world),
        "amina": amina,
        "yusuf": yusuf,
        "mariam": mariam,
        "sister": sister,
        "brother": fresh(brother),
    }


def frozen_with(w, operation, cases):
    """The operation with `cases` on its manifest, confirmed and frozen."""
    officer = w["mfa.officer"]
    operation = ops.add_to_manifest(
        operation, cases, actor=officer, expected_version=operation.version
    )
    operation = confirmed(w, operation)
    return ops.freeze_manifest(operation, actor=officer, expected_version=operation.version)


def tajik_operation(w):
    return ops.propose_operation(
        HomeState.objects.get(code="TJ"),
        actor=w["mfa.officer"],
        planned_date=FLIGHT,
        carrier="Somon Air",
    )


def pdf_text(response) -> str:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def completed_with(w, operation, cases):
    """The operation flown with `cases` all boarded and handed over (COMPLETED)."""
    protocol = w["mfa.protocol"]
    operation = frozen_with(w, operation, cases)
    operation = ops.start_execution(operation, actor=protocol, expected_version=operation.version)
    ops.record_handover(
        operation,
        actor=protocol,
        expected_version=operation.version,
        handed_over_at=timezone.now(),
        location="Baghdad International Airport",
        items=[
            {"entry": entry, "identity_checked_by": "A. Kareem", "identity_method": "photo"}
            for entry in operation.entries.filter(case__isnull=False)
        ],
    )
    operation.refresh_from_db()
    return ops.complete_operation(operation, actor=protocol, expected_version=operation.version)
