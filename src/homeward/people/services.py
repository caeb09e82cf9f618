"""Write use cases for people: registering, editing, naming, linking and moving children.

Each public function is one use case: it runs in one durable transaction, validates with
the models' own invariants (`full_clean`), writes its audit event inside that transaction,
and re-checks after writing that the actor can still see what they wrote. Nothing is
half-written: any error rolls the whole use case back.
"""

import datetime
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from homeward.audit.services import record_event
from homeward.cases.services import change_case_home_state, open_case
from homeward.core.exceptions import OutOfScopeError, StaleEditError
from homeward.core.transactions import durable_use_case
from homeward.matching.keys import store_name_keys
from homeward.matching.tracing import match_new_person
from homeward.people import events
from homeward.people.choices import PersonKind
from homeward.people.models import CustodyEpisode, Facility, Person, PersonName, Relationship

__all__ = [
    "add_name",
    "create_adult",
    "create_relationship",
    "link_relative",
    "record_custody_move",
    "record_nationality",
    "register_adult",
    "register_child",
    "update_person",
]

PERSON_EDITABLE_FIELDS = (
    "sex",
    "date_of_birth",
    "dob_precision",
    "dob_earliest",
    "dob_latest",
    "dob_source",
    "place_of_birth_country",
    "place_of_birth_locality",
    "born_in_isis_territory",
    "languages",
    "unaccompanied",
    "orphan_status",
    "legal_status",
    "date_of_death",
)


def _ensure_visible(model, pk, actor) -> None:
    """Save-then-verify (NetBox): the actor must still see what they just wrote."""
    if not model.objects.for_user(actor, "view").filter(pk=pk).exists():
        raise OutOfScopeError()


def _build_names(person: Person, names: Iterable[Mapping]) -> list[PersonName]:
    built = [PersonName(person=person, **dict(name)) for name in names]
    if not built:
        raise ValidationError({"names": _("At least one name is required.")})
    primaries = sum(1 for name in built if name.is_primary)
    if primaries > 1:
        raise ValidationError({"names": _("Only one name can be the preferred name.")})
    if not primaries:
        built[0].is_primary = True
    for name in built:
        name.full_clean(exclude=["person"])
    return built


def _create_person(kind: str, fields: Mapping, names: Iterable[Mapping]) -> Person:
    unknown = set(fields) - set(PERSON_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not person fields: {sorted(unknown)}")
    person = Person(kind=kind, **fields)
    person.full_clean()
    person.save(force_insert=True)
    store_name_keys(PersonName.objects.bulk_create(_build_names(person, names)))
    return person


def _open_episode(
    child: Person, *, actor, facility: Facility, started_on: datetime.date, **details
) -> CustodyEpisode:
    episode = CustodyEpisode(
        child=child, facility=facility, started_on=started_on, recorded_by=actor, **details
    )
    episode.full_clean()
    episode.save(force_insert=True)
    return episode


def _snapshot(person: Person) -> dict:
    return {field: person.serializable_value(field) for field in PERSON_EDITABLE_FIELDS}


def _register_child(
    *,
    actor,
    fields: Mapping,
    names: Iterable[Mapping],
    home_state,
    custody: Mapping | None = None,
    owner=None,
) -> Person:
    """Register a child in custody: the person, their names, their case and placement.

    `custody` holds facility, started_on and optionally with_person, legal_basis.
    """
    child = _create_person(PersonKind.CHILD, fields, names)
    case = open_case(child, actor=actor, home_state=home_state, owner=owner)
    if custody:
        _open_episode(child, actor=actor, **custody)
    record_event(
        events.CHILD_REGISTERED,
        actor=actor,
        target=child,
        case_id=case.pk,
        home_state=home_state.code,
        data={"case": case.reference, "names": child.names.count(), "custody": bool(custody)},
    )
    match_new_person(child, actor=actor)
    _ensure_visible(Person, child.pk, actor)
    return child


def _register_adult(*, actor, fields: Mapping, names: Iterable[Mapping]) -> Person:
    """Register an adult (mother, relative, guardian) so that children can be linked to them."""
    return create_adult(actor=actor, fields=fields, names=names)


def create_adult(*, actor, fields: Mapping, names: Iterable[Mapping]) -> Person:
    """`register_adult` inside the caller's transaction (a confirmed tracing match registers
    the relative who asked)."""
    adult = _create_person(PersonKind.ADULT, fields, names)
    record_event(
        events.ADULT_REGISTERED, actor=actor, target=adult, data={"names": adult.names.count()}
    )
    match_new_person(adult, actor=actor)
    return adult


@transaction.atomic(durable=True)
def update_person(
    person: Person, *, actor, expected_version: int, changes: Mapping, home_state=None
) -> Person:
    """Edit biodata (and, for a child, the case's home state), refusing a stale edit.

    `expected_version` is the version the editor loaded; if the row has moved on since,
    StaleEditError is raised and nothing is written.
    """
    unknown = set(changes) - set(PERSON_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not person fields: {sorted(unknown)}")
    claimed = Person.objects.filter(pk=person.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise StaleEditError()
    current = Person.objects.select_related("case").get(pk=person.pk)
    before = _snapshot(current)
    for field, value in changes.items():
        setattr(current, field, value)
    current.full_clean()
    current.save(update_fields=[*PERSON_EDITABLE_FIELDS, "updated_at"])
    after = _snapshot(current)
    diff = {
        field: [before[field], after[field]]
        for field in PERSON_EDITABLE_FIELDS
        if before[field] != after[field]
    }
    record_event(events.PERSON_UPDATED, actor=actor, target=current, data={"changes": diff})
    if (
        home_state is not None
        and current.is_child
        and current.case.home_state_id != home_state.code
    ):
        change_case_home_state(current.case, actor=actor, home_state=home_state)
    _ensure_visible(Person, current.pk, actor)
    return current


def _add_name(person: Person, *, actor, **fields) -> PersonName:
    """Record one more name for a person; a new preferred name demotes the old one."""
    name = PersonName(person=person, **fields)
    if name.is_primary:
        # before validating: the one-preferred-name constraint is checked by full_clean;
        # a failure below rolls the demotion back with everything else
        person.names.filter(is_primary=True).update(is_primary=False)
    name.full_clean()
    name.save(force_insert=True)
    store_name_keys([name])
    record_event(
        events.NAME_ADDED,
        actor=actor,
        target=name,
        data={"script": name.script, "name_type": name.name_type, "primary": name.is_primary},
    )
    _ensure_visible(PersonName, name.pk, actor)
    return name


def _link_relative(
    person: Person, *, actor, relative: Person, relationship_type: str, basis: str, **details
) -> Relationship:
    """Record that `relative` is the `relationship_type` of `person`, and how that is known."""
    return create_relationship(
        person,
        actor=actor,
        relative=relative,
        relationship_type=relationship_type,
        basis=basis,
        **details,
    )


def create_relationship(
    person: Person, *, actor, relative: Person, relationship_type: str, basis: str, **details
) -> Relationship:
    """`link_relative` inside the caller's transaction."""
    link = Relationship(
        person=person,
        relative=relative,
        relationship_type=relationship_type,
        basis=basis,
        **details,
    )
    link.full_clean()
    link.save(force_insert=True)
    record_event(
        events.RELATIONSHIP_LINKED,
        actor=actor,
        target=link,
        data={"relative": str(relative.pk), "type": relationship_type, "basis": basis},
    )
    _ensure_visible(Relationship, link.pk, actor)
    return link


def _record_custody_move(
    child: Person,
    *,
    actor,
    facility: Facility,
    started_on: datetime.date,
    with_person: Person | None = None,
    legal_basis: str = "",
    reason: str = "",
) -> CustodyEpisode:
    """Move a child to a new placement: close the open episode the day the new one starts."""
    if not child.is_child:
        raise ValidationError({"child": _("Custody episodes are recorded for children.")})
    Person.objects.select_for_update().filter(pk=child.pk).first()  # one mover at a time
    current = CustodyEpisode.objects.filter(child=child, ended_on__isnull=True).first()
    if current is not None:
        if started_on < current.started_on:
            raise ValidationError(
                {
                    "started_on": _(
                        "The move cannot be dated before the current placement began (%(date)s)."
                    )
                    % {"date": current.started_on.isoformat()}
                }
            )
        CustodyEpisode.objects.filter(pk=current.pk).update(ended_on=started_on)
    episode = _open_episode(
        child,
        actor=actor,
        facility=facility,
        started_on=started_on,
        with_person=with_person,
        legal_basis=legal_basis,
        reason=reason,
    )
    record_event(
        events.CUSTODY_MOVED,
        actor=actor,
        target=episode,
        data={
            "from_facility": current.facility_id if current else None,
            "to_facility": facility.pk,
            "started_on": started_on,
            "legal_basis": legal_basis,
        },
    )
    _ensure_visible(CustodyEpisode, episode.pk, actor)
    return episode


@transaction.atomic(durable=True)
def record_nationality(person: Person, *, actor, nationality) -> Person:
    """Record an adult's known nationality (e.g. an Iraqi father), with its audit event.

    Only adults: a child's nationality is what its case establishes, through the home
    state's determination, never a field someone sets. The actor must be able to change
    the person and see them.
    """
    if not Person.objects.for_user(actor, "change").filter(pk=person.pk).exists():
        raise OutOfScopeError()
    current = Person.objects.select_for_update().get(pk=person.pk)
    if current.kind != PersonKind.ADULT:
        raise ValidationError({"nationality": _("Only an adult's nationality is recorded here.")})
    before = current.nationality_id
    current.nationality = nationality
    current.version += 1
    current.save(update_fields=["nationality", "version", "updated_at"])
    record_event(
        events.NATIONALITY_RECORDED,
        actor=actor,
        target=current,
        data={"nationality": [before, nationality.code if nationality else None]},
    )
    return current


register_child = durable_use_case(_register_child)
register_adult = durable_use_case(_register_adult)
link_relative = durable_use_case(_link_relative)
record_custody_move = durable_use_case(_record_custody_move)
add_name = durable_use_case(_add_name)
