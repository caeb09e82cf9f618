"""Write use cases for people: registering, editing, naming, linking and moving children.

Each public function is one use case: it runs in one durable transaction, validates with
the models' own invariants (`full_clean`), writes its audit event inside that transaction,
and re-checks after writing that the actor can still see what they wrote. Nothing is
half-written: any error rolls the whole use case back.
"""

import datetime
from collections.abc import Callable, Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.audit.services import record_event, record_events
from homeward.cases.facts import refresh_limbo_facts
from homeward.cases.services import change_case_home_state, open_case
from homeward.core.bulk import full_clean as bulk_clean
from homeward.core.bulk import insert, insert_rows
from homeward.core.exceptions import OutOfScopeError, StaleEditError
from homeward.core.transactions import durable_use_case
from homeward.matching.keys import store_name_keys
from homeward.matching.tracing import match_new_person
from homeward.people import events
from homeward.people.choices import PersonKind
from homeward.people.models import CustodyEpisode, Facility, Person, PersonName, Relationship

__all__ = [
    "BulkCustody",
    "BulkRegistration",
    "add_name",
    "create_adult",
    "create_relationship",
    "link_relative",
    "record_custody_move",
    "record_nationality",
    "register_adult",
    "register_child",
    "reveal_name",
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


def _build_names(person: Person, names: Iterable[Mapping], *, memo=None) -> list[PersonName]:
    """The names, validated. With a `memo` (a bulk registration of new, unsaved people) the
    one-preferred-name constraint is the count below, with no query for names they cannot
    have yet, and repeated field values are validated once (core.bulk.full_clean)."""
    built = [PersonName(person=person, **dict(name)) for name in names]
    if not built:
        raise ValidationError({"names": _("At least one name is required.")})
    primaries = sum(1 for name in built if name.is_primary)
    if primaries > 1:
        raise ValidationError({"names": _("Only one name can be the preferred name.")})
    if not primaries:
        built[0].is_primary = True
    for name in built:
        if memo is None:
            name.full_clean(exclude=["person"])
        else:
            bulk_clean(name, exclude=["person"], memo=memo)
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
    refresh_limbo_facts(case_ids=[case.pk])
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
    refresh_limbo_facts(child_ids=[child.pk])  # a first placement starts the child's limbo
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


@transaction.atomic(durable=True)
def reveal_name(person: Person, *, actor) -> list[PersonName]:
    """A list row's "Reveal": the full name of one person, as an audited read.

    Returns the preferred name followed by the names in other scripts (one per script and
    text), and writes `people.person.name_revealed`. The page and the API both call it with
    a person they found through the scoped queryset; it checks the scope again (out of it:
    OutOfScopeError, nothing written).
    """
    if not Person.objects.for_user(actor, "view").filter(pk=person.pk).exists():
        raise OutOfScopeError()
    record_event(events.NAME_REVEALED, actor=actor, target=person)
    primary = person.primary_name
    if primary is None:
        return []
    seen, others = set(), []
    for name in person.names.all():
        if name.pk == primary.pk or name.script == primary.script:
            continue
        if name.full_text not in seen:
            seen.add(name.full_text)
            others.append(name)
    return [primary, *others]


register_child = durable_use_case(_register_child)
register_adult = durable_use_case(_register_adult)
link_relative = durable_use_case(_link_relative)
record_custody_move = durable_use_case(_record_custody_move)
add_name = durable_use_case(_add_name)


# -- registering many at once (bulk imports) ---------------------------------------------------

# Foreign keys are not looked up one by one while staging: the objects given are rows just
# read, and the database checks every key when the import's transaction commits.
_PERSON_FKS = ["place_of_birth_country", "nationality", "merged_into"]


class BulkRegistration:
    """`register_child`, `register_adult`, `link_relative` and `add_name` for many rows at once.

    An import of a register creates thousands of children, mothers and links in one
    transaction; doing it a row at a time costs dozens of queries per row. Here every step
    validates as the single-record services do (the models' `clean`, field checks, the same
    invariants), but at once, so an error belongs to the row being staged; the writes wait
    for `flush()`: one INSERT per table, the same audit events as the single-record services
    (in the same order, appended to the chain in one batch by `record_events`), the tracing
    matcher for the people who share a name key with an open request, and one scope check
    per table. Runs inside the caller's transaction, which makes it all or nothing.

    Unique constraints (case references, one link per pair) are left to the database: a
    clash fails the whole transaction with IntegrityError.
    """

    def __init__(self, actor):
        self.actor = actor
        self._people: list[Person] = []
        self._names: list[PersonName] = []
        self._cases: list = []
        self._episodes: list[CustodyEpisode] = []
        self._links: list[Relationship] = []
        self._events: list[tuple[str, object, Callable[[], dict], dict]] = []
        self._references: dict[int, int] = {}
        self._open_request_keys: set[str] | None = None
        self._memo: dict = {}  # field values already validated (core.bulk.full_clean)

    # -- staging -------------------------------------------------------------------------

    def _person(self, kind: str, fields: Mapping, names: Iterable[Mapping]) -> Person:
        unknown = set(fields) - set(PERSON_EDITABLE_FIELDS)
        if unknown:
            raise TypeError(f"not person fields: {sorted(unknown)}")
        person = Person(kind=kind, **fields)
        bulk_clean(person, exclude=_PERSON_FKS, memo=self._memo)
        built = _build_names(person, names, memo=self._memo)
        self._people.append(person)
        self._names += built
        person._staged_names = built
        return person

    def adult(self, *, fields: Mapping, names: Iterable[Mapping]) -> Person:
        """An adult as `register_adult` makes one (unsaved until `flush`)."""
        adult = self._person(PersonKind.ADULT, fields, names)
        count = len(adult._staged_names)
        self._events.append((events.ADULT_REGISTERED, adult, lambda: {"names": count}, {}))
        return adult

    def _reference(self, now) -> str:
        from homeward.cases.services import next_case_reference

        year = timezone.localtime(now).year
        if year not in self._references:
            self._references[year] = int(next_case_reference(year).rsplit("-", 1)[1])
        number = self._references[year]
        self._references[year] += 1
        return f"HW-{year}-{number:05d}"

    def child(
        self,
        *,
        fields: Mapping,
        names: Iterable[Mapping],
        home_state,
        custody: Mapping | None = None,
    ) -> Person:
        """A child with its case and placement, as `register_child` makes them."""
        from homeward.cases import events as case_events
        from homeward.cases.choices import CaseStatus
        from homeward.cases.models import Case

        child = self._person(PersonKind.CHILD, fields, names)
        now = timezone.now()
        case = Case(
            reference=self._reference(now), child=child, home_state=home_state,
            status=CaseStatus.REGISTERED, status_changed_at=now, opened_at=now,
        )  # fmt: skip
        bulk_clean(case, exclude=["child", "home_state", "owner", "family_group"], memo=self._memo)
        self._cases.append(case)
        if custody:
            episode = CustodyEpisode(child=child, recorded_by=self.actor, **custody)
            bulk_clean(
                episode,
                exclude=["child", "facility", "with_person", "recorded_by"],
                memo=self._memo,
            )
            self._episodes.append(episode)
        opened = {"reference": case.reference, "home_state": home_state.code}
        self._events.append((case_events.CASE_OPENED, case, lambda: opened, {}))
        registered = {
            "case": case.reference,
            "names": len(child._staged_names),
            "custody": bool(custody),
        }
        self._events.append(
            (
                events.CHILD_REGISTERED,
                child,
                lambda: registered,
                {"case_id": case.pk, "home_state": home_state.code},
            )
        )
        return child

    def name(self, person: Person, **fields) -> PersonName:
        """One more (not preferred) name for a person staged here, as `add_name` records it."""
        name = PersonName(person=person, **fields)
        if name.is_primary:
            raise ValidationError({"is_primary": _("Only one name can be the preferred name.")})
        bulk_clean(name, exclude=["person"], memo=self._memo)
        self._names.append(name)
        data = {"script": name.script, "name_type": name.name_type, "primary": False}
        self._events.append((events.NAME_ADDED, name, lambda: data, {}))
        return name

    def link(
        self, person: Person, *, relative: Person, relationship_type: str, basis: str
    ) -> Relationship:
        """`relative` is the `relationship_type` of `person`, as `link_relative` records it."""
        link = Relationship(
            person=person, relative=relative, relationship_type=relationship_type, basis=basis
        )
        bulk_clean(link, exclude=["person", "relative"], memo=self._memo)
        self._links.append(link)
        data = {"relative": str(relative.pk), "type": relationship_type, "basis": basis}
        self._events.append((events.RELATIONSHIP_LINKED, link, lambda: data, {}))
        return link

    # -- writing -------------------------------------------------------------------------

    def _matches_some_request(self, keys: set[str]) -> bool:
        from homeward.matching.models import TracingRequest, TracingStatus

        if self._open_request_keys is None:
            self._open_request_keys = set()
            for name_keys in TracingRequest.objects.filter(status=TracingStatus.OPEN).values_list(
                "name_keys", flat=True
            ):
                self._open_request_keys.update(name_keys or [])
        return bool(keys & self._open_request_keys)

    def flush(self) -> None:
        """Write everything staged since the last flush (see the class docstring)."""
        from homeward.cases.models import Case
        from homeward.matching.keys import keys_for_name
        from homeward.matching.models import NameKey

        if not self._people and not self._links and not self._names:
            return
        insert(Person, self._people)
        insert(PersonName, self._names)
        keys_of: dict = {}
        rows = []
        for name in self._names:
            for part, key in sorted(keys_for_name(name)):
                rows.append((name.person_id, name.pk, part, key))
                keys_of.setdefault(name.person_id, set()).add(key)
        insert_rows(NameKey, ["person_id", "name_id", "part", "key"], rows)
        insert(Case, self._cases)
        insert(CustodyEpisode, self._episodes)
        refresh_limbo_facts(case_ids=[case.pk for case in self._cases])
        insert(Relationship, self._links)
        record_events(
            {"event_type": event_type, "actor": self.actor, "target": target, "data": data(),
             **context}
            for event_type, target, data, context in self._events
        )  # fmt: skip
        for person in self._people:
            if self._matches_some_request(keys_of.get(person.pk, set())):
                match_new_person(person, actor=self.actor)
        children = [case.child_id for case in self._cases]
        for model, pks in ((Person, children), (Relationship, [x.pk for x in self._links])):
            if pks and model.objects.for_user(self.actor, "view").filter(pk__in=pks).count() != (
                len(pks)
            ):
                raise OutOfScopeError()
        self._people, self._names, self._cases = [], [], []
        self._episodes, self._links, self._events = [], [], []


class BulkCustody:
    """`record_custody_move` for many children at once (a transfer list).

    `prefetch` reads, for the children a chunk of rows names, their open and past
    placements in one query and locks the children (one mover at a time, as the single
    service does); `move` then checks each move as `record_custody_move` does (a child only,
    not dated before the current placement, the episode's own invariants including overlap,
    against the rows already read and the moves staged before it), so an error names its
    row. `flush` closes the placements that were current, inserts the new episodes, appends
    the same CUSTODY_MOVED events in one batch and checks in one query that the actor sees
    every episode. Runs inside the caller's transaction, which makes it all or nothing.
    """

    def __init__(self, actor):
        self.actor = actor
        self._episodes: dict = {}  # child pk -> its episodes (read, then staged)
        self._closes: dict[int, datetime.date] = {}  # saved episode pk -> its new end
        self._new: list[CustodyEpisode] = []
        self._events: list[dict] = []
        self._memo: dict = {}  # field values already validated (core.bulk.full_clean)

    def prefetch(self, children: Iterable[Person]) -> None:
        wanted = {child.pk for child in children} - set(self._episodes)
        if not wanted:
            return
        list(Person.objects.select_for_update().filter(pk__in=wanted).values_list("pk"))
        for pk in wanted:
            self._episodes[pk] = []
        for episode in CustodyEpisode.objects.filter(child_id__in=wanted):
            self._episodes[episode.child_id].append(episode)

    def move(
        self,
        child: Person,
        *,
        facility: Facility,
        started_on: datetime.date,
        with_person: Person | None = None,
        legal_basis: str = "",
        reason: str = "",
    ) -> CustodyEpisode:
        """Stage a move of `child` (read by `prefetch`) to `facility` from `started_on`."""
        if not child.is_child:
            raise ValidationError({"child": _("Custody episodes are recorded for children.")})
        if child.pk not in self._episodes:
            self.prefetch([child])
        episodes = self._episodes[child.pk]
        current = next((e for e in episodes if e.ended_on is None), None)
        if current is not None:
            if started_on < current.started_on:
                raise ValidationError(
                    {
                        "started_on": _(
                            "The move cannot be dated before the current placement began "
                            "(%(date)s)."
                        )
                        % {"date": current.started_on.isoformat()}
                    }
                )
            current.ended_on = started_on
            if current.pk is not None:
                self._closes[current.pk] = started_on
        episode = CustodyEpisode(
            child=child, facility=facility, started_on=started_on, recorded_by=self.actor,
            with_person=with_person, legal_basis=legal_basis, reason=reason,
        )  # fmt: skip
        episode._child_episodes = episodes
        bulk_clean(
            episode, exclude=["child", "facility", "with_person", "recorded_by"], memo=self._memo
        )
        del episode._child_episodes
        episodes.append(episode)
        self._new.append(episode)
        self._events.append(
            {
                "event_type": events.CUSTODY_MOVED,
                "actor": self.actor,
                "target": episode,
                "data": {
                    "from_facility": current.facility_id if current else None,
                    "to_facility": facility.pk,
                    "started_on": started_on,
                    "legal_basis": legal_basis,
                },
            }
        )
        return episode

    def flush(self) -> None:
        """Write everything staged since the last flush (see the class docstring)."""
        by_end: dict[datetime.date, list[int]] = {}
        for pk, ended_on in self._closes.items():
            by_end.setdefault(ended_on, []).append(pk)
        for ended_on, pks in by_end.items():
            CustodyEpisode.objects.filter(pk__in=pks).update(ended_on=ended_on)
        insert(CustodyEpisode, self._new)
        # a first placement starts a child's limbo (reports' time in limbo)
        refresh_limbo_facts(child_ids={episode.child_id for episode in self._new})
        record_events(self._events)
        pks = [episode.pk for episode in self._new]
        visible = CustodyEpisode.objects.for_user(self.actor, "view").filter(pk__in=pks)
        if pks and visible.count() != len(pks):
            raise OutOfScopeError()
        self._closes, self._new, self._events = {}, [], []
