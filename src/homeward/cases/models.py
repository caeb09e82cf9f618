"""Cases: one per child, carrying the home state that scopes everything about the child."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from homeward.cases.choices import MAIN_STATES, SIDE_STATES, CaseStatus
from homeward.core.scoping import ScopedModelMixin, ScopedQuerySet
from homeward.people.choices import PersonKind

__all__ = ["Case", "FamilyGroup"]


class FamilyGroup(ScopedModelMixin, models.Model):
    """Siblings who travel together unless a best-interests decision says otherwise."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    label = models.CharField(_("label"), max_length=120)
    must_travel_together = models.BooleanField(_("must travel together"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    capability_model = "cases.case"

    class Meta:
        ordering = ["label"]
        verbose_name = _("family group")
        verbose_name_plural = _("family groups")

    def __str__(self) -> str:
        return self.label

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        # a subquery, not a join through `cases`: a group of two siblings would be listed twice
        return Q(pk__in=Case.objects.filter(home_state__in=home_states).values("family_group_id"))


class Case(ScopedModelMixin, models.Model):
    """A child's repatriation case: one per child, scoped by its home state.

    `home_state` is the state whose nationality is claimed for the child; it decides who
    may see the child at all. In a side state, `return_status` remembers the main state
    to go back to. `version` increases on every change, for optimistic locking.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    child = models.OneToOneField(
        "people.Person", verbose_name=_("child"), on_delete=models.PROTECT, related_name="case"
    )
    home_state = models.ForeignKey(
        "core.HomeState",
        verbose_name=_("home state"),
        on_delete=models.PROTECT,
        related_name="cases",
        db_index=False,  # looked up through case_state_status (home_state, status)
    )
    status = models.CharField(
        _("status"), max_length=32, choices=CaseStatus.choices, default=CaseStatus.REGISTERED
    )
    return_status = models.CharField(
        _("returns to"), max_length=32, choices=CaseStatus.choices, blank=True
    )
    status_changed_at = models.DateTimeField(_("status since"))
    owner = models.ForeignKey(
        "accounts.User",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_cases",
    )
    family_group = models.ForeignKey(
        FamilyGroup,
        verbose_name=_("family group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
    )
    opened_at = models.DateTimeField(_("opened"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # stored facts for the statistics (cases.facts), recomputed by the services that change
    # the records they come from: the first custody (else the opening) and first handover
    held_since = models.DateField(_("held since"), null=True, blank=True, editable=False)
    handed_over_at = models.DateTimeField(
        _("handed over at"), null=True, blank=True, editable=False
    )
    # the first blocker of a pending case (workflow.blockers): its requirement code, label
    # and owner in each language (JSON), the day it was evaluated on and the audit event
    # it had seen; evaluated again when a later event changes the case
    blocker_code = models.CharField(max_length=60, blank=True, editable=False)
    blocker_text = models.TextField(blank=True, editable=False)
    blocker_on = models.DateField(null=True, blank=True, editable=False)
    blocker_seq = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["reference"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [models.Index(fields=["home_state", "status"], name="case_state_status")]

    def __str__(self) -> str:
        return self.reference

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(home_state__in=home_states)

    def audit_context(self) -> dict:
        return {"case_id": self.pk, "person_id": self.child_id, "home_state": self.home_state_id}

    @property
    def in_side_state(self) -> bool:
        return self.status in SIDE_STATES

    def clean(self) -> None:
        if self.child_id and self.child.kind != PersonKind.CHILD:
            raise ValidationError({"child": _("A case is opened for a child, not an adult.")})
        if self.status in SIDE_STATES and self.return_status not in MAIN_STATES:
            raise ValidationError(
                {
                    "return_status": _(
                        "A case in a side state must remember the main state to return to."
                    )
                }
            )
        if self.status in MAIN_STATES and self.return_status:
            raise ValidationError(
                {"return_status": _("Only a case in a side state has a state to return to.")}
            )
