"""G20 (CI size): rotating the sealed-field key re-encrypts every value in batches, leaves no
row on the old key, destroys the old key, and everything still opens."""

import datetime

from django.core.management import call_command

from homeward.audit.models import AuditEvent
from homeward.crypto import events
from homeward.crypto.aead import key_id_of
from homeward.crypto.keyring import get_keyring
from homeward.crypto.rotation import count_on_keys, rotate_field_key
from homeward.evidence.models import CourtCase, DNAResult, Incident, TravelDocument
from tests.crypto.conftest import canary, make_sealed_records


def test_rotation_of_1000_rows_leaves_none_on_the_old_key(registry):
    # given 1,000 sealed incidents and one record of every other sealed model (8 rows:
    # a security clearance too, whose empty conditions are sealed like any value)
    case = registry["ru_child"].case
    Incident.objects.bulk_create(
        Incident(
            case=case,
            incident_type="serious_illness",
            occurred_on=datetime.date(2024, 1, 1),
            description=canary(f"bulk{n}"),
        )
        for n in range(1000)
    )
    records = make_sealed_records(registry["ru_child"])
    ring = get_keyring()
    old = ring.primary("field").key_id
    assert count_on_keys([old]) == 1000 + 8
    # when
    result = rotate_field_key(batch_size=500)
    # then
    assert result.old_key_ids == [old]
    assert result.new_key_id != old
    assert result.rewritten_rows == 1000 + 8
    assert result.remaining == 0
    assert count_on_keys([old]) == 0
    assert count_on_keys([result.new_key_id]) == 1000 + 8
    assert result.retired == [old]
    assert ring.get(old) is None and ring.key_ids("field") == [result.new_key_id]
    # and everything still opens, with its values unchanged
    descriptions = {i.description for i in Incident.objects.all()}
    assert {canary(f"bulk{n}") for n in range(1000)} <= descriptions
    assert DNAResult.objects.get().report_reference == canary("dnareport")
    assert CourtCase.objects.get().charges == [canary("charge")]
    assert TravelDocument.objects.get().number == canary("passport")
    blob = Incident.objects.values_list("description", flat=True).get(pk=records["incident"].pk)
    assert key_id_of(blob) == result.new_key_id
    # and it is audited, without any value or key
    rotated = AuditEvent.objects.get(event_type=events.KEY_ROTATED)
    assert rotated.data == {
        "purpose": "field",
        "new_key_id": result.new_key_id,
        "old_key_ids": [old],
        "rows": 1008,
        "remaining": 0,
    }
    retired = AuditEvent.objects.get(event_type=events.KEY_RETIRED)
    assert retired.data == {"purpose": "field", "key_ids": [old]}


def test_new_writes_use_the_new_key_and_the_command_reports(registry, capsys):
    make_sealed_records(registry["ru_child"])
    old = get_keyring().primary("field").key_id
    call_command("rotate_keys", "--keep-old")
    out = capsys.readouterr().out
    new = get_keyring().primary("field").key_id
    assert f"new key {new}; rows re-encrypted 8; rows left on old keys 0; retired none" in out
    assert get_keyring().key_ids("field") == [old, new]  # kept on request
    incident = Incident.objects.create(
        case=registry["tj_child"].case,
        incident_type="serious_illness",
        occurred_on=datetime.date(2024, 1, 1),
        description="new",
    )
    blob = Incident.objects.values_list("description", flat=True).get(pk=incident.pk)
    assert key_id_of(blob) == new
    assert AuditEvent.objects.filter(event_type=events.KEY_RETIRED).count() == 0
