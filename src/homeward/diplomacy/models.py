"""Home-state profiles, engagements and action items (domain.md §1.2, §3.2).

Every row belongs to one home state and is scoped by it: a consul sees its own state's
profile, engagements and action items and never another's. Models hold invariants
(`clean`) and predicates; every write goes through `diplomacy.services`.
"""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.core.scoping import ScopedModelMixin, ScopedQuerySet
from homeward.diplomacy.choices import ActionItemStatus, EngagementKind, PolicyStance

__all__ = ["ActionItem", "Engagement", "FocalPoint", "HomeStateProfile"]


class HomeStateProfile(ScopedModelMixin, models.Model):
    """What the ministry knows about a home state as a counterpart.

    Its primary key is the home state's code, so `/diplomacy/states/RU/` names both. The
    requirements policy is not stored here: it is the workflow's versioned RequirementsPolicy.
    """

    home_state = models.OneToOneField(
        "core.HomeState",
        verbose_name=_("home state"),
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="profile",
    )
    stance = models.CharField(
        _("policy stance"),
        max_length=20,
        choices=PolicyStance.choices,
        default=PolicyStance.UNKNOWN,
    )
    has_embassy_in_baghdad = models.BooleanField(_("embassy in Baghdad"), default=False)
    channel = models.TextField(
        _("channel when there is no embassy"),
        blank=True,
        max_length=1000,
        help_text=_("E.g. through its embassy in Amman, or the Iraqi embassy in its capital."),
    )
    fee_agreements = models.TextField(
        _("fee agreements"),
        blank=True,
        max_length=2000,
        help_text=_("Who pays for tests, documents and travel, and under which agreement."),
    )
    notes = models.TextField(_("notes"), blank=True, max_length=4000)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedQuerySet.as_manager()
    capability_model = "diplomacy.homestateprofile"

    class Meta:
        ordering = ["home_state"]
        verbose_name = _("home-state profile")
        verbose_name_plural = _("home-state profiles")

    def __str__(self) -> str:
        return str(self.home_state)

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(home_state__in=home_states)

    def audit_context(self) -> dict:
        return {"home_state": self.home_state_id}

    def clean(self) -> None:
        if not self.has_embassy_in_baghdad and not self.channel.strip():
            raise ValidationError(
                {"channel": _("Say how to reach a home state that has no embassy in Baghdad.")}
            )


class FocalPoint(ScopedModelMixin, models.Model):
    """A person to contact about returns, in the home state or its mission (personal data, L2)."""

    profile = models.ForeignKey(
        HomeStateProfile,
        verbose_name=_("profile"),
        on_delete=models.CASCADE,
        related_name="focal_points",
    )
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)

    objects = ScopedQuerySet.as_manager()
    capability_model = "diplomacy.homestateprofile"

    class Meta:
        ordering = ["profile", "name"]
        verbose_name = _("focal point")
        verbose_name_plural = _("focal points")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(profile__home_state__in=home_states)

    def audit_context(self) -> dict:
        return {"home_state": self.profile_id}


def validate_participants(value) -> None:
    """Participants are a list of {"agency": ..., "role": ...} with a non-empty agency."""
    if not isinstance(value, list):
        raise ValidationError(_("Participants must be a list."))
    for entry in value:
        if (
            not isinstance(entry, dict)
            or set(entry) - {"agency", "role"}
            or not str(entry.get("agency", "")).strip()
            or not isinstance(entry.get("role", ""), str)
        ):
            raise ValidationError(_("Each participant needs an agency and, optionally, a role."))


class Engagement(ScopedModelMixin, models.Model):
    """One contact with a home state: a note verbale, a meeting, a visit, an invitation.

    Invariants (clean + services): linked cases belong to the same home state; `in_reply_to`
    is set only on a note verbale received, and points at a note verbale sent to the same state.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    home_state = models.ForeignKey(
        "core.HomeState",
        verbose_name=_("home state"),
        on_delete=models.PROTECT,
        related_name="engagements",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=EngagementKind.choices)
    date = models.DateField(_("date"))
    reference = models.CharField(_("reference number"), max_length=100, blank=True)
    participants = models.JSONField(
        _("participants"), default=list, blank=True, validators=[validate_participants]
    )
    agenda = models.TextField(_("agenda"), blank=True, max_length=4000)
    outcome = models.TextField(_("outcome"), blank=True, max_length=4000)
    decisions = models.TextField(_("decisions"), blank=True, max_length=4000)
    cases = models.ManyToManyField(
        "cases.Case", verbose_name=_("linked cases"), blank=True, related_name="engagements"
    )
    in_reply_to = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
    )
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        indexes = [models.Index(fields=["home_state", "date"], name="engagement_state_date")]

    def __str__(self) -> str:
        label = self.get_kind_display()
        return f"{label} {self.reference}".strip() if self.reference else f"{label} {self.date}"

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(home_state__in=home_states)

    def audit_context(self) -> dict:
        return {"home_state": self.home_state_id}

    @property
    def is_note_out(self) -> bool:
        return self.kind == EngagementKind.NOTE_VERBALE_OUT

    def clean(self) -> None:
        if self.in_reply_to_id is None:
            return
        if self.kind != EngagementKind.NOTE_VERBALE_IN:
            raise ValidationError({"in_reply_to": _("Only a note verbale received is a reply.")})
        original = self.in_reply_to
        if not original.is_note_out or original.home_state_id != self.home_state_id:
            raise ValidationError(
                {"in_reply_to": _("A reply answers a note verbale sent to the same home state.")}
            )
        if self.date < original.date:
            raise ValidationError({"date": _("A reply cannot predate the note it answers.")})

    def days_unanswered(self, today: datetime.date | None = None) -> int | None:
        """For a note verbale sent and not yet answered, its age in days; otherwise None.

        Expects `replies` prefetched on lists (one query per note otherwise).
        """
        if not self.is_note_out or self.replies.all():
            return None
        today = today or timezone.localdate()
        return max((today - self.date).days, 0)


class ActionItem(ScopedModelMixin, models.Model):
    """Something an agency (or one person) agreed to do at an engagement, by a date."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    engagement = models.ForeignKey(
        Engagement,
        verbose_name=_("engagement"),
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    description = models.TextField(_("description"), max_length=2000)
    owner_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("owner agency"),
        on_delete=models.PROTECT,
        related_name="action_items",
    )
    owner_user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("owner (person)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_items",
    )
    due = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ActionItemStatus.choices, default=ActionItemStatus.OPEN
    )
    cases = models.ManyToManyField(
        "cases.Case", verbose_name=_("linked cases"), blank=True, related_name="action_items"
    )
    closing_note = models.TextField(_("closing note"), blank=True, max_length=2000)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["due", "created_at"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self) -> str:
        return self.description[:80]

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(engagement__home_state__in=home_states)

    def audit_context(self) -> dict:
        return {"home_state": self.engagement.home_state_id}

    @property
    def is_open(self) -> bool:
        return self.status == ActionItemStatus.OPEN

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.is_open and self.due is not None and self.due < (today or timezone.localdate())

    def clean(self) -> None:
        if self.owner_user_id and self.owner_user.agency_id != self.owner_agency_id:
            raise ValidationError({"owner_user": _("The person must work for the owner agency.")})
