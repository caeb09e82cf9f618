"""A children list's name search does not outlive its export (retention) nor enter the trail.

The export request keeps the list's filters while it is open (the approver sees what was
asked); its end (expiry by the retention purge, or the requester's deletion) clears them,
and a refused export's filters are cleared once it is as old as an expired one. The audit
event of the request records that a name search was given, never the name.
"""

import datetime
import json

import pytest

from homeward.audit.models import AuditEvent
from homeward.exports import events, services
from homeward.exports.choices import Dataset, ExportFormat, ExportState
from homeward.exports.models import ExportRequest
from tests.exports.conftest import request

pytestmark = pytest.mark.django_db

NAME = "فاطمة"
FILTERS = {"q": NAME, "sex": "female"}
KEEP = datetime.timedelta(days=7)


def _children_export(users) -> ExportRequest:
    return request(
        users["mfa.officer"],
        dataset=Dataset.CHILDREN,
        file_format=ExportFormat.CSV,
        filters=FILTERS,
    )


def _trail_text() -> str:
    return json.dumps(list(AuditEvent.objects.values_list("data", flat=True)), ensure_ascii=False)


def test_the_request_event_records_that_a_name_was_searched_not_the_name(users, registry):
    # given / when an officer exports the children list searched by name
    export = _children_export(users)
    # then the request keeps the filters for the approver, the rows they matched
    assert export.filters == FILTERS
    assert export.record_ids == [str(registry["tj_child"].pk)]
    # and its audit event says a name was given, without the name; the name is nowhere
    event = AuditEvent.objects.get(event_type=events.EXPORT_REQUESTED)
    assert event.data["filters"] == {"q": "<given>", "sex": "female"}
    assert NAME not in _trail_text()


def test_the_retention_purge_clears_the_filters_with_the_file(users, registry):
    # given an open export of the children list searched by name
    export = _children_export(users)
    # when the purge runs once it is older than the keep days
    purged = services.purge_expired_exports(export.requested_at + KEEP + datetime.timedelta(1))
    # then it has ended and its filters, the name with them, are gone
    assert purged == [str(export.pk)]
    export.refresh_from_db()
    assert (export.state, export.filters) == (ExportState.EXPIRED, {})
    assert not ExportRequest.objects.filter(filters__has_key="q").exists()
    assert NAME not in _trail_text()


def test_the_purge_leaves_a_younger_exports_filters(users, registry):
    # given an export requested a day ago
    export = _children_export(users)
    # when the purge runs
    purged = services.purge_expired_exports(export.requested_at + datetime.timedelta(days=1))
    # then nothing ends and the approver still sees what was asked
    assert purged == []
    export.refresh_from_db()
    assert (export.state, export.filters) == (ExportState.REQUESTED, FILTERS)


def test_the_requesters_deletion_clears_the_filters(users, registry):
    # given an open export searched by name
    export = _children_export(users)
    # when the requester deletes it
    services.delete_export(export, actor=users["mfa.officer"])
    # then its filters are gone with it
    export.refresh_from_db()
    assert (export.state, export.filters) == (ExportState.DELETED, {})


def test_a_refused_exports_filters_are_cleared_when_as_old_as_an_expired_one(
    users, registry, supervisors
):
    # given an export searched by name, refused by a supervisor
    export = _children_export(users)
    services.reject_export(export, actor=supervisors["first"], note="Not needed")
    export.refresh_from_db()
    # when the purge runs before, then after, the keep days since the refusal
    services.purge_expired_exports(export.decided_at + KEEP - datetime.timedelta(seconds=1))
    kept = ExportRequest.objects.get(pk=export.pk).filters
    services.purge_expired_exports(export.decided_at + KEEP + datetime.timedelta(seconds=1))
    # then the filters stay until then and are cleared after, with one event (ids only)
    assert kept == FILTERS
    export.refresh_from_db()
    assert (export.state, export.filters) == (ExportState.REJECTED, {})
    cleared = AuditEvent.objects.get(event_type=events.EXPORT_FILTERS_CLEARED)
    assert (cleared.actor, cleared.actor_username, cleared.object_id) == (
        None,
        "system",
        str(export.pk),
    )
    assert cleared.data == {"state": "rejected"}
    # and a second run clears nothing more
    services.purge_expired_exports(export.decided_at + KEEP * 2)
    assert AuditEvent.objects.filter(event_type=events.EXPORT_FILTERS_CLEARED).count() == 1
