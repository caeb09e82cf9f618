"""G19/G21: sealed fields are ciphertext at rest, bound to their row and column, and found by
number only through a keyed blind index (reference/security.md §4, §7)."""

import datetime
import json
import logging
import os
import re
import shutil
import subprocess

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from rest_framework.test import APIClient

from homeward.audit.models import AuditEvent
from homeward.crypto.aead import DecryptionError, blind_index, key_id_of
from homeward.crypto.fields import BlindIndexField, Sealed, SealedFieldMixin
from homeward.crypto.keyring import get_keyring, reset_keyring_cache
from homeward.crypto.registry import BLIND_INDEXED, CLASSIFICATION, sealed_fields
from homeward.evidence.models import Clearance, Incident, TravelDocument
from homeward.evidence.services.documents import record_travel_document
from tests.crypto.conftest import canary, make_sealed_records

CANARY = re.compile(rb"CNRY")


def raw_value(model, field_name: str, pk) -> bytes:
    field = model._meta.get_field(field_name)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {connection.ops.quote_name(field.column)} FROM "  # noqa: S608
            f"{connection.ops.quote_name(model._meta.db_table)} WHERE "
            f"{connection.ops.quote_name(model._meta.pk.column)} = %s",
            [model._meta.pk.get_db_prep_value(pk, connection)],
        )
        return bytes(cursor.fetchone()[0])


def test_every_registered_field_is_sealed_and_every_sealed_field_is_registered():
    registered = {
        (label.lower(), name)
        for entries in CLASSIFICATION.values()
        for label, names in entries.items()
        for name in names
    }
    for label, name in registered:
        field = apps.get_model(label)._meta.get_field(name)
        assert isinstance(field, SealedFieldMixin), f"{label}.{name} is not sealed"
    sealed = {
        (model._meta.label_lower, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, SealedFieldMixin)
    }
    assert sealed == registered
    assert len(registered) == 14


def test_sealed_values_read_back_clear_and_are_ciphertext_in_the_column(registry):
    records = make_sealed_records(registry["ru_child"])
    incident = Incident.objects.get(pk=records["incident"].pk)
    assert incident.description == canary("incident")
    assert TravelDocument.objects.get().number == canary("passport")
    assert Clearance.objects.get(clearance_type="medical").comments == canary("medcomments")
    assert records["court_case"].__class__.objects.get().charges == [canary("charge")]
    # the column holds version ‖ key id ‖ nonce ‖ ciphertext ‖ tag, never the text
    stored = raw_value(Incident, "description", incident.pk)
    assert stored[0] == 1
    assert key_id_of(stored) == get_keyring().primary("field").key_id
    assert len(stored) == 1 + 4 + 12 + len(canary("incident")) + 16
    assert b"CNRY" not in stored
    # values() never opens anything
    assert isinstance(Incident.objects.values_list("description", flat=True).get(), Sealed)


def test_a_ciphertext_moved_to_another_row_or_column_does_not_decrypt(registry, caplog):
    child = registry["ru_child"]
    first = make_sealed_records(child, tag="1")
    second = make_sealed_records(registry["tj_child"], tag="2")
    table = connection.ops.quote_name(Incident._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET description = %s WHERE id = %s",  # noqa: S608
            [raw_value(Incident, "description", first["incident"].pk), second["incident"].pk.hex],
        )
        clearance = connection.ops.quote_name(Clearance._meta.db_table)
        cursor.execute(
            f"UPDATE {clearance} SET comments = conditions WHERE id = %s",  # noqa: S608
            [first["medical"].pk.hex],
        )
    swapped_row = Incident.objects.get(pk=second["incident"].pk)
    swapped_column = Clearance.objects.get(pk=first["medical"].pk)
    with caplog.at_level(logging.ERROR, logger="homeward.crypto"):
        with pytest.raises(DecryptionError):
            swapped_row.description  # noqa: B018
        with pytest.raises(DecryptionError):
            swapped_column.comments  # noqa: B018
    assert [r.getMessage().split()[0] for r in caplog.records] == ["crypt_decrypt_fail"] * 2
    assert "CNRY" not in caplog.text
    assert swapped_column.conditions == canary("medconditions1")  # the untouched value opens


def test_a_swapped_value_answers_the_generic_500_page(registry, users, caplog):
    first = make_sealed_records(registry["ru_child"], tag="1")
    second = make_sealed_records(registry["ru_brother"], tag="2")
    table = connection.ops.quote_name(Incident._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET description = %s WHERE id = %s",  # noqa: S608
            [raw_value(Incident, "description", first["incident"].pk), second["incident"].pk.hex],
        )
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(users["mfa.officer"])
    with caplog.at_level(logging.ERROR):
        response = client.get(f"/api/v1/incidents/{second['incident'].pk}/")
    assert response.status_code == 500
    assert b"CNRY" not in response.content
    assert b"DecryptionError" not in response.content
    assert "crypt_decrypt_fail" in caplog.text
    assert client.get(f"/api/v1/incidents/{first['incident'].pk}/").status_code == 200


def test_filtering_on_a_sealed_field_is_refused(db):
    with pytest.raises(TypeError, match="sealed"):
        list(Incident.objects.filter(description="anything"))
    with pytest.raises(TypeError, match="sealed"):
        Incident.objects.update(description="anything")


def test_document_numbers_are_found_through_the_blind_index(registry, users):
    child = registry["ru_child"]
    document = make_sealed_records(child)["travel_document"]
    typed = canary("passport").lower().replace("passport", "pass-port ")  # as a clerk types it
    found = TravelDocument.objects.filter(**BlindIndexField.lookup(TravelDocument, "number", typed))
    assert list(found) == [document]
    other = BlindIndexField.lookup(TravelDocument, "number", "CNRYpassportXCNRY")
    assert not TravelDocument.objects.filter(**other).exists()
    # keyed, truncated to 64 bits, and different for another column
    stored = TravelDocument.objects.values_list("number_bidx", flat=True).get()
    assert re.fullmatch(r"[0-9a-f]{16}", stored)
    assert stored != blind_index(canary("passport"), table="evidence_travel", column="number")
    assert canary("passport").encode().hex() not in stored


def test_blind_indexes_exist_only_on_document_numbers(db):
    with connection.cursor() as cursor:
        columns = {
            (table, column.name)
            for table in connection.introspection.table_names(cursor)
            for column in connection.introspection.get_table_description(cursor, table)
            if column.name.endswith("_bidx")
        }
    assert columns == {("evidence_traveldocument", "number_bidx")}
    assert BLIND_INDEXED == {"evidence.TravelDocument": ("number",)}


def test_the_keyring_lives_outside_the_database_in_private_files(db, private_keyring):
    ring = get_keyring()
    assert oct(private_keyring.stat().st_mode & 0o777) == "0o600"
    assert oct(ring.kek_path.stat().st_mode & 0o777) == "0o600"
    document = json.loads(private_keyring.read_text())
    assert sorted(document["primary"]) == ["bidx", "field", "file"]
    assert all("key" not in entry for entry in document["keys"])  # only wrapped keys
    assert ring.kek_path.read_text() not in private_keyring.read_text()


def test_a_keyring_without_its_kek_is_refused_not_replaced(db, private_keyring):
    ring = get_keyring()
    ring.kek_path.unlink()
    reset_keyring_cache()
    with pytest.raises(ImproperlyConfigured, match="key-encryption key"):
        get_keyring()
    assert not ring.kek_path.exists()


def _database_bytes() -> bytes:
    """Everything the database holds, as an attacker with the files or a dump would see it."""
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        env = {**os.environ, "PGPASSWORD": settings_dict.get("PASSWORD") or ""}
        return subprocess.run(  # noqa: S603
            [
                shutil.which("pg_dump") or "/usr/bin/pg_dump",
                "--data-only",
                "-h",
                settings_dict.get("HOST") or "127.0.0.1",
                "-p",
                str(settings_dict.get("PORT") or 5432),
                "-U",
                settings_dict.get("USER") or "postgres",
                settings_dict["NAME"],
            ],
            check=True,
            capture_output=True,
            env=env,
        ).stdout
    # SQLite: the database file and its write-ahead log, byte for byte
    name = settings_dict["NAME"]
    return b"".join(
        open(path, "rb").read() for path in (name, f"{name}-wal") if os.path.exists(path)
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_canaries_never_reach_the_database_files_or_the_audit_trail(registry, users):
    # given every sealed field of two children holds a canary, one written through a service
    make_sealed_records(registry["ru_child"], tag="A")
    make_sealed_records(registry["tj_child"], tag="B")
    record_travel_document(
        registry["ru_brother"].case,
        actor=users["consul.ru"],
        document_type="passport",
        number=canary("servicepassport"),
        issued_by="Embassy of Russia",
        issued_on=datetime.date(2024, 1, 1),
        valid_until=datetime.date(2030, 1, 1),
    )
    # and a plaintext control in a field that is not sealed by design (the method sees text)
    Incident.objects.filter(pk__isnull=False).update(reported_to=["CTRLvisibleCTRL"])
    # when the database is dumped
    dump = _database_bytes()
    # then no canary is in it, while the plaintext control is
    assert b"CTRLvisibleCTRL" in dump
    assert CANARY.findall(dump) == []
    # and no audit payload carries one
    assert AuditEvent.objects.exists()
    assert all("CNRY" not in json.dumps(e.data) for e in AuditEvent.objects.all())
    # and every value still opens
    assert sorted(TravelDocument.objects.values_list("number_bidx", flat=True)) == sorted(
        d.number_bidx for d in TravelDocument.objects.all()
    )
    assert {d.number for d in TravelDocument.objects.all()} == {
        canary("passportA"),
        canary("passportB"),
        canary("servicepassport"),
    }
    assert len(sealed_fields()) == 9  # models holding sealed fields (+ webhook secrets, answers)
