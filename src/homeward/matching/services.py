"""Write use cases of identity resolution: proposing, reviewing, merging and unmerging.

Each public function is one use case in one durable transaction with its audit event.

Merging is designed over `Person._meta.related_objects` rather than a list of known
models, so a later app that points a foreign key at Person (or at Case) is carried along
without touching this module. What a merge does, and why:

* Every row that points at the duplicate is re-pointed at the survivor, and each change is
  written to a `MergeRecord` as `[model label, pk, field, before, after]`. Unmerge replays
  that log backwards, so it moves back exactly those rows — not rows added since.
* A row whose move would break a database invariant of the survivor (a relationship the
  survivor already has, a relationship between the two records, a second open custody
  episode) stays on the merged record and is listed in `kept`: nothing is deleted, and the
  row returns with the record on unmerge.
* The duplicate's preferred name stops being preferred (a person has one).
* Cases are one per child. Two children whose cases have different home states are never
  merged: which state the child belongs to is a nationality question for the case workflow,
  not something a merge may decide silently. With the same home state the survivor keeps
  its case; everything filed under the duplicate's case (claims, evidence, tasks …) is
  re-pointed at the survivor's case, and the duplicate's case is closed. The closed case
  stays attached to the merged record, which keeps that record in the same scope, so the
  merge can be reviewed and undone by the same people.
* The duplicate is marked `merged_into` the survivor and disappears from scoped lists and
  searches (`PersonQuerySet.for_user`).
"""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.audit.services import record_event
from homeward.cases.facts import refresh_limbo_facts
from homeward.core.exceptions import OutOfScopeError, StaleEditError
from homeward.core.transactions import durable_use_case
from homeward.matching import events
from homeward.matching.models import (
    DuplicateCandidate,
    DuplicateStatus,
    MergeRecord,
    TracingMatch,
    TracingMatchStatus,
    TracingRequest,
    TracingRole,
    TracingStatus,
)
from homeward.people.models import Person, PersonName

__all__ = [
    "close_tracing_request",
    "create_tracing_request",
    "decide_duplicate",
    "decide_tracing_match",
    "merge_people",
    "propose_duplicate",
    "refresh_tracing_matches",
    "unmerge_people",
    "update_tracing_request",
]

# Relations that are bookkeeping about the two records, not facts about the person.
NOT_MOVED = {
    ("people.person", "merged_into"),
    ("matching.duplicatecandidate", "left"),
    ("matching.duplicatecandidate", "right"),
    ("matching.mergerecord", "survivor"),
    ("matching.mergerecord", "duplicate"),
}


def _ordered(first: Person, second: Person) -> tuple[Person, Person]:
    return (first, second) if str(first.pk) < str(second.pk) else (second, first)


def _json(value):
    """A field value as it can be stored in the move log and written back."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if value is not None and not isinstance(value, bool | int | float | str):
        return str(value)
    return value


def propose_duplicate(
    first: Person, second: Person, *, score: float, explanation: list[dict]
) -> DuplicateCandidate | None:
    """Record a proposed pair unless it is already known (in any status). Not audited on its
    own: the batch job that calls it records one event for the run."""
    left, right = _ordered(first, second)
    candidate, created = DuplicateCandidate.objects.get_or_create(
        left=left, right=right, defaults={"score": score, "explanation": explanation}
    )
    return candidate if created else None


def _visible_pair(candidate: DuplicateCandidate, actor) -> DuplicateCandidate:
    try:
        return (
            DuplicateCandidate.objects.for_user(actor, "change")
            .select_for_update()
            .get(pk=candidate.pk)
        )
    except DuplicateCandidate.DoesNotExist as exc:
        raise OutOfScopeError() from exc


@transaction.atomic(durable=True)
def decide_duplicate(
    candidate: DuplicateCandidate, *, actor, confirmed: bool
) -> DuplicateCandidate:
    """A reviewer says whether the pair is one person. A decision can be revised."""
    current = _visible_pair(candidate, actor)
    before = current.status
    current.status = DuplicateStatus.CONFIRMED if confirmed else DuplicateStatus.REJECTED
    current.reviewed_by, current.reviewed_at = actor, timezone.now()
    current.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    record_event(
        events.DUPLICATE_CONFIRMED if confirmed else events.DUPLICATE_REJECTED,
        actor=actor,
        target=current,
        data={
            "left": current.left_id,
            "right": current.right_id,
            "score": current.score,
            "status": [before, current.status],
        },
    )
    return current


# -- merge ------------------------------------------------------------------------------------


@dataclass
class _Log:
    moves: list
    kept: list

    def move(self, model, pk, field_name: str, before, after) -> None:
        self.moves.append([model._meta.label_lower, str(pk), field_name, before, after])


def _repoint(rows: models.QuerySet, field: models.Field, old, new, log: _Log) -> None:
    """Re-point `field` of each row from `old` to `new`, one savepoint per row, so a row
    that would break an invariant of the target stays where it is (and is logged as kept)."""
    model = rows.model
    for pk in list(rows.values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                model._base_manager.filter(pk=pk).update(**{field.attname: new})
        except IntegrityError:
            log.kept.append([model._meta.label_lower, str(pk), field.name])
            continue
        log.move(model, pk, field.attname, _json(old), _json(new))


def _set(model, pk, log: _Log, **values) -> None:
    """Change plain fields of one row, logging the values before."""
    current = model._base_manager.filter(pk=pk).values(*values).get()
    model._base_manager.filter(pk=pk).update(**values)
    for name, value in values.items():
        log.move(model, pk, name, _json(current[name]), _json(value))


def _reverse_foreign_keys(target: type[models.Model]):
    """(model, field) for every foreign key to `target`, through tables of M2M included."""
    for rel in target._meta.related_objects:
        if rel.many_to_many:
            through = rel.through
            for field in through._meta.fields:
                if field.is_relation and field.related_model is target:
                    yield through, field
            continue
        yield rel.related_model, rel.field


def _merge_cases(survivor: Person, duplicate: Person, *, actor, log: _Log) -> None:
    from homeward.cases.choices import CaseStatus
    from homeward.cases.models import Case

    survivor_case = Case.objects.filter(child=survivor).first()
    duplicate_case = Case.objects.filter(child=duplicate).first()
    if duplicate_case is None:
        return
    if survivor_case is None:
        rows = Case.objects.filter(pk=duplicate_case.pk)
        _repoint(rows, Case._meta.get_field("child"), duplicate.pk, survivor.pk, log)
        return
    if survivor_case.home_state_id != duplicate_case.home_state_id:
        raise ValidationError(
            _(
                "These records belong to cases of different home states (%(left)s, %(right)s). "
                "Settle the child's home state in the case first; a merge cannot decide it."
            )
            % {"left": survivor_case.home_state_id, "right": duplicate_case.home_state_id}
        )
    for model, field in _reverse_foreign_keys(Case):
        if (model._meta.label_lower, field.name) in NOT_MOVED:
            continue
        rows = model._base_manager.filter(**{field.attname: duplicate_case.pk})
        _repoint(rows, field, duplicate_case.pk, survivor_case.pk, log)
    if duplicate_case.status != CaseStatus.CLOSED:
        now = timezone.now()
        _set(
            Case,
            duplicate_case.pk,
            log,
            status=CaseStatus.CLOSED,
            return_status="",
            status_changed_at=now,
            closed_at=now,
        )


def _lock_pair(survivor: Person, duplicate: Person, actor) -> tuple[Person, Person]:
    visible = Person.objects.for_user(actor, "change", include_merged=True)
    found = visible.select_for_update().in_bulk([survivor.pk, duplicate.pk])
    if len(found) != 2:
        raise OutOfScopeError()
    return found[survivor.pk], found[duplicate.pk]


@transaction.atomic(durable=True)
def merge_people(
    survivor: Person,
    duplicate: Person,
    *,
    actor,
    reason: str,
    candidate: DuplicateCandidate | None = None,
) -> MergeRecord:
    """Fold `duplicate` into `survivor`, keeping every row of both (see the module docstring)."""
    survivor, duplicate = _lock_pair(survivor, duplicate, actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why these records are the same person.")})
    if survivor.pk == duplicate.pk:
        raise ValidationError(_("A record cannot be merged with itself."))
    if survivor.is_merged or duplicate.is_merged:
        raise ValidationError(_("One of these records has already been merged."))
    if survivor.kind != duplicate.kind:
        raise ValidationError(_("A child's record cannot be merged with an adult's."))
    log = _Log(moves=[], kept=[])
    _merge_cases(survivor, duplicate, actor=actor, log=log)
    for name_pk in PersonName.objects.filter(person=duplicate, is_primary=True).values_list(
        "pk", flat=True
    ):
        _set(PersonName, name_pk, log, is_primary=False)
    for model, field in _reverse_foreign_keys(Person):
        if (model._meta.label_lower, field.name) in {*NOT_MOVED, ("cases.case", "child")}:
            continue  # the case was settled above
        rows = model._base_manager.filter(**{field.attname: duplicate.pk})
        if (
            field.one_to_one
            and rows.exists()
            and model._base_manager.filter(**{field.attname: survivor.pk}).exists()
        ):
            raise ValidationError(
                _("Both records have a %(thing)s; only one can be kept.")
                % {"thing": model._meta.verbose_name}
            )
        _repoint(rows, field, duplicate.pk, survivor.pk, log)
    now = timezone.now()
    _set(Person, duplicate.pk, log, merged_into=survivor.pk, merged_at=now)
    # custody episodes and manifest entries moved: the limbo of both cases is read again
    refresh_limbo_facts(child_ids=[survivor.pk, duplicate.pk])
    record = MergeRecord.objects.create(
        survivor=survivor,
        duplicate=duplicate,
        candidate=candidate,
        reason=reason,
        moves=log.moves,
        kept=log.kept,
        performed_by=actor,
        performed_at=now,
    )
    record_event(
        events.PEOPLE_MERGED,
        actor=actor,
        target=survivor,
        data={
            "merge": record.pk,
            "survivor": survivor.pk,
            "duplicate": duplicate.pk,
            "reason": reason,
            "moves": log.moves,
            "kept": log.kept,
        },
    )
    return record


@transaction.atomic(durable=True)
def unmerge_people(merge: MergeRecord, *, actor, reason: str) -> MergeRecord:
    """Undo one merge by replaying its move log backwards.

    Refused when a logged row no longer holds the value the merge gave it (it was moved or
    edited since, e.g. by a later merge): undoing then would overwrite later work, so that
    later change has to be undone first.
    """
    try:
        record = MergeRecord.objects.for_user(actor, "change").select_for_update().get(pk=merge.pk)
    except MergeRecord.DoesNotExist as exc:
        raise OutOfScopeError() from exc
    _lock_pair(record.survivor, record.duplicate, actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this merge is undone.")})
    if record.is_undone:
        raise ValidationError(_("This merge has already been undone."))
    for label, pk, field_name, before, after in reversed(record.moves):
        model = apps.get_model(label)
        rows = model._base_manager.filter(pk=pk)
        current = rows.values_list(field_name, flat=True).first()
        if _json(current) != after and not _same(model, field_name, current, after):
            raise ValidationError(
                _("A record moved by this merge has changed since; undo the later change first.")
            )
        rows.update(**{field_name: before})
    refresh_limbo_facts(child_ids=[record.survivor_id, record.duplicate_id])
    record.undone_by, record.undone_at, record.undo_reason = actor, timezone.now(), reason
    record.save(update_fields=["undone_by", "undone_at", "undo_reason"])
    record_event(
        events.PEOPLE_UNMERGED,
        actor=actor,
        target=record.survivor,
        data={
            "merge": record.pk,
            "survivor": record.survivor_id,
            "duplicate": record.duplicate_id,
            "reason": reason,
            "moves": len(record.moves),
        },
    )
    return record


def _same(model, attname: str, current, logged) -> bool:
    """Compare a database value with its logged JSON form (uuids, datetimes)."""
    if current is None or logged is None:
        return current is logged
    field = next(item for item in model._meta.concrete_fields if item.attname == attname)
    if field.is_relation:
        field = field.target_field
    return field.to_python(logged) == current


# -- tracing requests ---------------------------------------------------------------------

TRACING_FIELDS = (
    "home_state",
    "channel",
    "channel_reference",
    "received_on",
    "partner_agency",
    "child_name",
    "child_other_names",
    "child_sex",
    "child_birth_year",
    "mother_name",
    "mother_birth_year",
    "father_name",
    "other_relatives",
    "places",
    "requester_name",
    "requester_relationship",
    "requester_address",
)


def _require(actor, capability: str) -> None:
    if actor is None or not actor.has_capability(capability):
        raise PermissionDenied


def _create_tracing_request(*, actor, **fields) -> TracingRequest:
    """File a relative's request and propose the registry's best candidates at once.

    A consul files only for its own state (its scope); the filing agency is the actor's.
    Fields are `TRACING_FIELDS`; names stay as the relative wrote them. Runs in the caller's
    transaction (an import files many all or nothing); `create_tracing_request` is the
    durable use case.
    """
    from homeward.accounts import capabilities as cap
    from homeward.matching.tracing import propose_matches, request_keys

    _require(actor, cap.ADD_TRACING)
    unknown = set(fields) - set(TRACING_FIELDS)
    if unknown:
        raise TypeError(f"not tracing request fields: {sorted(unknown)}")
    scope = actor.home_state_scope()
    home_state = fields.get("home_state")
    if scope is not None and home_state is not None and home_state.pk not in scope:
        raise ValidationError({"home_state": _("You may file requests only for your own state.")})
    request = TracingRequest(
        **fields,
        filed_by=actor,
        filed_by_agency=getattr(actor, "agency", None),
        filed_at=timezone.now(),
    )
    request.full_clean(exclude=["name_keys"])
    request.name_keys = request_keys(request)
    request.save(force_insert=True)
    proposed = propose_matches(request)
    record_event(
        events.TRACING_FILED,
        actor=actor,
        target=request,
        data={
            "reference": request.reference,
            "channel": request.channel,
            "channel_reference": request.channel_reference,
            "proposed": len(proposed),
        },
    )
    if not TracingRequest.objects.for_user(actor, "view").filter(pk=request.pk).exists():
        raise OutOfScopeError()
    return request


create_tracing_request = durable_use_case(_create_tracing_request)


def _visible_request(request: TracingRequest, actor, action: str) -> TracingRequest:
    try:
        return TracingRequest.objects.for_user(actor, action).select_for_update().get(pk=request.pk)
    except TracingRequest.DoesNotExist as exc:
        raise OutOfScopeError() from exc


# What the matcher reads of a request: a change to any of these looks for candidates again.
MATCHED_FIELDS = (
    "child_name",
    "child_other_names",
    "child_sex",
    "child_birth_year",
    "mother_name",
    "mother_birth_year",
    "father_name",
)


@transaction.atomic(durable=True)
def update_tracing_request(
    request: TracingRequest, *, actor, expected_version: int, **fields
) -> TracingRequest:
    """Correct a request as filed (a better spelling, the mother's name learnt later).

    Whoever may file may edit, within the same scope: a request outside the actor's scope
    answers like a missing one, and a consul cannot move it to another state. The edit is
    refused when the request changed since the editor loaded it (`expected_version`). When
    the description the matcher reads changed and the request is open, the registry is
    searched again; candidates already proposed (in any status) are kept as they were, for
    the reviewer to decide.
    """
    from homeward.accounts import capabilities as cap
    from homeward.matching.tracing import propose_matches, request_keys

    unknown = set(fields) - set(TRACING_FIELDS)
    if unknown:
        raise TypeError(f"not tracing request fields: {sorted(unknown)}")
    current = _visible_request(request, actor, "view")
    _require(actor, cap.ADD_TRACING)
    if current.version != expected_version:
        raise StaleEditError()
    if current.status == TracingStatus.CLOSED:
        raise ValidationError(_("A closed request is not edited."))
    scope = actor.home_state_scope()
    home_state = fields.get("home_state")
    if scope is not None and home_state is not None and home_state.pk not in scope:
        raise ValidationError({"home_state": _("You may file requests only for your own state.")})
    changed = sorted(name for name, value in fields.items() if getattr(current, name) != value)
    if not changed:
        return current
    for name in changed:
        setattr(current, name, fields[name])
    current.full_clean(exclude=["name_keys"])
    current.name_keys = request_keys(current)
    current.version += 1
    current.save(update_fields=[*changed, "name_keys", "version"])
    rematch = current.status == TracingStatus.OPEN and bool(set(changed) & set(MATCHED_FIELDS))
    proposed = propose_matches(current) if rematch else []
    record_event(
        events.TRACING_UPDATED,
        actor=actor,
        target=current,
        data={
            "reference": current.reference,
            "changed": changed,
            "version": [expected_version, current.version],
            "proposed": [str(match.person_id) for match in proposed],
        },
    )
    return current


@transaction.atomic(durable=True)
def refresh_tracing_matches(request: TracingRequest, *, actor) -> list[TracingMatch]:
    """Look for candidates again (the registry has grown); known ones are not re-proposed."""
    from homeward.matching.tracing import propose_matches

    current = _visible_request(request, actor, "view")
    if current.status != TracingStatus.OPEN:
        raise ValidationError(_("Only an open request is matched."))
    proposed = propose_matches(current)
    record_event(
        events.TRACING_REFRESHED,
        actor=actor,
        target=current,
        data={"proposed": [str(match.person_id) for match in proposed]},
    )
    return proposed


@transaction.atomic(durable=True)
def close_tracing_request(request: TracingRequest, *, actor, reason: str) -> TracingRequest:
    """Close a request (withdrawn, answered elsewhere); its matches stay as they were."""
    current = _visible_request(request, actor, "change")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the request is closed.")})
    if current.status == TracingStatus.CLOSED:
        raise ValidationError(_("This request is already closed."))
    before = current.status
    current.status = TracingStatus.CLOSED
    current.save(update_fields=["status"])
    record_event(
        events.TRACING_CLOSED,
        actor=actor,
        target=current,
        data={"status": [before, current.status], "reason": reason},
    )
    return current


def _register_relative(match: TracingMatch, request: TracingRequest, *, actor):
    """The relative who asked becomes a registered adult linked to the child and a guardian
    candidate on the child's case (vetting stays the home state's)."""
    from homeward.evidence.services.care import add_guardian_candidate
    from homeward.people.choices import NameType, RelationshipBasis, RelationshipType
    from homeward.people.services import create_adult, create_relationship

    relative = create_adult(
        actor=actor,
        fields={},
        names=[
            {
                "full_text": request.requester_name,
                "name_type": NameType.LEGAL_HOME_STATE,
                "source": request.reference,
            }
        ],
    )
    create_relationship(
        match.person,
        actor=actor,
        relative=relative,
        relationship_type=request.requester_relationship,
        basis=RelationshipBasis.DECLARED,
    )
    guardian = add_guardian_candidate(
        match.person.case,
        actor=actor,
        person=relative,
        relationship_to_child=str(RelationshipType(request.requester_relationship).label),
        address_region=request.places.splitlines()[0][:120] if request.places.strip() else "",
    )
    return relative, guardian


@transaction.atomic(durable=True)
def decide_tracing_match(
    match: TracingMatch,
    *,
    actor,
    confirmed: bool,
    link_guardian: bool = False,
    open_claim: bool = False,
) -> TracingMatch:
    """A reviewer says whether the proposed person is the one sought (audited).

    Confirming the child may register the relative as a guardian candidate
    (`link_guardian`) and open a nationality claim toward the request's state on the
    child's case (`open_claim`, basis "relative's application"); each needs its own
    capability, checked by the evidence services. A confirmed child marks the request
    as answered. A decision is final: a wrong confirmation is corrected on the evidence.
    """
    try:
        current = (
            TracingMatch.objects.for_user(actor, "change")
            .select_for_update(of=("self",))
            .select_related("person__case", "request")
            .get(pk=match.pk)
        )
    except TracingMatch.DoesNotExist as exc:
        raise OutOfScopeError() from exc
    if current.status != TracingMatchStatus.PROPOSED:
        raise ValidationError(_("This candidate was already decided."))
    request = _visible_request(current.request, actor, "change")
    is_child = current.role == TracingRole.CHILD
    if (link_guardian or open_claim) and not (confirmed and is_child):
        raise ValidationError(_("Only a confirmed child is linked to the relative or claimed."))
    if (link_guardian or open_claim) and not hasattr(current.person, "case"):
        raise ValidationError(_("This child has no case to file the guardian or claim on."))
    current.status = TracingMatchStatus.CONFIRMED if confirmed else TracingMatchStatus.REJECTED
    current.reviewed_by, current.reviewed_at = actor, timezone.now()
    if link_guardian:
        current.relative, current.guardian = _register_relative(current, request, actor=actor)
    if open_claim:
        from homeward.evidence.choices import ClaimBasis, ClaimedBy
        from homeward.evidence.services.nationality import add_nationality_claim

        current.claim = add_nationality_claim(
            current.person.case,
            actor=actor,
            claimed_state=request.home_state,
            basis=ClaimBasis.RELATIVE_APPLICATION,
            claimed_by=ClaimedBy.RELATIVE,
        )
    current.save(
        update_fields=["status", "reviewed_by", "reviewed_at", "relative", "guardian", "claim"]
    )
    if confirmed and is_child and request.status == TracingStatus.OPEN:
        request.status = TracingStatus.MATCHED
        request.save(update_fields=["status"])
    record_event(
        events.TRACING_MATCH_CONFIRMED if confirmed else events.TRACING_MATCH_REJECTED,
        actor=actor,
        target=current,
        data={
            "request": request.reference,
            "person": str(current.person_id),
            "role": current.role,
            "score": current.score,
            "guardian": current.guardian_id,
            "claim": current.claim_id,
        },
    )
    return current
