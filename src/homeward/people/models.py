"""People held in or linked to custody: children, their mothers and relatives.

Models hold single-record invariants (`clean`) and yes/no questions; every write goes
through `people.services`, which runs `full_clean()` and records the audit event.
"""

import datetime
import uuid
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from homeward.core.normalise import detect_script, normalise_name
from homeward.core.scoping import ScopedModelMixin, ScopedQuerySet
from homeward.people.choices import (
    INVERSE_LABELS,
    LANGUAGE_CODES,
    DobPrecision,
    DobSource,
    FacilityAuthority,
    FacilityType,
    Jurisdiction,
    LegalStatus,
    NameType,
    OrphanStatus,
    PersonKind,
    RelationshipBasis,
    RelationshipType,
    Script,
    Sex,
)

__all__ = ["CustodyEpisode", "Facility", "Person", "PersonName", "Relationship"]

TEXT_LIMIT = 2000
ADULT_AGE = 18


_PINNED_TODAY: ContextVar[datetime.date | None] = ContextVar("pinned_today", default=None)


def _today() -> datetime.date:
    return _PINNED_TODAY.get() or timezone.localdate()


@contextmanager
def pinned_today():
    """Read today's date once for the block: a bulk import validates thousands of people and
    episodes in a few seconds, and `timezone.localdate()` costs ~10 µs (the active time zone
    is an asgiref Local). Dates "in the future" are still refused against the date read at
    the start of the block (an import's own dry run reads it once for the whole file)."""
    token = _PINNED_TODAY.set(timezone.localdate())
    try:
        yield
    finally:
        _PINNED_TODAY.reset(token)


def years_between(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class PersonQuerySet(ScopedQuerySet):
    """Scoped people without the records merged into another person.

    A merged record is the same human being as its survivor: showing it in lists, searches
    and the matcher would show one child twice. Only the merge review (which must see both
    sides to undo a merge) asks for `include_merged=True`.
    """

    def for_user(
        self, user, action: str = "view", *, include_merged: bool = False
    ) -> "ScopedQuerySet":
        scoped = super().for_user(user, action)
        return scoped if include_merged else scoped.filter(merged_into__isnull=True)


class Person(ScopedModelMixin, models.Model):
    """A child or an adult. Identity never rests on a name: names are PersonName rows.

    The date of birth is kept with its precision and source; `date_of_birth` always
    holds the best single date (mid-month, mid-year or the middle of the estimated range)
    so that ages and age bands can be computed, and `age_is_estimated` says when they are
    approximations that must not decide a legal threshold on their own.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(
        _("kind"), max_length=8, choices=PersonKind.choices, default=PersonKind.CHILD
    )
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    dob_precision = models.CharField(
        _("precision of the date of birth"),
        max_length=8,
        choices=DobPrecision.choices,
        default=DobPrecision.UNKNOWN,
    )
    dob_earliest = models.DateField(_("born no earlier than"), null=True, blank=True)
    dob_latest = models.DateField(_("born no later than"), null=True, blank=True)
    dob_source = models.CharField(
        _("source of the date of birth"),
        max_length=24,
        choices=DobSource.choices,
        default=DobSource.UNKNOWN,
    )
    place_of_birth_country = models.ForeignKey(
        "core.HomeState",
        verbose_name=_("country of birth"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    place_of_birth_locality = models.CharField(_("place of birth"), max_length=120, blank=True)
    born_in_isis_territory = models.BooleanField(
        _("born in ISIS-held territory"), null=True, blank=True
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    unaccompanied = models.BooleanField(_("unaccompanied"), default=False)
    orphan_status = models.CharField(
        _("orphan status"),
        max_length=12,
        choices=OrphanStatus.choices,
        default=OrphanStatus.UNKNOWN,
    )
    legal_status = models.CharField(
        _("legal status"), max_length=16, choices=LegalStatus.choices, default=LegalStatus.UNKNOWN
    )
    date_of_death = models.DateField(_("date of death"), null=True, blank=True)
    # An adult's known nationality (a child's is the question its case answers). Recorded
    # through people.services.record_nationality; an Iraqi parent takes a child off the
    # deportation track (workflow IRAQI_NATIONAL_REFERRAL).
    nationality = models.ForeignKey(
        "core.HomeState",
        verbose_name=_("nationality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    # Set only by matching.services.merge_people (and cleared by unmerge_people): this record
    # was found to be the same person as `merged_into`, and its rows now live there.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="merged_records",
        db_index=False,  # looked up through person_merged_kind (merged_into, kind)
    )
    merged_at = models.DateTimeField(_("merged"), null=True, blank=True, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        # Every search counts the unmerged children it ranks among (the prior, name
        # frequencies): without this index that count scans the table (37 ms at 100k).
        indexes = [models.Index(fields=["merged_into", "kind"], name="person_merged_kind")]
        constraints = [
            models.CheckConstraint(
                condition=Q(dob_earliest__isnull=True)
                | Q(dob_latest__isnull=True)
                | Q(dob_earliest__lte=models.F("dob_latest")),
                name="person_dob_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        """Children through their case; adults through a relationship with such a child, or
        through their own adult case (a mother in custody is her home state's national even
        when no child of hers has a case of it)."""
        linked_children = Relationship.objects.filter(person__case__home_state__in=home_states)
        linking_children = Relationship.objects.filter(relative__case__home_state__in=home_states)
        return Q(case__home_state__in=home_states) | (
            Q(kind=PersonKind.ADULT)
            & (
                Q(pk__in=linked_children.values("relative_id"))
                | Q(pk__in=linking_children.values("person_id"))
                | Q(adult_case__home_state__in=home_states)
            )
        )

    def audit_context(self) -> dict:
        case = getattr(self, "case", None) if self.kind == PersonKind.CHILD else None
        return {
            "person_id": self.pk,
            "case_id": case.pk if case else None,
            "home_state": case.home_state_id if case else "",
        }

    # -- names ---------------------------------------------------------------------------

    @property
    def primary_name(self) -> "PersonName | None":
        names = list(self.names.all())  # uses prefetch_related("names") when present
        for name in names:
            if name.is_primary:
                return name
        return names[0] if names else None

    @property
    def display_name(self) -> str:
        name = self.primary_name
        return name.full_text if name else str(_("(no name recorded)"))

    # -- age -----------------------------------------------------------------------------

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None

    @property
    def is_child(self) -> bool:
        return self.kind == PersonKind.CHILD

    @property
    def age_is_estimated(self) -> bool:
        return self.dob_precision != DobPrecision.DAY

    def age(self, on: datetime.date | None = None) -> int | None:
        if self.date_of_birth is None:
            return None
        return years_between(self.date_of_birth, on or _today())

    @property
    def date_of_birth_display(self) -> str:
        dob = self.date_of_birth
        if self.dob_precision == DobPrecision.RANGE and self.dob_earliest and self.dob_latest:
            return _("between %(earliest)s and %(latest)s (estimated)") % {
                "earliest": date_format(self.dob_earliest, "M Y"),
                "latest": date_format(self.dob_latest, "M Y"),
            }
        if dob is None or self.dob_precision == DobPrecision.UNKNOWN:
            return str(_("unknown"))
        if self.dob_precision == DobPrecision.YEAR:
            return _("%(year)s (year only)") % {"year": dob.year}
        if self.dob_precision == DobPrecision.MONTH:
            return date_format(dob, "YEAR_MONTH_FORMAT")
        return date_format(dob, "DATE_FORMAT")

    @property
    def earliest_possible_birth(self) -> datetime.date | None:
        """The first day the person may have been born on, given the date's precision."""
        dob = self.date_of_birth
        if self.dob_precision == DobPrecision.RANGE:
            return self.dob_earliest
        if dob is None or self.dob_precision == DobPrecision.UNKNOWN:
            return None
        if self.dob_precision == DobPrecision.YEAR:
            return dob.replace(month=1, day=1)
        if self.dob_precision == DobPrecision.MONTH:
            return dob.replace(day=1)
        return dob

    # -- invariants ----------------------------------------------------------------------

    def normalise_date_of_birth(self) -> None:
        """Set `date_of_birth` to the best single date for the stated precision."""
        dob = self.date_of_birth
        today = _today()
        if self.dob_precision == DobPrecision.RANGE:
            if self.dob_earliest and self.dob_latest and self.dob_earliest <= self.dob_latest:
                self.date_of_birth = self.dob_earliest + (self.dob_latest - self.dob_earliest) / 2
        elif self.dob_precision == DobPrecision.YEAR and dob:
            # mid-year, but never after today: a child born this year was not born in the future
            start = datetime.date(dob.year, 1, 1)
            self.date_of_birth = min(datetime.date(dob.year, 7, 1), max(today, start))
        elif self.dob_precision == DobPrecision.MONTH and dob:
            self.date_of_birth = min(dob.replace(day=15), max(today, dob.replace(day=1)))
        elif self.dob_precision == DobPrecision.UNKNOWN:
            self.date_of_birth = None
        if self.dob_precision != DobPrecision.RANGE:
            self.dob_earliest = self.dob_latest = None

    def clean(self) -> None:
        errors: dict[str, list] = {}
        today = _today()
        if self.dob_precision == DobPrecision.RANGE:
            if not (self.dob_earliest and self.dob_latest):
                errors.setdefault("dob_earliest", []).append(
                    _("An estimated range needs both its earliest and latest date.")
                )
            elif self.dob_earliest > self.dob_latest:
                errors.setdefault("dob_latest", []).append(
                    _("The latest date must not be before the earliest.")
                )
        elif self.dob_precision != DobPrecision.UNKNOWN and self.date_of_birth is None:
            errors.setdefault("date_of_birth", []).append(
                _("Enter the date of birth, or choose “unknown” precision.")
            )
        self.normalise_date_of_birth()
        for field in ("date_of_birth", "dob_earliest", "dob_latest"):
            value = getattr(self, field)
            if value and value > today:
                errors.setdefault(field, []).append(_("A date of birth cannot be in the future."))
        if self.date_of_death:
            if self.date_of_death > today:
                errors.setdefault("date_of_death", []).append(
                    _("A date of death cannot be in the future.")
                )
            born = self.earliest_possible_birth
            if born and self.date_of_death < born:
                errors.setdefault("date_of_death", []).append(_("Death cannot come before birth."))
        unknown = sorted(set(self.languages or []) - LANGUAGE_CODES)
        if unknown:
            errors.setdefault("languages", []).append(
                _("Unknown language codes: %(codes)s") % {"codes": ", ".join(unknown)}
            )
        if self.kind == PersonKind.CHILD and self.legal_status in LegalStatus.sentenced():
            pass  # juveniles' sentences are a later app's court records; allowed here
        if errors:
            raise ValidationError(errors)


class PersonName(ScopedModelMixin, models.Model):
    """A name as one source wrote it, in its own script, with its parts when known.

    Arabic name chains (ism, nasab) and Slavic given/patronymic/surname are not forced
    into one another: `full_text` is authoritative, the parts are optional aids.
    `search_text` is the normalised form used by substring search.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="names")
    full_text = models.CharField(_("name as written"), max_length=200)
    script = models.CharField(_("script"), max_length=4, choices=Script.choices, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    given = models.CharField(_("given name"), max_length=80, blank=True)
    father = models.CharField(_("father's name / patronymic"), max_length=80, blank=True)
    grandfather = models.CharField(_("grandfather's name"), max_length=80, blank=True)
    family = models.CharField(_("family name"), max_length=80, blank=True)
    name_type = models.CharField(_("kind of name"), max_length=24, choices=NameType.choices)
    source = models.CharField(_("source"), max_length=200, blank=True)
    is_primary = models.BooleanField(_("preferred name"), default=False)
    # searched by substring (LIKE '%…%'), which no B-tree index serves: none is kept
    search_text = models.CharField(max_length=200, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    capability_model = "people.person"

    class Meta:
        ordering = ["-is_primary", "created_at"]
        verbose_name = _("name")
        verbose_name_plural = _("names")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(is_primary=True),
                name="personname_one_primary_per_person",
            )
        ]

    def __str__(self) -> str:
        return self.full_text

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(person__in=Person.objects.filter(Person.scope_filter(home_states)).values("pk"))

    def audit_context(self) -> dict:
        return self.person.audit_context()

    def clean(self) -> None:
        self.full_text = " ".join((self.full_text or "").split())
        if not self.full_text:
            raise ValidationError({"full_text": _("A name cannot be empty.")})
        if not self.script:
            self.script = detect_script(self.full_text)
        self.search_text = normalise_name(self.full_text)
        if not self.search_text:
            raise ValidationError({"full_text": _("A name must contain letters.")})


class Relationship(ScopedModelMixin, models.Model):
    """`relative` is the `relationship_type` of `person` ("A is the mother of B").

    Invariants: nobody is their own relative; a parent or grandparent cannot be born
    after the person; each (person, relative, type) is recorded once.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships")
    relative = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="relationships_as_relative"
    )
    relationship_type = models.CharField(
        _("relationship"), max_length=24, choices=RelationshipType.choices
    )
    basis = models.CharField(_("established by"), max_length=24, choices=RelationshipBasis.choices)
    verified_by = models.CharField(_("verified by"), max_length=200, blank=True)
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True, validators=[MaxLengthValidator(TEXT_LIMIT)])
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    capability_model = "people.person"

    class Meta:
        ordering = ["relationship_type", "created_at"]
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        constraints = [
            models.CheckConstraint(
                condition=~Q(person=models.F("relative")), name="relationship_not_self"
            ),
            models.UniqueConstraint(
                fields=["person", "relative", "relationship_type"], name="relationship_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.relative} — {self.get_relationship_type_display()} — {self.person}"

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        visible = Person.objects.filter(Person.scope_filter(home_states)).values("pk")
        return Q(person__in=visible) & Q(relative__in=visible)

    def audit_context(self) -> dict:
        return self.person.audit_context()

    @property
    def inverse_label(self) -> str:
        """The relationship read from the relative's side."""
        return str(INVERSE_LABELS.get(self.relationship_type, self.get_relationship_type_display()))

    def clean(self) -> None:
        if self.person_id and self.person_id == self.relative_id:
            raise ValidationError({"relative": _("A person cannot be their own relative.")})
        if self.verified_on and self.verified_on > _today():
            raise ValidationError(
                {"verified_on": _("A verification date cannot be in the future.")}
            )
        elder_types = [
            *RelationshipType.parents(),
            RelationshipType.GRANDPARENT_MATERNAL,
            RelationshipType.GRANDPARENT_PATERNAL,
        ]
        if self.relationship_type in elder_types and self.person_id and self.relative_id:
            born, elder_born = self.person.date_of_birth, self.relative.date_of_birth
            if born and elder_born and elder_born >= born:
                raise ValidationError(
                    {
                        "relationship_type": _(
                            "A parent or grandparent cannot be born after the child."
                        )
                    }
                )
        if (
            self.relationship_type == RelationshipType.MOTHER
            and self.relative_id
            and self.relative.sex == Sex.MALE
        ):
            raise ValidationError({"relationship_type": _("A mother cannot be recorded as male.")})
        if (
            self.relationship_type == RelationshipType.FATHER
            and self.relative_id
            and self.relative.sex == Sex.FEMALE
        ):
            raise ValidationError(
                {"relationship_type": _("A father cannot be recorded as female.")}
            )


class Facility(ScopedModelMixin, models.Model):
    """A prison, juvenile reform facility, orphanage, camp or hospital. Reference data (L2)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    facility_type = models.CharField(_("type"), max_length=20, choices=FacilityType.choices)
    authority = models.CharField(_("authority"), max_length=12, choices=FacilityAuthority.choices)
    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=8, choices=Jurisdiction.choices, default=Jurisdiction.FEDERAL
    )
    governorate = models.CharField(_("governorate"), max_length=60, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")

    def __str__(self) -> str:
        from django.utils.translation import get_language

        if self.name_en and (get_language() or "en").startswith("en"):
            return self.name_en
        return self.name

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q()  # not personal data; capabilities alone decide


class CustodyEpisode(ScopedModelMixin, models.Model):
    """Where a child was held, with whom, from when to when, and by which order.

    Invariants: an episode ends on or after it starts, does not start in the future, and
    does not overlap another episode of the same child (one may end the day the next
    starts). The open episode (no end) is the child's current placement.
    """

    child = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="custody_episodes")
    facility = models.ForeignKey(
        Facility, verbose_name=_("facility"), on_delete=models.PROTECT, related_name="episodes"
    )
    with_person = models.ForeignKey(
        Person,
        verbose_name=_("held with"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accompanied_episodes",
    )
    started_on = models.DateField(_("since"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    legal_basis = models.CharField(_("order or legal basis"), max_length=120, blank=True)
    reason = models.CharField(_("reason for the move"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    capability_model = "people.person"

    class Meta:
        ordering = ["-started_on", "-created_at"]
        verbose_name = _("custody episode")
        verbose_name_plural = _("custody episodes")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="custody_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(ended_on__isnull=True),
                name="custody_one_open_episode",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facility} ({self.started_on} – {self.ended_on or '…'})"

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(child__case__home_state__in=home_states)

    def audit_context(self) -> dict:
        return self.child.audit_context()

    @property
    def is_current(self) -> bool:
        return self.ended_on is None

    def overlapping(self) -> models.QuerySet:
        """Other episodes of the same child that share at least one day with this one."""
        others = CustodyEpisode.objects.filter(child_id=self.child_id).exclude(pk=self.pk)
        others = others.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=self.started_on))
        if self.ended_on is not None:
            others = others.filter(started_on__lt=self.ended_on)
        return others

    def overlaps(self, other: "CustodyEpisode") -> bool:
        """`overlapping()` for one episode in memory (a bulk import checks its own)."""
        return (
            other is not self
            and (other.pk is None or other.pk != self.pk)
            and (other.ended_on is None or other.ended_on > self.started_on)
            and (self.ended_on is None or other.started_on < self.ended_on)
        )

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.started_on and self.started_on > _today():
            errors.setdefault("started_on", []).append(
                _("A custody episode cannot start in the future.")
            )
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            errors.setdefault("ended_on", []).append(_("An episode cannot end before it starts."))
        if self.with_person_id and self.with_person_id == self.child_id:
            errors.setdefault("with_person", []).append(
                _("A child cannot be held with themselves.")
            )
        born = self.child.earliest_possible_birth if self.child_id else None
        if born and self.started_on and self.started_on < born:
            errors.setdefault("started_on", []).append(
                _("A custody episode cannot start before the child was born.")
            )
        # a child not yet saved (a bulk import stages it) has no episodes to overlap; a bulk
        # move gives the child's other episodes, read once for the whole import
        known = getattr(self, "_child_episodes", None)
        if (
            not errors
            and self.child_id
            and self.started_on
            and not self.child._state.adding
            and (
                any(self.overlaps(other) for other in known)
                if known is not None
                else self.overlapping().exists()
            )
        ):
            errors.setdefault("started_on", []).append(
                _("This period overlaps another custody episode of the same child.")
            )
        if errors:
            raise ValidationError(errors)
