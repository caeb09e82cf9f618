"""Write use cases of return operations: one durable transaction each, audit event inside.

Every service checks the actor's capability and scope (a consul of Russia cannot touch a
Tajik operation: OutOfScopeError), the expected version (StaleEditError) and the status the
step starts from (OperationStateError); bad input is a ValidationError naming the field.
A case moves only through the workflow engine (`workflow.services._engine.move`), inside
the same transaction: freezing schedules every child, completion hands every boarded child
over, and either everything commits or nothing does. `actor=None` is the system (demo data).
"""

import calendar
import datetime
import decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.accounts import capabilities as cap
from homeward.audit.services import record_event
from homeward.cases.choices import CaseStatus
from homeward.cases.facts import refresh_limbo_facts
from homeward.cases.models import Case
from homeward.core.exceptions import OutOfScopeError, StaleEditError
from homeward.core.scoping import home_state_scope
from homeward.operations import events
from homeward.operations.choices import EntryStatus, NotBoardedReason, OperationStatus
from homeward.operations.exceptions import ManifestRefused, OperationStateError
from homeward.operations.models import (
    Arrival,
    FollowUpReport,
    Handover,
    HandoverItem,
    ManifestEntry,
    Operation,
    OperationDateChange,
    OperationMember,
    Reconciliation,
)
from homeward.operations.rules import check_adults, check_cases
from homeward.workflow.services._engine import check_actor, lock_case, move

__all__ = [
    "add_to_manifest",
    "advance_operation",
    "cancel_operation",
    "complete_operation",
    "confirm_arrival",
    "confirm_entry",
    "freeze_manifest",
    "mark_not_boarded",
    "postpone_operation",
    "propose_operation",
    "reconcile_operation",
    "record_follow_up_report",
    "record_handover",
    "remove_from_manifest",
    "schedule_follow_up_reports",
    "start_due_follow_ups",
    "start_execution",
    "update_operation",
]

S = OperationStatus
DETAIL_FIELDS = (
    "reference",
    "carrier",
    "carrier_kind",
    "aircraft",
    "route",
    "handover_location",
    "planned_date",
    "host_state",
    "fee_per_child",
    "fee_currency",
    "notes",
)
EDITABLE = [S.PROPOSED, S.NEGOTIATING, S.CONFIRMED, S.MANIFEST_FROZEN, S.POSTPONED]
MANIFEST_OPEN = [S.PROPOSED, S.NEGOTIATING, S.CONFIRMED, S.MANIFEST_FROZEN, S.POSTPONED]
NEXT = {S.PROPOSED: S.NEGOTIATING, S.NEGOTIATING: S.CONFIRMED}
UNFROZEN = [S.PROPOSED, S.NEGOTIATING, S.CONFIRMED]
POSTPONABLE = [S.PROPOSED, S.NEGOTIATING, S.CONFIRMED, S.MANIFEST_FROZEN, S.POSTPONED]
CANCELLABLE = [S.PROPOSED, S.NEGOTIATING, S.CONFIRMED, S.MANIFEST_FROZEN, S.POSTPONED]
ON_THE_DAY = [S.MANIFEST_FROZEN, S.EXECUTING]
WAITING = [EntryStatus.PLANNED, EntryStatus.CONFIRMED]
HAND_OVER = (cap.RECORD_OPERATION_HANDOVER, cap.HAND_OVER_CASE)


# -- checks ------------------------------------------------------------------------------------


def _require(actor, capability: str, home_state_code: str) -> None:
    """Refuse an actor without `capability`, or whose scope does not hold the home state."""
    if actor is None:
        return
    if not actor.has_capability(capability):
        raise PermissionDenied
    scope = home_state_scope(actor)
    if scope is not None and home_state_code not in scope:
        raise OutOfScopeError


def _lock(operation: Operation, expected_version: int | None, step: str, allowed) -> Operation:
    current = Operation.objects.select_for_update().get(pk=operation.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleEditError()
    if current.status not in allowed:
        raise OperationStateError(current.status, step)
    return current


def _lock_entry(entry: ManifestEntry, expected_version: int | None) -> ManifestEntry:
    current = (
        # of=self: PostgreSQL cannot lock the nullable side of the outer join to `case`
        ManifestEntry.objects.select_for_update(of=("self",))
        .select_related("operation", "case", "person")
        .get(pk=entry.pk)
    )
    if expected_version is not None and current.version != expected_version:
        raise StaleEditError()
    return current


def _bump(operation: Operation, *fields: str) -> None:
    operation.version += 1
    operation.save(update_fields=["version", *fields])


def _reason_required(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: _("Give the reason.")})
    return reason


def _officials(value, field: str) -> list:
    from homeward.operations.models import validate_officials

    value = list(value or [])
    try:
        validate_officials(value)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error
    return value


# -- the operation -----------------------------------------------------------------------------


def _set_members(operation: Operation, members) -> list[str]:
    """Replace the escort team and observers; entries keep no escort that left."""
    operation.members.all().delete()
    made = []
    for member in members:
        row = OperationMember(operation=operation, **member)
        row.full_clean()
        made.append(row)
    OperationMember.objects.bulk_create(made)
    return sorted({row.role for row in made})


@transaction.atomic(durable=True)
def propose_operation(home_state, *, actor, planned_date: datetime.date, members=(), **fields):
    """A new return operation for `home_state`, PROPOSED; `members` are dicts of
    OperationMember fields (role, side, name, organisation)."""
    _require(actor, cap.PLAN_OPERATION, home_state.code)
    unknown = set(fields) - set(DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"not operation fields: {sorted(unknown)}")
    if not fields.get("reference"):
        fields["reference"] = f"{home_state.code}-{planned_date:%Y-%m-%d}"
    operation = Operation(
        home_state=home_state, planned_date=planned_date, created_by=actor, **fields
    )
    _validate_fee(operation)
    operation.full_clean()
    operation.save()
    _set_members(operation, members)
    record_event(
        events.OPERATION_PROPOSED,
        actor=actor,
        target=operation,
        data={
            "reference": operation.reference,
            "planned_date": planned_date.isoformat(),
            "members": len(members),
        },
    )
    return operation


def _validate_fee(operation: Operation) -> None:
    if operation.fee_per_child is not None:
        try:
            operation.fee_per_child = decimal.Decimal(str(operation.fee_per_child))
        except decimal.InvalidOperation as error:
            raise ValidationError({"fee_per_child": _("Give the fee as a number.")}) from error
    if operation.fee_per_child is not None and not operation.fee_currency:
        raise ValidationError({"fee_currency": _("Give the currency of the fee.")})
    if operation.fee_per_child is not None and operation.fee_per_child < decimal.Decimal(0):
        raise ValidationError({"fee_per_child": _("A fee cannot be negative.")})


@transaction.atomic(durable=True)
def update_operation(operation, *, actor, expected_version: int, members=None, **fields):
    """Change details, the escort team and observers (`members`, replacing them), the fee.

    The planned date moves only through `postpone_operation` once a date was agreed.
    """
    _require(actor, cap.PLAN_OPERATION, operation.home_state_id)
    current = _lock(operation, expected_version, "update", EDITABLE)
    unknown = set(fields) - set(DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"not operation fields: {sorted(unknown)}")
    moved = fields.get("planned_date", current.planned_date) != current.planned_date
    if moved and current.status != S.PROPOSED:
        raise ValidationError(
            {"planned_date": _("Postpone the operation to change an agreed date.")}
        )
    changed = sorted(key for key, value in fields.items() if getattr(current, key) != value)
    for key, value in fields.items():
        setattr(current, key, value)
    _validate_fee(current)
    current.full_clean()
    current.version += 1
    current.save()
    if members is not None:
        _set_members(current, members)
        changed.append("members")
    record_event(events.OPERATION_UPDATED, actor=actor, target=current, data={"changed": changed})
    return current


@transaction.atomic(durable=True)
def advance_operation(operation, *, actor, expected_version: int):
    """PROPOSED → NEGOTIATING → CONFIRMED (the home state agreed the date and carrier)."""
    _require(actor, cap.PLAN_OPERATION, operation.home_state_id)
    current = _lock(operation, expected_version, "advance", list(NEXT))
    before = current.status
    current.status = NEXT[before]
    _bump(current, "status")
    record_event(
        events.OPERATION_ADVANCED,
        actor=actor,
        target=current,
        data={"status": [before, current.status]},
    )
    return current


@transaction.atomic(durable=True)
def postpone_operation(
    operation, *, actor, expected_version: int, reason: str, new_date: datetime.date | None = None
):
    """Move the planned date; the change is kept in the history and the status stays as it was.

    A frozen manifest stays frozen: its cases remain SCHEDULED for the new date. Without a
    new date (the batch slipped, no date agreed yet) the operation is POSTPONED, which only
    an unfrozen one can be; giving it a date later takes it back to NEGOTIATING.
    """
    _require(actor, cap.PLAN_OPERATION, operation.home_state_id)
    current = _lock(operation, expected_version, "postpone", POSTPONABLE)
    reason = _reason_required(reason)
    if new_date is None:
        return _postpone_sine_die(current, actor=actor, reason=reason)
    if new_date == current.planned_date:
        raise ValidationError({"new_date": _("Give a new date, different from the planned one.")})
    if new_date < current.planned_date:
        raise ValidationError({"new_date": _("A postponement moves the date later.")})
    change = OperationDateChange.objects.create(
        operation=current,
        from_date=current.planned_date,
        to_date=new_date,
        reason=reason,
        actor=actor,
    )
    current.planned_date = new_date
    if current.status == S.POSTPONED:
        current.status = S.NEGOTIATING
    _bump(current, "planned_date", "status")
    record_event(
        events.OPERATION_POSTPONED,
        actor=actor,
        target=current,
        data={
            "from": change.from_date.isoformat(),
            "to": new_date.isoformat(),
            "reason": reason,
        },
    )
    return current


def _postpone_sine_die(current: Operation, *, actor, reason: str) -> Operation:
    if current.status not in UNFROZEN:
        raise ValidationError(
            {"new_date": _("A frozen manifest is postponed to a date: give the new date.")}
        )
    OperationDateChange.objects.create(
        operation=current, from_date=current.planned_date, to_date=None, reason=reason, actor=actor
    )
    before = current.status
    current.status = S.POSTPONED
    _bump(current, "status")
    record_event(
        events.OPERATION_POSTPONED,
        actor=actor,
        target=current,
        data={
            "from": current.planned_date.isoformat(),
            "to": None,
            "reason": reason,
            "status": [before, S.POSTPONED],
        },
    )
    return current


@transaction.atomic(durable=True)
def cancel_operation(operation, *, actor, expected_version: int, reason: str):
    """Cancel; every SCHEDULED child on it goes back to APPROVED, free for another batch."""
    _require(actor, cap.PLAN_OPERATION, operation.home_state_id)
    current = _lock(operation, expected_version, "cancel", CANCELLABLE)
    reason = _reason_required(reason)
    released = []
    for entry in current.entries.filter(case__isnull=False).select_related("case"):
        if entry.case.status == CaseStatus.SCHEDULED:
            _release(entry.case, actor=actor, reason=reason, operation=current)
            released.append(str(entry.case_id))
    before = current.status
    current.status = S.CANCELLED
    _bump(current, "status")
    record_event(
        events.OPERATION_CANCELLED,
        actor=actor,
        target=current,
        data={"status": [before, S.CANCELLED], "reason": reason, "released": released},
    )
    return current


def _release(case: Case, *, actor, reason: str, operation: Operation) -> Case:
    return move(
        case,
        actor=actor,
        transition=events.CASE_RELEASED,
        to_status=CaseStatus.APPROVED,
        allowed_from=[CaseStatus.SCHEDULED],
        capability=(cap.PLAN_OPERATION, cap.RECORD_OPERATION_HANDOVER),
        expected_version=None,
        reason=reason,
        reference=operation.reference,
    )


def _schedule(case: Case, *, actor, operation: Operation) -> Case:
    """APPROVED → SCHEDULED on this operation, the gate judged at its planned date."""
    return move(
        case,
        actor=actor,
        transition="scheduled",
        to_status=CaseStatus.SCHEDULED,
        allowed_from=[CaseStatus.APPROVED],
        capability=(cap.FREEZE_MANIFEST, cap.PLAN_OPERATION),
        expected_version=None,
        gate=CaseStatus.SCHEDULED,
        reference=operation.reference,
        today=operation.planned_date,
    )


# -- the manifest ------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def add_to_manifest(
    operation,
    cases,
    *,
    actor,
    expected_version: int,
    adults=(),
    medical_needs: dict | None = None,
    reason: str = "",
):
    """Add children (and the adults travelling with them: (person, case) pairs), all or none.

    Every rule of `operations.rules` is checked at the planned date; any refusal raises
    ManifestRefused with every reason per child and writes nothing. After the freeze the
    change needs a reason, is flagged, and the children are scheduled at once.
    """
    _require(actor, cap.PLAN_OPERATION, operation.home_state_id)
    current = _lock(operation, expected_version, "add", MANIFEST_OPEN)
    frozen = current.status == S.MANIFEST_FROZEN
    if frozen:
        reason = _reason_required(reason)
    cases = [Case.objects.select_related("child", "home_state").get(pk=case.pk) for case in cases]
    adults = list(adults)
    if not cases and not adults:
        raise ValidationError({"cases": _("Choose at least one child.")})
    for case in cases:
        check_actor(actor, cap.PLAN_OPERATION, case)
    already = set(current.entries.values_list("person_id", flat=True))
    refusals: dict[str, list[str]] = {}
    for case in cases:
        if case.child_id in already:
            refusals[case.reference] = [_("Already on this manifest.")]
    for case_id, found in check_cases(current, cases).items():
        if found:
            reference = next(case.reference for case in cases if case.pk == case_id)
            refusals.setdefault(reference, []).extend(found)
    adult_reasons = check_adults(current, adults, travelling_cases=[case.pk for case in cases])
    for person, _case in adults:
        if person.pk in already:
            refusals[person.display_name] = [_("Already on this manifest.")]
        elif adult_reasons[person.pk]:
            refusals[person.display_name] = adult_reasons[person.pk]
    if refusals:
        raise ManifestRefused(refusals)
    medical_needs = medical_needs or {}
    flags = {"added_after_freeze": frozen, "change_reason": reason if frozen else ""}
    for case in cases:
        entry = ManifestEntry.objects.create(
            operation=current,
            person_id=case.child_id,
            case=case,
            medical_needs=medical_needs.get(case.pk, ""),
            **flags,
        )
        if frozen:
            _schedule(case, actor=actor, operation=current)
        _entry_event(events.ENTRY_ADDED, entry, actor, reason=reason if frozen else "")
    for person, case in adults:
        entry = ManifestEntry.objects.create(
            operation=current,
            person=person,
            accompanies=case,
            medical_needs=medical_needs.get(person.pk, ""),
            **flags,
        )
        _entry_event(events.ENTRY_ADDED, entry, actor, reason=reason if frozen else "")
    fields = []
    if frozen:
        current.planned_count = current.entries.filter(case__isnull=False).count()
        fields.append("planned_count")
    _bump(current, *fields)
    return current


def _entry_event(code: str, entry: ManifestEntry, actor, **data) -> None:
    record_event(
        code,
        actor=actor,
        target=entry,
        case_id=entry.case_id or entry.accompanies_id,
        home_state=entry.operation.home_state_id,
        data={
            "operation": entry.operation.reference,
            "entry_id": str(entry.pk),
            "adult": entry.case_id is None,
            **data,
        },
    )


@transaction.atomic(durable=True)
def remove_from_manifest(entry, *, actor, expected_version: int, reason: str = ""):
    """Take a person off the manifest (and the adults travelling with that child).

    After the freeze a reason is required and a scheduled child goes back to APPROVED.
    """
    operation = entry.operation
    _require(actor, cap.PLAN_OPERATION, operation.home_state_id)
    current = _lock(operation, None, "remove", MANIFEST_OPEN)
    entry = _lock_entry(entry, expected_version)
    if entry.status not in WAITING:
        raise OperationStateError(entry.status, "remove")
    frozen = current.status == S.MANIFEST_FROZEN
    if frozen:
        reason = _reason_required(reason)
    removed = [entry]
    if entry.case_id:
        removed += list(current.entries.filter(accompanies_id=entry.case_id))
        if entry.case.status == CaseStatus.SCHEDULED:
            _release(entry.case, actor=actor, reason=reason, operation=current)
    for row in removed:
        _entry_event(events.ENTRY_REMOVED, row, actor, reason=reason)
        row.delete()
    fields = []
    if frozen:
        current.planned_count = current.entries.filter(case__isnull=False).count()
        fields.append("planned_count")
    _bump(current, *fields)
    return current


@transaction.atomic(durable=True)
def confirm_entry(entry, *, actor, expected_version: int, medical_needs=None, escort=None):
    """The home state confirmed this person; medical needs and the escort may be set too."""
    _require(actor, cap.PLAN_OPERATION, entry.operation.home_state_id)
    entry = _lock_entry(entry, expected_version)
    if entry.operation.status not in MANIFEST_OPEN or entry.status not in WAITING:
        raise OperationStateError(entry.status, "confirm")
    if escort is not None and escort.operation_id != entry.operation_id:
        raise ValidationError({"escort": _("The escort is not a member of this operation.")})
    entry.status = EntryStatus.CONFIRMED
    if medical_needs is not None:
        entry.medical_needs = medical_needs
    if escort is not None:
        entry.escort = escort
    entry.version += 1
    entry.full_clean()
    entry.save()
    _entry_event(events.ENTRY_CONFIRMED, entry, actor)
    return entry


@transaction.atomic(durable=True)
def freeze_manifest(operation, *, actor, expected_version: int):
    """Lock the manifest: every child is checked again and moves APPROVED → SCHEDULED.

    Any child failing a rule at the planned date refuses the whole freeze (ManifestRefused).
    """
    _require(actor, cap.FREEZE_MANIFEST, operation.home_state_id)
    current = _lock(operation, expected_version, "freeze", [S.CONFIRMED])
    entries = list(
        current.entries.filter(case__isnull=False, status__in=WAITING).select_related(
            "case__child", "case__home_state"
        )
    )
    if not entries:
        raise ValidationError({"entries": _("The manifest has no children.")})
    reasons = check_cases(current, [entry.case for entry in entries])
    refusals = {
        entry.case.reference: reasons[entry.case_id] for entry in entries if reasons[entry.case_id]
    }
    if refusals:
        raise ManifestRefused(refusals)
    for entry in entries:
        _schedule(entry.case, actor=actor, operation=current)
    current.status = S.MANIFEST_FROZEN
    current.frozen_at = timezone.now()
    current.planned_count = len(entries)
    _bump(current, "status", "frozen_at", "planned_count")
    record_event(
        events.MANIFEST_FROZEN,
        actor=actor,
        target=current,
        data={"planned_count": len(entries), "cases": [str(e.case_id) for e in entries]},
    )
    return current


@transaction.atomic(durable=True)
def start_execution(operation, *, actor, expected_version: int):
    """The day has come: MANIFEST_FROZEN → EXECUTING."""
    _require(actor, cap.RECORD_OPERATION_HANDOVER, operation.home_state_id)
    current = _lock(operation, expected_version, "start", [S.MANIFEST_FROZEN])
    current.status = S.EXECUTING
    _bump(current, "status")
    record_event(
        events.OPERATION_STARTED,
        actor=actor,
        target=current,
        data={"status": [S.MANIFEST_FROZEN, S.EXECUTING]},
    )
    return current


# -- the day -----------------------------------------------------------------------------------

ITEM_FIELDS = (
    "identity_checked_by",
    "identity_method",
    "documents_handed",
    "medical_summary_handed",
    "belongings",
    "receiving_official",
    "boarded_at",
)


@transaction.atomic(durable=True)
def record_handover(
    operation,
    *,
    actor,
    expected_version: int,
    handed_over_at: datetime.datetime,
    location: str,
    host_officials=(),
    receiving_officials=(),
    witnesses=(),
    items=(),
):
    """The handover record signed on paper, and per child what was checked and handed over.

    `items` are dicts with `entry` and HandoverItem fields; each such child is BOARDED. A
    second call adds items for children not recorded yet (the handover itself is kept).
    """
    _require(actor, cap.RECORD_OPERATION_HANDOVER, operation.home_state_id)
    current = _lock(operation, expected_version, "handover", [S.EXECUTING])
    handover = Handover.objects.filter(operation=current).first()
    if handover is None:
        if not (location or "").strip():
            raise ValidationError({"location": _("Say where the children were handed over.")})
        handover = Handover(
            operation=current,
            handed_over_at=handed_over_at,
            location=location,
            host_officials=_officials(host_officials, "host_officials"),
            receiving_officials=_officials(receiving_officials, "receiving_officials"),
            witnesses=_officials(witnesses, "witnesses"),
            attested_by=actor,
        )
        handover.full_clean(exclude=["operation"])
        handover.save()
        record_event(
            events.HANDOVER_RECORDED,
            actor=actor,
            target=current,
            data={
                "handed_over_at": handed_over_at.isoformat(),
                "location": location,
                "witnesses": len(handover.witnesses),
            },
        )
    for index, item in enumerate(items):
        _record_item(current, dict(item), actor=actor, index=index)
    _bump(current)
    return handover


def _record_item(operation: Operation, item: dict, *, actor, index: int) -> HandoverItem:
    entry = item.pop("entry")
    expected = item.pop("expected_version", None)
    unknown = set(item) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"not handover item fields: {sorted(unknown)}")
    entry = _lock_entry(entry, expected)
    if entry.operation_id != operation.pk:
        raise ValidationError({f"items.{index}.entry": _("Not on this operation's manifest.")})
    if entry.status not in WAITING or hasattr(entry, "handover_item"):
        raise ValidationError(
            {f"items.{index}.entry": _("This person's boarding is already recorded.")}
        )
    row = HandoverItem(entry=entry, **item)
    try:
        row.full_clean(exclude=["entry"])
    except ValidationError as error:
        raise ValidationError(
            {f"items.{index}.{key}": value for key, value in error.message_dict.items()}
        ) from error
    row.save()
    entry.status = EntryStatus.BOARDED
    entry.version += 1
    entry.save(update_fields=["status", "version"])
    _entry_event(
        events.HANDOVER_ITEM_RECORDED,
        entry,
        actor,
        identity_method=row.identity_method,
        documents=len(row.documents_handed),
    )
    return row


@transaction.atomic(durable=True)
def mark_not_boarded(entry, *, actor, expected_version: int, reason: str, note: str = ""):
    """On the day (or just before), this person does not travel; a child goes back to APPROVED.

    The adults travelling with that child do not board either.
    """
    operation = entry.operation
    _require(actor, cap.RECORD_OPERATION_HANDOVER, operation.home_state_id)
    _lock(operation, None, "not_boarded", ON_THE_DAY)
    entry = _lock_entry(entry, expected_version)
    if entry.status not in WAITING or hasattr(entry, "handover_item"):
        raise OperationStateError(entry.status, "not_boarded")
    if reason not in NotBoardedReason.values:
        raise ValidationError({"reason": _("Choose why this person did not board.")})
    if reason == NotBoardedReason.OTHER and not (note or "").strip():
        raise ValidationError({"note": _("Say why this person did not board.")})
    rows = [entry]
    if entry.case_id:
        rows += list(
            ManifestEntry.objects.select_for_update().filter(
                operation_id=entry.operation_id, accompanies_id=entry.case_id, status__in=WAITING
            )
        )
        if entry.case.status == CaseStatus.SCHEDULED:
            move(
                entry.case,
                actor=actor,
                transition=events.CASE_NOT_BOARDED,
                to_status=CaseStatus.APPROVED,
                allowed_from=[CaseStatus.SCHEDULED],
                capability=HAND_OVER,
                expected_version=None,
                reason=f"{NotBoardedReason(reason).label}: {note}".strip(": "),
                reference=operation.reference,
                details={"not_boarded_reason": reason},
            )
    for row in rows:
        row.status = EntryStatus.NOT_BOARDED
        row.not_boarded_reason = reason
        row.not_boarded_note = (
            note if row.pk == entry.pk else _("Travels with a child who did not board.")
        )
        row.version += 1
        row.save(update_fields=["status", "not_boarded_reason", "not_boarded_note", "version"])
        _entry_event(events.ENTRY_NOT_BOARDED, row, actor, reason=reason, note=row.not_boarded_note)
    return entry


@transaction.atomic(durable=True)
def complete_operation(
    operation, *, actor, expected_version: int, expected_case_versions: dict | None = None
):
    """Every BOARDED child's case → HANDED_OVER, in this one transaction, or nothing.

    Refused while a child is neither boarded (a handover item) nor recorded as not boarded.
    Adults travelling with a boarded child board with them. Sets actual count and date.
    """
    _require(actor, cap.RECORD_OPERATION_HANDOVER, operation.home_state_id)
    current = _lock(operation, expected_version, "complete", [S.EXECUTING])
    handover = Handover.objects.filter(operation=current).first()
    if handover is None:
        raise ValidationError({"handover": _("Record the handover first.")})
    entries = list(current.entries.select_related("case").order_by("created_at"))
    waiting = [e for e in entries if e.case_id and e.status in WAITING]
    if waiting:
        raise ValidationError(
            {
                "entries": _(
                    "Record for every child whether they boarded: %(references)s are still open."
                )
                % {"references": ", ".join(sorted(e.case.reference for e in waiting))}
            }
        )
    boarded = [e for e in entries if e.case_id and e.status == EntryStatus.BOARDED]
    versions = expected_case_versions or {}
    handed_on = timezone.localdate(handover.handed_over_at)
    for entry in boarded:
        move(
            entry.case,
            actor=actor,
            transition="handed_over",
            to_status=CaseStatus.HANDED_OVER,
            allowed_from=[CaseStatus.SCHEDULED],
            capability=HAND_OVER,
            expected_version=versions.get(entry.case_id),
            gate=CaseStatus.HANDED_OVER,
            reference=current.reference,
            today=handed_on,
            details={
                "handed_over_at": handover.handed_over_at.isoformat(),
                "location": handover.location,
                "operation": current.reference,
            },
        )
    boarded_cases = {entry.case_id for entry in boarded}
    for adult in (e for e in entries if e.case_id is None and e.status in WAITING):
        adult.status = (
            EntryStatus.BOARDED
            if adult.accompanies_id in boarded_cases
            else EntryStatus.NOT_BOARDED
        )
        if adult.status == EntryStatus.NOT_BOARDED:
            adult.not_boarded_reason = NotBoardedReason.SIBLING
        adult.version += 1
        adult.save(update_fields=["status", "not_boarded_reason", "version"])
    current.status = S.COMPLETED
    current.actual_count = len(boarded)
    current.actual_date = handed_on
    _bump(current, "status", "actual_count", "actual_date")
    refresh_limbo_facts(case_ids=boarded_cases)  # their limbo ended at this handover
    record_event(
        events.OPERATION_COMPLETED,
        actor=actor,
        target=current,
        data={
            "planned_count": current.planned_count,
            "actual_count": len(boarded),
            "actual_date": handed_on.isoformat(),
            "handed_over": sorted(str(pk) for pk in boarded_cases),
        },
    )
    return current


@transaction.atomic(durable=True)
def reconcile_operation(operation, *, actor, expected_version: int, explanation: str = ""):
    """Planned against actual; a difference must be explained (each not-boarded reason is
    the structured part)."""
    _require(actor, cap.PLAN_OPERATION, operation.home_state_id)
    current = _lock(operation, expected_version, "reconcile", [S.COMPLETED])
    planned, actual = current.planned_count or 0, current.actual_count or 0
    explanation = (explanation or "").strip()
    if planned != actual and not explanation:
        raise ValidationError(
            {
                "explanation": _(
                    "%(planned)d children were planned and %(actual)d returned: explain the "
                    "difference."
                )
                % {"planned": planned, "actual": actual}
            }
        )
    Reconciliation.objects.create(
        operation=current,
        planned_count=planned,
        actual_count=actual,
        explanation=explanation,
        reconciled_by=actor,
    )
    current.status = S.RECONCILED
    _bump(current, "status")
    reasons = sorted(
        current.entries.filter(case__isnull=False, status=EntryStatus.NOT_BOARDED).values_list(
            "not_boarded_reason", flat=True
        )
    )
    record_event(
        events.OPERATION_RECONCILED,
        actor=actor,
        target=current,
        data={"planned": planned, "actual": actual, "not_boarded_reasons": reasons},
    )
    return current


# -- after return ------------------------------------------------------------------------------


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _due_dates(arrived_on, every_months: int, until) -> list[datetime.date]:
    dates, step = [], 1
    while True:
        due = _add_months(arrived_on, every_months * step)
        if due > until:
            return dates
        dates.append(due)
        step += 1


def _schedule_reports(case: Case, arrival: Arrival, every_months, until) -> list[FollowUpReport]:
    if not every_months or every_months < 1:
        raise ValidationError({"follow_up_every_months": _("Give a number of months, at least 1.")})
    if until is None or until <= arrival.arrived_on:
        raise ValidationError({"follow_up_until": _("Give an end date after the arrival.")})
    existing = set(case.follow_up_reports.values_list("due_date", flat=True))
    made = FollowUpReport.objects.bulk_create(
        FollowUpReport(case=case, due_date=due)
        for due in _due_dates(arrival.arrived_on, every_months, until)
        if due not in existing
    )
    arrival.follow_up_every_months, arrival.follow_up_until = every_months, until
    arrival.save(update_fields=["follow_up_every_months", "follow_up_until"])
    return made


@transaction.atomic(durable=True)
def confirm_arrival(
    case,
    *,
    actor,
    expected_version: int,
    arrived_on: datetime.date,
    placement: str,
    placement_detail: str = "",
    follow_up_every_months: int | None = None,
    follow_up_until: datetime.date | None = None,
):
    """The home state confirms arrival and first placement: HANDED_OVER → RECEIVED.

    Only a consul (or the ministry) of the child's own state; the follow-up schedule, when
    given, creates the reports due.
    """
    check_actor(actor, (cap.CONFIRM_OPERATION_ARRIVAL,), case)
    if not placement:
        raise ValidationError({"placement": _("Say where the child was first placed.")})
    handed = (
        ManifestEntry.objects.filter(case=case, status=EntryStatus.BOARDED)
        .select_related("operation__handover")
        .first()
    )
    handover = getattr(handed.operation, "handover", None) if handed else None
    if handover is not None and arrived_on < timezone.localdate(handover.handed_over_at):
        raise ValidationError({"arrived_on": _("The arrival cannot precede the handover.")})
    current = move(
        case,
        actor=actor,
        transition="received",
        to_status=CaseStatus.RECEIVED,
        allowed_from=[CaseStatus.HANDED_OVER],
        capability=(cap.CONFIRM_OPERATION_ARRIVAL,),
        expected_version=expected_version,
        gate=CaseStatus.RECEIVED,
        details={"arrived_on": arrived_on.isoformat(), "first_placement": placement},
    )
    arrival = Arrival(
        case=current,
        arrived_on=arrived_on,
        placement=placement,
        placement_detail=placement_detail,
        confirmed_by=actor,
    )
    arrival.full_clean(exclude=["case"])
    arrival.save()
    scheduled = []
    if follow_up_every_months or follow_up_until:
        scheduled = _schedule_reports(current, arrival, follow_up_every_months, follow_up_until)
    record_event(
        events.ARRIVAL_CONFIRMED,
        actor=actor,
        target=arrival,
        data={
            "arrived_on": arrived_on.isoformat(),
            "placement": placement,
            "follow_up_reports": len(scheduled),
        },
    )
    return arrival


@transaction.atomic(durable=True)
def schedule_follow_up_reports(case, *, actor, every_months: int, until: datetime.date):
    """Reports due every `every_months` after arrival until `until` (existing dates kept)."""
    check_actor(actor, (cap.RECORD_FOLLOW_UP,), case)
    arrival = Arrival.objects.select_for_update().filter(case=case).first()
    if arrival is None:
        raise ValidationError({"case": _("Confirm the child's arrival first.")})
    made = _schedule_reports(case, arrival, every_months, until)
    record_event(
        events.FOLLOW_UPS_SCHEDULED,
        actor=actor,
        target=arrival,
        data={
            "every_months": every_months,
            "until": until.isoformat(),
            "due": [report.due_date.isoformat() for report in made],
        },
    )
    return made


REPORT_FIELDS = (
    "received_on",
    "reporting_body",
    "placement_status",
    "schooling",
    "health_summary",
    "concerns",
)


@transaction.atomic(durable=True)
def record_follow_up_report(report, *, actor, received_on: datetime.date, **fields):
    """A report received; the case enters FOLLOW_UP if it was still RECEIVED."""
    check_actor(actor, (cap.RECORD_FOLLOW_UP,), report.case)
    report = FollowUpReport.objects.select_for_update().select_related("case").get(pk=report.pk)
    unknown = set(fields) - set(REPORT_FIELDS)
    if unknown:
        raise TypeError(f"not report fields: {sorted(unknown)}")
    if report.received_on is not None:
        raise ValidationError({"received_on": _("This report was already recorded.")})
    if received_on is None or received_on > timezone.localdate():
        raise ValidationError({"received_on": _("Give the date the report was received.")})
    for key, value in fields.items():
        setattr(report, key, value)
    report.received_on = received_on
    report.recorded_by = actor
    report.full_clean(exclude=["case"])
    report.save()
    if report.case.status == CaseStatus.RECEIVED:
        _start_follow_up(report.case, actor=actor)
    record_event(
        events.FOLLOW_UP_RECORDED,
        actor=actor,
        target=report,
        data={
            "due_date": report.due_date.isoformat(),
            "received_on": received_on.isoformat(),
            "placement_status": report.placement_status,
            "has_concerns": bool(report.concerns.strip()),
        },
    )
    return report


def _start_follow_up(case: Case, *, actor) -> Case:
    return move(
        case,
        actor=actor,
        transition="follow_up_started",
        to_status=CaseStatus.FOLLOW_UP,
        allowed_from=[CaseStatus.RECEIVED],
        capability=(cap.RECORD_FOLLOW_UP, cap.MOVE_CASE),
        expected_version=None,
    )


@transaction.atomic(durable=True)
def start_due_follow_ups(*, today: datetime.date | None = None) -> int:
    """System rule: a RECEIVED case whose first follow-up report is due enters FOLLOW_UP."""
    today = today or timezone.localdate()
    due = Case.objects.filter(
        status=CaseStatus.RECEIVED, follow_up_reports__due_date__lte=today
    ).distinct()
    moved = 0
    for case in due:
        lock_case(case, None)
        _start_follow_up(case, actor=None)
        moved += 1
    return moved
