"""Two approvers at the same moment: exactly one decision, one event (G14).

Threads released by a barrier call the service on their own database connections. On
PostgreSQL the conditional UPDATE makes the second wait for the first and then find the
export decided; on SQLite (IMMEDIATE transactions) the writers queue and the same check
decides. The serial version of the race is in test_services.py.
"""

import threading

import pytest
from django.db import connection

from homeward.audit.models import AuditEvent
from homeward.exports import events, services
from homeward.exports.exceptions import ExportStateError
from homeward.exports.models import ExportRequest
from tests.conftest import make_user, register
from tests.exports.conftest import make_supervisor, request

REPETITIONS = 50


def _race(export, approvers) -> tuple[list[str], list[str]]:
    barrier = threading.Barrier(len(approvers))
    outcomes: list[str] = []
    errors: list[str] = []

    def approve(approver) -> None:
        try:
            barrier.wait(timeout=10)
            services.approve_export(export, actor=approver)
            outcomes.append("approved")
        except ExportStateError:
            outcomes.append("conflict")
        except Exception as exc:  # noqa: BLE001 - any other failure fails the test
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(user,)) for user in approvers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes), errors


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_approvals_have_exactly_one_effect():
    # given a consul's export and two supervisors
    from homeward.accounts.services import sync_standard_roles

    roles = sync_standard_roles()
    officer = make_user("mfa.officer", roles)
    consul = make_user("consul.ru", roles)
    register(officer, name="خديجة حسينوفا", state="RU")
    approvers = [make_supervisor("mfa.supervisor"), make_supervisor("mfa.supervisor2")]
    for _ in range(REPETITIONS):
        export = request(consul)
        # when both approve at the same moment
        outcomes, errors = _race(export, approvers)
        # then one wins, the other is told it was decided, and one event exists
        assert errors == []
        assert outcomes == ["approved", "conflict"]
        decided = ExportRequest.objects.get(pk=export.pk)
        assert decided.state == "approved"
        assert decided.decided_by in approvers
        assert (
            AuditEvent.objects.filter(
                event_type=events.EXPORT_APPROVED, object_id=str(export.pk)
            ).count()
            == 1
        )
    assert connection.vendor in {"sqlite", "postgresql"}
