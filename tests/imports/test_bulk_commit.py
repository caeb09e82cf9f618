"""The bulk commit of people imports: the same records, audit events and tracing proposals as
the single-record services, in a valid audit chain, written a chunk at a time."""

import datetime

import pytest
from django.db import IntegrityError, connection
from django.utils import timezone

from homeward.audit.models import AuditEvent
from homeward.audit.services import record_event, record_events
from homeward.audit.verify import verify_chain
from homeward.cases import events as case_events
from homeward.cases.models import Case
from homeward.imports import events, services
from homeward.imports.choices import BatchStatus
from homeward.imports.models import ImportedRecord
from homeward.matching import events as matching_events
from homeward.matching.models import TracingMatch
from homeward.people import events as people_events
from homeward.people.models import CustodyEpisode, Person, PersonName, Relationship
from tests.conftest import register
from tests.imports.conftest import (
    CHILD_HEADERS,
    assert_ready,
    child_row,
    csv_bytes,
    upload_and_check,
)
from tests.matching.test_tracing import file_request


def _ready(registrar, rows):
    batch = upload_and_check(registrar, "children", csv_bytes([CHILD_HEADERS, *rows]))
    assert_ready(batch)
    return batch


def _commit(registrar, rows):
    return services.commit_batch(_ready(registrar, rows), actor=registrar)


def test_a_bulk_commit_writes_what_the_services_write_with_a_valid_chain(
    registrar, prison, monkeypatch
):
    monkeypatch.setattr(services, "COMMIT_CHUNK", 4)  # three chunks: 4 + 4 + 2 rows
    rows = [child_row(f"Child {n}", mother=f"Mother {n // 2}") for n in range(10)]
    batch = _ready(registrar, rows)
    before = AuditEvent.objects.count()
    batch = services.commit_batch(batch, actor=registrar)
    assert batch.status == BatchStatus.COMMITTED, batch.failure
    assert Person.objects.filter(kind="child").count() == 10
    assert Person.objects.filter(kind="adult").count() == 5  # two children per mother
    assert Case.objects.count() == 10
    assert len(set(Case.objects.values_list("reference", flat=True))) == 10
    assert CustodyEpisode.objects.filter(facility=prison, ended_on=None).count() == 10
    assert Relationship.objects.filter(relationship_type="mother").count() == 10
    child = Person.objects.get(names__full_text="Child 3")
    episode = child.custody_episodes.get()
    assert episode.with_person == child.relationships.get().relative
    assert episode.recorded_by == registrar
    assert child.names.get().is_primary and child.names.get().search_text == "child 3"
    assert child.name_keys.exists()
    # per record, the events the single-record services write, then the batch's own
    kinds = list(
        AuditEvent.objects.filter(seq__gt=before)
        .order_by("seq")
        .values_list("event_type", flat=True)
    )
    assert kinds[:4] == [
        people_events.ADULT_REGISTERED,
        case_events.CASE_OPENED,
        people_events.CHILD_REGISTERED,
        people_events.RELATIONSHIP_LINKED,
    ]
    assert kinds.count(people_events.CHILD_REGISTERED) == 10
    assert kinds.count(people_events.ADULT_REGISTERED) == 5
    assert kinds.count(case_events.CASE_OPENED) == 10
    assert kinds.count(people_events.RELATIONSHIP_LINKED) == 10
    assert kinds[-1] == events.BATCH_COMMITTED
    registered = AuditEvent.objects.get(
        event_type=people_events.CHILD_REGISTERED, object_id=str(child.pk)
    )
    assert (registered.case_id, registered.person_id, registered.home_state) == (
        child.case.pk,
        child.pk,
        "RU",
    )
    assert registered.data == {"case": child.case.reference, "names": 1, "custody": True}
    assert registered.actor == registrar
    # every created record is linked to its row, and the chain verifies end to end
    # per child: the child, its case and the link to its mother; then the five mothers
    assert ImportedRecord.objects.filter(batch=batch).count() == 10 * 3 + 5
    assert verify_chain() == (AuditEvent.objects.count(), None)
    record_event("test.after", actor=None)  # the head moved with the bulk append
    assert verify_chain() == (AuditEvent.objects.count(), None)


def test_record_events_makes_the_chain_record_event_would(db):
    first = record_events(
        [
            {"event_type": "test.one", "actor": None, "data": {"n": 1}},
            {"event_type": "test.two", "actor": None, "home_state": "RU"},
        ]
    )
    single = record_event("test.three", actor=None)
    assert [event.seq for event in first] == [single.seq - 2, single.seq - 1]
    assert first[1].prev_hash == first[0].hash and single.prev_hash == first[1].hash
    assert [e.hash for e in AuditEvent.objects.order_by("seq")][-3:] == [
        first[0].hash,
        first[1].hash,
        single.hash,
    ]
    assert all(event.compute_hash() == event.hash for event in AuditEvent.objects.all())
    assert verify_chain() == (AuditEvent.objects.count(), None)
    assert record_events([]) == []


def test_an_imported_child_is_proposed_to_an_open_tracing_request(users, registrar, prison):
    tracing = file_request(
        users["mfa.officer"], child_name="Ясмина Алиева", child_birth_year=2015, mother_name=""
    )
    batch = _commit(
        registrar, [child_row("ياسمينة علييفا", born="2015", mother="", unaccompanied="yes")]
    )
    assert batch.status == BatchStatus.COMMITTED, batch.failure
    child = Person.objects.get(names__full_text="ياسمينة علييفا")
    assert TracingMatch.objects.get(request=tracing).person == child
    event = AuditEvent.objects.get(event_type=matching_events.TRACING_MATCHES_PROPOSED)
    assert event.person_id == child.pk
    assert verify_chain() == (AuditEvent.objects.count(), None)


def test_a_clash_at_write_time_fails_the_whole_import(registrar, prison, monkeypatch):
    """A case reference taken meanwhile: the database refuses, nothing of the import stays."""
    rows = [child_row("One"), child_row("Two")]
    batch = upload_and_check(registrar, "children", csv_bytes([CHILD_HEADERS, *rows]))
    assert_ready(batch)
    before = (Person.objects.count(), Case.objects.count(), PersonName.objects.count())
    events_before = AuditEvent.objects.count()

    def clash(self, *args, **kwargs):
        raise IntegrityError("UNIQUE constraint failed: cases_case.reference")

    monkeypatch.setattr("homeward.people.services.BulkRegistration.flush", clash)
    batch = services.commit_batch(batch, actor=registrar)
    assert batch.status == BatchStatus.FAILED
    assert batch.failure == (
        "The import could not be written: a record clashes with one already registered "
        "(for example a case reference)."
    )
    assert (Person.objects.count(), Case.objects.count(), PersonName.objects.count()) == before
    assert not ImportedRecord.objects.exists()
    assert list(
        AuditEvent.objects.filter(seq__gt=events_before).values_list("event_type", flat=True)
    ) == [events.BATCH_COMMIT_FAILED]


def _cache_size():
    """SQLite's page cache of this connection (None on PostgreSQL, which has none)."""
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)  # SQLite changes temp_store outside transactions only
@pytest.mark.parametrize("fails", [False, True])
def test_the_commit_writes_with_a_wide_sqlite_page_cache_and_memory_journals_and_restores_them(
    registrar, prison, monkeypatch, fails
):
    """Issue 9: with SQLite's 2 MiB cache the commit spilled pages to the write-ahead log
    mid-transaction and read them back, so each chunk cost more than the one before."""
    batch = _ready(registrar, [child_row("One"), child_row("Two")])
    before, seen = _cache_size(), []
    kind = services.KINDS["children"]
    flush = kind.flush

    def watched(ctx):
        seen.append(_cache_size())
        if sqlite:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA temp_store")
                seen.append(("temp_store", cursor.fetchone()[0]))
        if fails:
            raise IntegrityError("UNIQUE constraint failed: cases_case.reference")
        return flush(ctx)

    sqlite = connection.vendor == "sqlite"
    monkeypatch.setattr(kind, "flush", watched)
    batch = services.commit_batch(batch, actor=registrar)
    assert batch.status == (BatchStatus.FAILED if fails else BatchStatus.COMMITTED)
    # one chunk, written with the 512 MiB cache and the statement journals in memory (on
    # SQLite; PostgreSQL's are the server's)
    assert seen == ([-512 * 1024, ("temp_store", 2)] if sqlite else [None])
    assert services.COMMIT_PAGE_CACHE_MIB == 512
    assert _cache_size() == before == (-2000 if sqlite else None)
    if sqlite:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA temp_store")
            assert cursor.fetchone()[0] == 0


@pytest.mark.parametrize("fails", [False, True])
def test_the_commit_collects_garbage_once_per_chunk_and_restores_the_collector(
    registrar, prison, monkeypatch, fails
):
    """Full collections walking every object while a chunk was held cost a quarter of the
    commit's CPU: the collector is paused, and collects the young generations per chunk."""
    import gc

    monkeypatch.setattr(services, "COMMIT_CHUNK", 2)  # two chunks: 2 + 1 rows
    batch = _ready(registrar, [child_row("One"), child_row("Two"), child_row("Three")])
    kind = services.KINDS["children"]
    flush, collect, seen = kind.flush, gc.collect, []

    def watched(ctx):
        seen.append(("flush", gc.isenabled()))
        if fails:
            raise IntegrityError("UNIQUE constraint failed: cases_case.reference")
        return flush(ctx)

    monkeypatch.setattr(kind, "flush", watched)
    monkeypatch.setattr(gc, "collect", lambda generation=2: seen.append(("collect", generation)))
    batch = services.commit_batch(batch, actor=registrar)
    monkeypatch.setattr(gc, "collect", collect)
    assert batch.status == (BatchStatus.FAILED if fails else BatchStatus.COMMITTED)
    if fails:
        assert seen == [("flush", False)]
    else:
        assert seen == [("flush", False), ("collect", 1), ("flush", False), ("collect", 1)]
    assert gc.isenabled()


def test_the_dry_run_collects_garbage_once_per_chunk_and_restores_the_collector(
    registrar, prison, monkeypatch
):
    """The file's rows stay in memory for the whole dry run, so full collections walked them
    again and again (a quarter of its CPU): paused, and the young generations per chunk."""
    import gc

    from homeward.core import bulk

    monkeypatch.setattr(services, "CHUNK", 2)  # two chunks: 2 + 1 rows
    insert, collect, seen = bulk.insert, gc.collect, []

    def watched(model, objs, **options):
        seen.append(("insert", len(objs), gc.isenabled()))
        return insert(model, objs, **options)

    monkeypatch.setattr(services, "insert", watched)
    monkeypatch.setattr(gc, "collect", lambda generation=2: seen.append(("collect", generation)))
    data = csv_bytes([CHILD_HEADERS, child_row("One"), child_row("Two"), child_row("Three")])
    batch = upload_and_check(registrar, "children", data)
    monkeypatch.setattr(gc, "collect", collect)
    assert batch.status == BatchStatus.READY and batch.rows.count() == 3
    assert seen == [("insert", 2, False), ("collect", 1), ("insert", 1, False), ("collect", 1)]
    assert gc.isenabled()


@pytest.mark.parametrize("rows", [1, 3])
def test_a_bad_row_found_while_staging_is_named(registrar, prison, monkeypatch, rows):
    """A model invariant refused while staging names the row, as the row-by-row commit did."""
    batch = upload_and_check(
        registrar,
        "children",
        csv_bytes([CHILD_HEADERS, *[child_row(f"Child {n}") for n in range(rows)]]),
    )
    assert_ready(batch)
    from homeward.people.models import CustodyEpisode as Episode

    original = Episode.clean

    def refuse_last(self):
        if self.child._staged_names[0].full_text == f"Child {rows - 1}":
            from django.core.exceptions import ValidationError

            raise ValidationError({"started_on": "closed facility"})
        return original(self)

    monkeypatch.setattr(Episode, "clean", refuse_last)
    batch = services.commit_batch(batch, actor=registrar)
    assert batch.status == BatchStatus.FAILED
    assert batch.failure == f"Row {rows + 1}: closed facility"
    assert not Person.objects.filter(kind="child").exists()


# -- custody moves (people.services.BulkCustody) ----------------------------------------------

CUSTODY_HEADERS = ["case_reference", "facility", "since", "with_mother", "legal_basis"]


def _custody_ready(registrar, rows):
    batch = upload_and_check(registrar, "custody", csv_bytes([CUSTODY_HEADERS, *rows]))
    assert_ready(batch)
    return batch


def test_a_bulk_custody_commit_closes_moves_and_audits_each_move(
    registrar, registry, prison, orphanage, monkeypatch
):
    monkeypatch.setattr(services, "COMMIT_CHUNK", 2)  # the child's two moves in two chunks
    ru, tj = registry["ru_child"], registry["tj_child"]
    rows = [
        [ru.case.reference, "Dar al-Hanan Orphanage", "2020-05-01", "yes", "Order 12/2020"],
        [tj.case.reference, "Dar al-Hanan Orphanage", "2020-05-02", "no", ""],
        [ru.case.reference, "Rusafa Women's Prison", "2021-06-03", "no", "Order 7/2021"],
    ]
    batch = _custody_ready(registrar, rows)
    before = AuditEvent.objects.count()
    batch = services.commit_batch(batch, actor=registrar)
    assert batch.status == BatchStatus.COMMITTED, batch.failure
    episodes = list(
        CustodyEpisode.objects.filter(child=ru)
        .order_by("started_on")
        .values_list("facility__name_en", "started_on", "ended_on", "with_person", "legal_basis")
    )
    assert [(f, str(s), e and str(e), w, b) for f, s, e, w, b in episodes] == [
        ("Rusafa Women's Prison", "2018-01-10", "2020-05-01", None, ""),
        ("Dar al-Hanan Orphanage", "2020-05-01", "2021-06-03", registry["ru_mother"].pk,
         "Order 12/2020"),
        ("Rusafa Women's Prison", "2021-06-03", None, None, "Order 7/2021"),
    ]  # fmt: skip
    current = CustodyEpisode.objects.get(child=tj, ended_on=None)
    assert (current.facility, str(current.started_on), current.recorded_by) == (
        orphanage,
        "2020-05-02",
        registrar,
    )
    assert current.reason == f"Import {batch.short_id}, row 3"
    moved = list(
        AuditEvent.objects.filter(seq__gt=before, event_type=people_events.CUSTODY_MOVED)
        .order_by("seq")
        .values_list("object_id", "case_id", "home_state", "data")
    )
    new = {e.pk: e for e in CustodyEpisode.objects.filter(recorded_by=registrar)}
    assert len(new) == 3
    assert [(new[int(pk)].child, case, state) for pk, case, state, _data in moved] == [
        (ru, ru.case.pk, "RU"),
        (tj, tj.case.pk, "TJ"),
        (ru, ru.case.pk, "RU"),
    ]
    assert [data for *_rest, data in moved] == [
        {"from_facility": prison.pk, "to_facility": orphanage.pk, "started_on": "2020-05-01",
         "legal_basis": "Order 12/2020"},
        {"from_facility": prison.pk, "to_facility": orphanage.pk, "started_on": "2020-05-02",
         "legal_basis": ""},
        {"from_facility": orphanage.pk, "to_facility": prison.pk, "started_on": "2021-06-03",
         "legal_basis": "Order 7/2021"},
    ]  # fmt: skip
    assert sorted(
        ImportedRecord.objects.filter(batch=batch).values_list("row__number", "object_id")
    ) == sorted(
        (n, str(e.pk))
        for n, e in zip([2, 3, 4], sorted(new.values(), key=lambda e: e.pk), strict=True)
    )
    assert verify_chain() == (AuditEvent.objects.count(), None)


def test_a_bulk_custody_commit_refuses_a_move_dated_before_the_one_staged_before_it(
    registrar, registry, orphanage
):
    ru = registry["ru_child"]
    rows = [
        [ru.case.reference, "Dar al-Hanan Orphanage", "2021-05-01", "no", ""],
        [ru.case.reference, "Rusafa Women's Prison", "2020-05-01", "no", ""],
    ]
    batch = _custody_ready(registrar, rows)  # each is after the placement on record
    episodes = list(CustodyEpisode.objects.values_list("pk", "ended_on"))
    events_before = AuditEvent.objects.filter(event_type=people_events.CUSTODY_MOVED).count()
    batch = services.commit_batch(batch, actor=registrar)
    assert batch.status == BatchStatus.FAILED
    assert batch.failure == (
        "Row 3: The move cannot be dated before the current placement began (2021-05-01)."
    )
    assert list(CustodyEpisode.objects.values_list("pk", "ended_on")) == episodes
    assert AuditEvent.objects.filter(event_type=people_events.CUSTODY_MOVED).count() == (
        events_before
    )
    assert not ImportedRecord.objects.filter(batch=batch).exists()


def test_a_bulk_custody_move_refuses_an_overlap_with_a_past_placement(
    registrar, registry, orphanage
):
    """The overlap check reads the child's episodes once; a closed placement that ends after
    the new start still refuses the move, as the single service does."""
    ru = registry["ru_child"]
    CustodyEpisode.objects.create(
        child=ru, facility=orphanage, started_on="2019-01-01", ended_on="2019-06-01"
    )
    rows = [[ru.case.reference, "Dar al-Hanan Orphanage", "2019-03-01", "no", ""]]
    batch = _custody_ready(registrar, rows)
    count = CustodyEpisode.objects.count()
    batch = services.commit_batch(batch, actor=registrar)
    assert (batch.status, batch.failure) == (
        BatchStatus.FAILED,
        "Row 2: This period overlaps another custody episode of the same child.",
    )
    assert CustodyEpisode.objects.count() == count
    assert CustodyEpisode.objects.get(child=ru, ended_on=None).started_on.isoformat() == (
        "2018-01-10"
    )


def test_a_bulk_custody_commit_starts_the_limbo_of_a_child_placed_for_the_first_time(
    registrar, users, registry, orphanage
):
    # given a child registered with no placement: limbo counts from the case's opening
    child = register(users["mfa.officer"], name="آمنة داكاييفا", state="RU")
    opened = Case.objects.get(child=child).held_since
    assert opened == timezone.localdate()
    # when the register places the child on 1 May 2020
    batch = _custody_ready(
        registrar, [[child.case.reference, "Dar al-Hanan Orphanage", "2020-05-01", "no", ""]]
    )
    batch = services.commit_batch(batch, actor=registrar)
    # then the stored start of limbo is the first placement, in the same transaction
    assert batch.status == BatchStatus.COMMITTED, batch.failure
    assert Case.objects.get(child=child).held_since == datetime.date(2020, 5, 1)
