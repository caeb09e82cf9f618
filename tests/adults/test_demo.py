"""The demo's adults: the Turkish adults of the 29 May 2019 batch were handed over with their
children, and each is on that operation's manifest as an adult travelling with her child."""

import datetime
import io

import pytest
from django.core.management import call_command

from homeward.adults.models import AdultCase
from homeward.operations.models import ManifestEntry, Operation
from homeward.people.choices import RelationshipType
from homeward.people.models import Relationship

pytestmark = pytest.mark.django_db

CHILDREN = 120
TURKISH_BATCH = datetime.date(2019, 5, 29)


@pytest.fixture
def seeded(db):
    call_command(
        "seed_demo", "--children", str(CHILDREN), "--password", "x" * 16, stdout=io.StringIO()
    )


def test_the_turkish_adults_of_2019_travel_on_the_manifest_with_their_children(seeded):
    operation = Operation.objects.get(home_state_id="TR", actual_date=TURKISH_BATCH)
    adults = list(
        ManifestEntry.objects.filter(operation=operation, accompanies__isnull=False)
        .select_related("accompanies", "person")
        .order_by("created_at", "id")
    )
    assert adults, "the batch has adults travelling with their children"
    for entry in adults:
        # on the manifest: boarded, with a child of hers on the same flight
        assert entry.status == "boarded" and entry.case_id is None
        assert Relationship.objects.filter(
            person_id=entry.accompanies.child_id,
            relative=entry.person,
            relationship_type__in=RelationshipType.parents(),
        ).exists()
        assert operation.entries.filter(case=entry.accompanies, status="boarded").exists()
        # and her adult case: handed over with the children on the operation's day
        case = AdultCase.objects.get(person=entry.person)
        assert (case.home_state_id, case.legal_status, case.route_home) == (
            "TR",
            "handed_over",
            "with_children",
        )
        assert case.status_since == TURKISH_BATCH
        assert case.missing_for_return() == []
        track = list(case.status_changes.order_by("on", "recorded_at"))
        assert track[0].to_status in ("sentence_completed", "acquitted")
        assert track[0].on < TURKISH_BATCH
        assert (track[-1].from_status, track[-1].to_status, track[-1].on) == (
            track[0].to_status,
            "handed_over",
            TURKISH_BATCH,
        )
        assert operation.reference in track[-1].note
        assert entry.person.legal_status in ("released", "not_detained")
    # and no adult is "handed over with the children" without being on a flight with them
    handed_over = set(
        AdultCase.objects.filter(legal_status="handed_over").values_list("person_id", flat=True)
    )
    travelled = set(
        ManifestEntry.objects.filter(accompanies__isnull=False, status="boarded").values_list(
            "person_id", flat=True
        )
    )
    assert handed_over == travelled
