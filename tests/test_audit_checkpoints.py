"""Signed checkpoints outside the database catch what the chain alone cannot.

Every tamper class is tried against a chain with checkpoints: the chain alone catches the
first four, the checkpoints add a tail cut off with its head row and a chain recomputed and
rewritten from some event on. A clean chain with many checkpoints gives no alarm.
"""

import base64
import hashlib
import io
import json
import stat

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models

from homeward.audit.checkpoints import (
    CheckpointError,
    load_verified_checkpoints,
    write_checkpoint,
)
from homeward.audit.models import AuditEvent, AuditHead
from homeward.audit.services import record_event
from homeward.audit.verify import ChainBreak, verify_chain
from tests.audit_guard import audit_guard_lifted

pytestmark = pytest.mark.django_db

ORIGIN = "homeward.local/audit"


def append(n: int) -> list[AuditEvent]:
    start = AuditEvent.objects.count()
    return [
        record_event("test.thing.done", actor=None, data={"n": start + i}) for i in range(1, n + 1)
    ]


def command(name: str, *args) -> tuple[int, str, str]:
    """(exit code, stdout, stderr or error message) of `homeward <name>`."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(name, *args, stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), str(exc)
    return 0, out.getvalue(), err.getvalue()


def checkpoint_file() -> str:
    return settings.HOMEWARD_AUDIT_CHECKPOINT_FILE.read_text(encoding="utf-8")


def event(seq: int) -> AuditEvent:
    return AuditEvent.objects.get(seq=seq)


def rewrite_from(seq: int) -> None:
    """Alter #seq and recompute every hash and link after it, head included (as an owner)."""
    prev = event(seq - 1).hash if seq > 1 else "0" * 64
    with audit_guard_lifted():
        for item in AuditEvent.objects.filter(seq__gte=seq).order_by("seq"):
            if item.seq == seq:
                item.data = {"n": "rewritten"}
            item.prev_hash = prev
            item.hash = item.compute_hash()
            models.QuerySet.update(
                AuditEvent.objects.filter(pk=item.pk),
                data=item.data,
                prev_hash=item.prev_hash,
                hash=item.hash,
            )
            prev = item.hash
        last = AuditEvent.objects.order_by("-seq").first()
        AuditHead.objects.filter(pk=1).update(seq=last.seq, hash=last.hash)


@pytest.fixture
def checkpointed() -> list[AuditEvent]:
    """Six events, with signed checkpoints at #2 and #5."""
    events = append(2)
    write_checkpoint()
    events += append(3)
    write_checkpoint()
    events += append(1)
    return events


# -- writing -----------------------------------------------------------------------------


def test_checkpoint_is_a_signed_note_of_size_and_head(checkpointed):
    # given / when
    note = load_verified_checkpoints()[-1]
    # then the body is origin, size, base64 head hash, and the signature verifies
    head = event(5).hash
    body = f"{ORIGIN}\n5\n{base64.b64encode(bytes.fromhex(head)).decode()}\n"
    assert (note.origin, note.size, note.head_hash, note.body) == (ORIGIN, 5, head, body)
    dash, name, signature = note.text.split("\n\n")[1].strip().split(" ")
    assert (dash, name) == ("\u2014", ORIGIN)
    vkey_name, vkey_id, vkey = (
        settings.HOMEWARD_AUDIT_VERIFY_KEY_FILE.read_text().strip().split("+", 2)
    )
    raw_key = base64.b64decode(vkey)
    assert (vkey_name, raw_key[:1], len(raw_key)) == (ORIGIN, b"\x01", 33)
    key_id = hashlib.sha256(ORIGIN.encode() + b"\n" + raw_key).digest()[:4]
    raw_signature = base64.b64decode(signature)
    assert (raw_signature[:4], vkey_id) == (key_id, key_id.hex())
    Ed25519PublicKey.from_public_bytes(raw_key[1:]).verify(raw_signature[4:], body.encode())


def test_file_holds_each_checkpoint_in_order_separated_by_a_blank_line(checkpointed):
    # given / when
    text = checkpoint_file()
    # then
    assert [c.size for c in load_verified_checkpoints()] == [2, 5]
    assert text.count(f"{ORIGIN}\n") == 2
    assert "\n\n\n" not in text and text.endswith("\n")


def test_signing_key_is_private_and_not_in_the_database(checkpointed):
    # given / when
    key_file = settings.HOMEWARD_AUDIT_SIGNING_KEY_FILE
    # then
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(settings.HOMEWARD_AUDIT_CHECKPOINT_FILE.stat().st_mode) == 0o600
    seed = key_file.read_text().strip().split("+", 4)[-1]
    dumped = json.dumps(list(AuditEvent.objects.values_list("data", flat=True)))
    assert key_file.read_text().startswith(f"PRIVATE+KEY+{ORIGIN}+")
    assert seed not in dumped


def test_a_key_readable_by_others_is_refused(checkpointed):
    # given
    settings.HOMEWARD_AUDIT_SIGNING_KEY_FILE.chmod(0o644)
    before = checkpoint_file()
    # when
    code, _out, message = command("audit_checkpoint")
    # then
    assert code == 2
    assert message.endswith("must be readable by its owner only.")
    assert checkpoint_file() == before


def test_command_prints_the_note_it_appended(checkpointed):
    # given / when
    code, out, _err = command("audit_checkpoint")
    # then
    assert code == 0
    assert out == load_verified_checkpoints()[-1].text
    assert out.startswith(f"{ORIGIN}\n6\n")


def test_checkpoint_of_an_empty_chain_verifies():
    # given / when
    write_checkpoint()
    # then
    assert [c.size for c in load_verified_checkpoints()] == [0]
    assert command("audit_verify")[:2] == (0, "Audit chain intact: 0 events verified.\n")


def test_no_checkpoint_is_signed_over_a_broken_chain(checkpointed):
    # given #6 (after the last checkpoint) altered in place
    with audit_guard_lifted():
        models.QuerySet.update(AuditEvent.objects.filter(seq=6), data={"n": 0})
    before = checkpoint_file()
    # when
    code, _out, message = command("audit_checkpoint")
    # then
    assert code == 1
    assert message == (
        "No checkpoint written: the audit chain is broken at event #6: "
        "content does not match its hash (altered)."
    )
    assert checkpoint_file() == before


def test_no_checkpoint_is_signed_over_a_rewritten_chain(checkpointed):
    # given the chain recomputed from #3, so it no longer extends the checkpoint at #5
    rewrite_from(3)
    # when / then
    code, _out, message = command("audit_checkpoint")
    assert (code, message) == (
        1,
        "No checkpoint written: the audit chain is broken at event #6: "
        "does not link to the event before it (inserted or reordered).",
    )


# -- a clean chain ---------------------------------------------------------------------------


def test_clean_chain_with_many_checkpoints_gives_no_alarm():
    # given 40 events with a checkpoint after every few, and more events after the last
    for batch in (1, 3, 7, 2, 11, 5):
        append(batch)
        write_checkpoint()
        write_checkpoint()  # the same head twice is fine too
    append(11)
    # when
    code, out, err = command("audit_verify")
    # then
    assert (code, out) == (0, "Audit chain intact: 40 events verified.\n")
    assert err == "Consistent with 12 signed checkpoints (latest at #29).\n"
    assert verify_chain(checkpoints=load_verified_checkpoints()) == (40, None)


def test_verify_without_checkpoints_says_what_it_cannot_see(db):
    # given / when
    append(2)
    code, out, err = command("audit_verify")
    # then
    assert (code, out) == (0, "Audit chain intact: 2 events verified.\n")
    assert err.startswith("No signed checkpoints yet: events cut from the end")


# -- the six tamper classes, with checkpoints ------------------------------------------------


def raw(sql: str, params=()) -> None:
    from django.db import connection

    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with audit_guard_lifted(), connection.cursor() as cursor:
        cursor.execute(sql.format(table=table), params)


def update_payload() -> None:
    with audit_guard_lifted():
        models.QuerySet.update(AuditEvent.objects.filter(seq=3), data={"n": 333})


def delete_middle() -> None:
    raw("DELETE FROM {table} WHERE seq = 4")


def insert_forged() -> None:
    # #6 renumbered to #7 and a forged #6, correctly hashed for its own content, put before it
    raw("UPDATE {table} SET seq = 7 WHERE seq = 6")
    forged = AuditEvent(
        seq=6,
        occurred_at=event(5).occurred_at,
        actor_username="mallory",
        event_type="test.thing.done",
        channel="web",
        data={"forged": True},
        prev_hash=event(5).hash,
    )
    forged.hash = forged.compute_hash()
    with audit_guard_lifted():
        models.QuerySet.update(AuditEvent.objects.filter(seq=7), prev_hash="e" * 64)
    forged.save(force_insert=True)


def reorder() -> None:
    raw("UPDATE {table} SET seq = 1000 WHERE seq = 2")
    raw("UPDATE {table} SET seq = 2 WHERE seq = 3")
    raw("UPDATE {table} SET seq = 3 WHERE seq = 1000")


def truncate_tail() -> None:
    # #5 and #6 removed, and the head rewound to #4 so the chain alone looks complete
    raw("DELETE FROM {table} WHERE seq >= 5")
    with audit_guard_lifted():
        AuditHead.objects.filter(pk=1).update(seq=4, hash=event(4).hash)


def full_rewrite() -> None:
    rewrite_from(2)


TAMPERING = [
    pytest.param(
        update_payload,
        False,
        ChainBreak(3, "content does not match its hash (altered)"),
        id="update-payload",
    ),
    pytest.param(
        delete_middle,
        False,
        ChainBreak(5, "expected #4; events are missing before it (removed)"),
        id="delete-middle",
    ),
    pytest.param(
        insert_forged,
        False,
        ChainBreak(7, "does not link to the event before it (inserted or reordered)"),
        id="insert-forged",
    ),
    pytest.param(
        reorder,
        False,
        ChainBreak(2, "does not link to the event before it (inserted or reordered)"),
        id="reorder",
    ),
    pytest.param(
        truncate_tail,
        True,
        ChainBreak(
            None,
            "a signed checkpoint covers #5 but the chain ends at #4 (events removed from the end)",
        ),
        id="truncate-tail-and-head",
    ),
    pytest.param(
        full_rewrite,
        True,
        ChainBreak(2, "differs from the signed checkpoint at it (chain rewritten)"),
        id="full-rewrite-and-head",
    ),
]


@pytest.mark.parametrize(("tamper", "only_checkpoints_see_it", "expected"), TAMPERING)
def test_tampering_is_detected_with_checkpoints(
    checkpointed, tamper, only_checkpoints_see_it, expected
):
    # given
    tamper()
    signed = load_verified_checkpoints()
    # when
    checked, broken = verify_chain(checkpoints=signed)
    code, _out, message = command("audit_verify")
    # then
    assert broken == expected
    assert (code, message) == (
        1,
        f"Audit chain broken at {expected} ({checked} events verified before it).",
    )
    # and the chain alone would have caught it, except for the last two classes
    assert (verify_chain()[1] is None) is only_checkpoints_see_it


# -- checkpoints that cannot be trusted ------------------------------------------------------


def edit_file(old: str, new: str) -> None:
    path = settings.HOMEWARD_AUDIT_CHECKPOINT_FILE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_checkpoint_with_a_changed_size_fails_its_signature(checkpointed):
    # given the size of the first checkpoint lowered, as if to allow a shorter chain
    edit_file(f"{ORIGIN}\n2\n", f"{ORIGIN}\n1\n")
    # when / then
    code, _out, message = command("audit_verify")
    assert (code, message) == (
        2,
        "Audit checkpoints cannot be trusted: checkpoint 1 in the file (size 1) has an "
        "invalid signature.",
    )


def test_a_checkpoint_with_a_changed_hash_fails_its_signature(checkpointed):
    # given the head hash of the second checkpoint replaced by a rewritten chain's hash
    head = base64.b64encode(bytes.fromhex(event(5).hash)).decode()
    edit_file(head, base64.b64encode(b"\x07" * 32).decode())
    # when / then
    assert command("audit_verify")[0] == 2


def test_a_checkpoint_signed_by_another_key_is_refused(checkpointed, tmp_path):
    # given the verifier key replaced by another key's (the attacker's own signer)
    settings.HOMEWARD_AUDIT_SIGNING_KEY_FILE = tmp_path / "other" / "key"
    settings.HOMEWARD_AUDIT_VERIFY_KEY_FILE = tmp_path / "other" / "key.pub"
    settings.HOMEWARD_AUDIT_CHECKPOINT_FILE = tmp_path / "other" / "checkpoints.txt"
    write_checkpoint()
    original = tmp_path / "audit-checkpoints" / "checkpoints.txt"
    # when the original checkpoints are checked with the other key
    code, _out, message = command("audit_verify", "--checkpoints", str(original))
    # then
    assert (code, message) == (
        2,
        f"Audit checkpoints cannot be trusted: checkpoint 1 in the file (size 2) is not "
        f"signed by {ORIGIN}.",
    )


def test_a_missing_verifier_key_is_refused(checkpointed):
    # given
    settings.HOMEWARD_AUDIT_VERIFY_KEY_FILE.unlink()
    # when / then
    code, _out, message = command("audit_verify")
    assert code == 2
    assert message.startswith("Audit checkpoints cannot be trusted: No audit verifier key at ")


def test_a_checkpoint_for_another_origin_is_refused(checkpointed):
    # given
    edit_file(f"{ORIGIN}\n5\n", "elsewhere.example/log\n5\n")
    # when / then
    with pytest.raises(CheckpointError, match=r"is for 'elsewhere\.example/log'"):
        load_verified_checkpoints()


def test_a_half_written_checkpoint_is_refused(checkpointed):
    # given the file cut in the middle of the last note
    path = settings.HOMEWARD_AUDIT_CHECKPOINT_FILE
    path.write_text(path.read_text().rsplit("\n\n", 1)[0] + "\n")
    # when / then
    with pytest.raises(CheckpointError, match="ends in a partial checkpoint"):
        load_verified_checkpoints()


def test_a_witness_cosignature_is_kept_and_ignored(checkpointed):
    # given a witness's signature line added under ours
    path = settings.HOMEWARD_AUDIT_CHECKPOINT_FILE
    text = path.read_text()
    ours = text.split("\n\n")[1]
    witness = "\u2014 witness.example " + base64.b64encode(b"\x01\x02\x03\x04" + b"w" * 64).decode()
    path.write_text(text.replace(ours, f"{ours}\n{witness}", 1))
    # when / then
    assert [c.size for c in load_verified_checkpoints()] == [2, 5]
    assert command("audit_verify")[0] == 0
