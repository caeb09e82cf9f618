"""Blocking keys of names: what lets a lookup find candidates without scanning the registry.

One NameKey row per (name, part, key): the consonant skeletons of `matching.names` for the
given name, the family name and the father's name of every PersonName. A lookup asks for
the rows whose key equals one of the query's keys, within the searcher's scope, and scores
only those people. Keys are derived data: `matching.keys.store_name_keys` writes them in
the same transaction as the name (called by the people services), and
`homeward rebuild_name_keys` recomputes all of them after the rules change.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.core.scoping import ScopedModelMixin, ScopedQuerySet
from homeward.people.models import Person, PersonName

__all__ = [
    "DuplicateCandidate",
    "MergeRecord",
    "NameKey",
    "TracingMatch",
    "TracingRequest",
]


class NameKey(models.Model):
    """A phonetic key of one part of one name.

    Internal, derived data with no page, API or export of its own: it is only ever read
    joined to `Person.objects.for_user(user)` (see `engine.find_candidates`), so the
    person's scope is its scope.
    """

    GIVEN, FAMILY, FATHER, KUNYA = "given", "family", "father", "kunya"
    PARTS = [
        (GIVEN, _("given name")),
        (FAMILY, _("family name")),
        (FATHER, _("father's name")),
        (KUNYA, _("kunya")),
    ]

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_keys")
    name = models.ForeignKey(
        PersonName,
        on_delete=models.CASCADE,
        related_name="keys",
        db_index=False,  # looked up through namekey_unique (name, part, key)
    )
    part = models.CharField(max_length=8, choices=PARTS)
    key = models.CharField(max_length=40)

    class Meta:
        verbose_name = _("name key")
        verbose_name_plural = _("name keys")
        # person_id in the index: the search's blocking and name-frequency queries read
        # (key, part, person) only, so they are answered from the index without the table
        indexes = [models.Index(fields=["key", "part", "person"], name="namekey_key_part_person")]
        constraints = [
            models.UniqueConstraint(fields=["name", "part", "key"], name="namekey_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.part}:{self.key}"


def _both_visible(home_states) -> Q:
    """Both people of a pair are in scope: a reviewer never learns of a record they may not see."""
    visible = Person.objects.filter(Person.scope_filter(home_states)).values("pk")
    return Q(left__in=visible) & Q(right__in=visible)


class DuplicateStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed_duplicate", _("Confirmed duplicate")
    REJECTED = "rejected", _("Not the same person")


class DuplicateCandidate(ScopedModelMixin, models.Model):
    """Two registry records the matcher thinks are one person, waiting for a human's word.

    Proposed by `homeward find_duplicates`; `left` is always the record with the smaller
    id, so each pair is proposed once whatever order it is met in (and a rejected pair is
    never proposed again). `explanation` keeps the field-by-field comparison as it was when
    proposed, so the reviewer sees the matcher's reasons even if the records change later.
    Governed by the people capabilities: seeing a pair is seeing two people.
    """

    left = models.ForeignKey(
        Person, verbose_name=_("record"), on_delete=models.CASCADE, related_name="+"
    )
    right = models.ForeignKey(
        Person, verbose_name=_("other record"), on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField(_("score"))
    explanation = models.JSONField(_("comparison"), default=list)
    status = models.CharField(
        _("status"),
        max_length=24,
        choices=DuplicateStatus.choices,
        default=DuplicateStatus.PROPOSED,
    )
    proposed_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    capability_model = "people.person"

    class Meta:
        ordering = ["-score", "proposed_at"]
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="duplicate_pair_unique"),
            models.CheckConstraint(
                condition=Q(left__lt=models.F("right")), name="duplicate_pair_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.left} ≟ {self.right}"

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return _both_visible(home_states)

    def audit_context(self) -> dict:
        return self.left.audit_context()


class MergeRecord(ScopedModelMixin, models.Model):
    """What one merge moved, row by row, so that undoing it moves exactly those rows back.

    `moves` is a list of `[model label, pk, field, value before, value after]`: a foreign
    key re-pointed from the duplicate to the survivor, or a field the merge had to change
    (the duplicate's preferred name stops being preferred; its case is closed). `kept` lists
    rows that stayed on the merged record because moving them would break an invariant of
    the survivor (a second open custody episode, a relationship the survivor already has).
    """

    survivor = models.ForeignKey(
        Person, verbose_name=_("kept record"), on_delete=models.PROTECT, related_name="+"
    )
    duplicate = models.ForeignKey(
        Person, verbose_name=_("merged record"), on_delete=models.PROTECT, related_name="+"
    )
    candidate = models.ForeignKey(
        DuplicateCandidate,
        verbose_name=_("possible duplicate"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merges",
    )
    reason = models.TextField(_("reason"))
    moves = models.JSONField(_("moved rows"), default=list)
    kept = models.JSONField(_("rows left on the merged record"), default=list)
    performed_by = models.ForeignKey(
        "accounts.User", verbose_name=_("merged by"), on_delete=models.PROTECT, related_name="+"
    )
    performed_at = models.DateTimeField(_("merged"))
    undone_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("undone by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undo_reason = models.TextField(_("reason for undoing"), blank=True)

    objects = ScopedQuerySet.as_manager()
    capability_model = "people.person"

    class Meta:
        ordering = ["-performed_at"]
        verbose_name = _("merge")
        verbose_name_plural = _("merges")

    def __str__(self) -> str:
        return f"{self.duplicate_id} → {self.survivor_id}"

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        visible = Person.objects.filter(Person.scope_filter(home_states)).values("pk")
        return Q(survivor__in=visible) & Q(duplicate__in=visible)

    def audit_context(self) -> dict:
        return self.survivor.audit_context()

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None


# -- tracing requests ------------------------------------------------------------------------


class TracingChannel(models.TextChoices):
    EMBASSY = "embassy", _("Embassy or consulate")
    ICRC = "icrc", _("ICRC (Red Cross)")
    UNICEF = "unicef", _("UNICEF")
    OTHER = "other", _("Other")


class TracingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MATCHED = "matched", _("Child found")
    CLOSED = "closed", _("Closed")


class TracingRole(models.TextChoices):
    CHILD = "child", _("the child sought")
    MOTHER = "mother", _("the child's mother")


class TracingMatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class TracingMatchOrigin(models.TextChoices):
    REQUEST = "request", _("when the request was filed or refreshed")
    REGISTRATION = "registration", _("when the person was registered")


def _humanitarian_agency(user):
    """The humanitarian agency (UNICEF, ICRC) a user works for, or None."""
    from homeward.accounts.choices import AgencyKind

    agency = getattr(user, "agency", None)
    if user is None or user.is_superuser or agency is None:
        return None
    return agency if agency.kind == AgencyKind.HUMANITARIAN else None


class TracingRequestQuerySet(ScopedQuerySet):
    """Home-state scope, and for a humanitarian partner only its own requests.

    A consul sees the requests about its own state (RLS enforces that too, through
    `scope_filter`); UNICEF or ICRC staff see the requests their agency filed or works as
    partner, never another agency's families.
    """

    def for_user(self, user, action: str = "view") -> "ScopedQuerySet":
        rows = super().for_user(user, action)
        agency = _humanitarian_agency(user)
        if agency is not None:
            rows = rows.filter(Q(filed_by_agency=agency) | Q(partner_agency=agency))
        return rows


class TracingRequest(ScopedModelMixin, models.Model):
    """A relative abroad looking for a child, as they describe the child and the family.

    Names are kept as the relative wrote them, in their own script; the matcher compares
    them across scripts. `name_keys` are the phonetic keys of the child's and the mother's
    names, so a new registration finds the open requests it may answer without parsing
    them all (see `matching.tracing.match_new_person`).
    """

    home_state = models.ForeignKey(
        "core.HomeState",
        verbose_name=_("home state concerned"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField(_("received through"), max_length=12, choices=TracingChannel.choices)
    channel_reference = models.CharField(_("their reference"), max_length=80, blank=True)
    received_on = models.DateField(_("received on"))
    partner_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("partner agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    child_name = models.CharField(_("child's name"), max_length=200)
    child_other_names = models.TextField(_("other names or spellings"), blank=True)
    child_sex = models.CharField(
        _("child's sex"),
        max_length=8,
        blank=True,
        choices=[("female", _("Female")), ("male", _("Male"))],
    )
    child_birth_year = models.PositiveSmallIntegerField(
        _("child's year of birth"), null=True, blank=True
    )
    mother_name = models.CharField(_("mother's name"), max_length=200, blank=True)
    mother_birth_year = models.PositiveSmallIntegerField(
        _("mother's year of birth"), null=True, blank=True
    )
    father_name = models.CharField(_("father's name or kunya"), max_length=200, blank=True)
    other_relatives = models.TextField(_("other relatives"), blank=True)
    places = models.TextField(_("places (origin, last known whereabouts)"), blank=True)
    requester_name = models.CharField(_("relative's name"), max_length=200)
    requester_relationship = models.CharField(_("relative is the child's"), max_length=24)
    requester_address = models.TextField(_("relative's address and contact"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=TracingStatus.choices, default=TracingStatus.OPEN
    )
    name_keys = models.JSONField(_("name keys"), default=list, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    filed_by = models.ForeignKey(
        "accounts.User", verbose_name=_("filed by"), on_delete=models.PROTECT, related_name="+"
    )
    filed_by_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("filing agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    filed_at = models.DateTimeField(_("filed"))

    objects = TracingRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-filed_at"]
        verbose_name = _("tracing request")
        verbose_name_plural = _("tracing requests")
        indexes = [models.Index(fields=["status", "home_state"], name="tracing_status_state")]

    def __str__(self) -> str:
        return f"{self.reference} · {self.child_name}"

    @property
    def reference(self) -> str:
        return f"TR-{self.pk:05d}" if self.pk else "TR-new"

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(home_state__in=home_states)

    def audit_context(self) -> dict:
        return {"person_id": None, "case_id": None, "home_state": self.home_state_id}

    def clean(self) -> None:
        from homeward.people.choices import RelationshipType

        errors: dict[str, list] = {}
        this_year = timezone.localdate().year
        for field in ("child_birth_year", "mother_birth_year"):
            year = getattr(self, field)
            if year is not None and not 1930 <= year <= this_year:
                errors.setdefault(field, []).append(_("Enter a year between 1930 and this year."))
        if (
            self.child_birth_year
            and self.mother_birth_year
            and self.mother_birth_year >= self.child_birth_year
        ):
            errors.setdefault("mother_birth_year", []).append(
                _("The mother cannot be born after the child.")
            )
        if self.received_on and self.received_on > timezone.localdate():
            errors.setdefault("received_on", []).append(_("This date cannot be in the future."))
        if (
            self.requester_relationship
            and self.requester_relationship not in RelationshipType.values
        ):
            errors.setdefault("requester_relationship", []).append(_("Choose a relationship."))
        for field in ("child_name", "requester_name"):
            if not any(ch.isalpha() for ch in getattr(self, field) or ""):
                errors.setdefault(field, []).append(_("Enter a name."))
        if errors:
            raise ValidationError(errors)


class TracingMatchQuerySet(ScopedQuerySet):
    """A match is seen by who sees its request *and* the registry person it proposes."""

    def for_user(self, user, action: str = "view") -> "ScopedQuerySet":
        rows = super().for_user(user, action)
        if _humanitarian_agency(user) is not None:
            rows = rows.filter(request__in=TracingRequest.objects.for_user(user, action))
        return rows


class TracingMatch(ScopedModelMixin, models.Model):
    """A registry person the matcher proposes for a tracing request, and the reviewer's word.

    `explanation` keeps the field comparison as proposed. On confirmation of a child, the
    relative becomes a registered adult linked to the child, a guardian candidate on the
    child's case (`guardian`), and optionally a nationality claim (`claim`).
    """

    request = models.ForeignKey(
        TracingRequest,
        verbose_name=_("tracing request"),
        on_delete=models.CASCADE,
        related_name="matches",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("registry record"), on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(_("proposed as"), max_length=8, choices=TracingRole.choices)
    score = models.FloatField(_("score"))
    explanation = models.JSONField(_("comparison"), default=list)
    origin = models.CharField(_("found"), max_length=12, choices=TracingMatchOrigin.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=TracingMatchStatus.choices,
        default=TracingMatchStatus.PROPOSED,
    )
    proposed_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    relative = models.ForeignKey(
        Person,
        verbose_name=_("relative registered"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    guardian = models.ForeignKey(
        "evidence.GuardianCandidate",
        verbose_name=_("guardian candidate"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    claim = models.ForeignKey(
        "evidence.NationalityClaim",
        verbose_name=_("nationality claim"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = TracingMatchQuerySet.as_manager()
    capability_model = "matching.tracingrequest"

    class Meta:
        ordering = ["role", "-score"]
        verbose_name = _("tracing match")
        verbose_name_plural = _("tracing matches")
        constraints = [
            models.UniqueConstraint(fields=["request", "person"], name="tracing_match_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.request.reference} ≟ {self.person_id}"

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        visible = Person.objects.filter(Person.scope_filter(home_states)).values("pk")
        return Q(request__home_state__in=home_states) & Q(person__in=visible)

    def audit_context(self) -> dict:
        context = self.person.audit_context()
        context["home_state"] = context["home_state"] or self.request.home_state_id
        return context
