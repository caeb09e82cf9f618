"""The disclosure (sharing) log: every time a child's data left the system for an outside body.

One row per disclosure: what (categories and documents), to whom (kind, and the agency or
body by name; an embassy also by state), on which legal basis, who recorded it and who
approved it (a different user holding `disclosures.approve_disclosure`), and when. Rows are
written only by `disclosures.services.record_disclosure` and never changed or deleted: the
log answers "who was told what about this child" for the child, the auditor and a court.
Scope follows the case: whoever may not see the child does not see that it was shared.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from homeward.core.scoping import ScopedModelMixin, ScopedQuerySet
from homeward.disclosures.choices import DataCategory, LegalBasis, RecipientKind

__all__ = ["Disclosure"]


class Disclosure(ScopedModelMixin, models.Model):
    """One disclosure of one child's data. Invariant: approver ≠ recorder; categories known."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="disclosures",
        null=True,
        blank=True,
    )
    # An adult's data (a mother's verdict sent to her state) is logged on her adult case.
    adult_case = models.ForeignKey(
        "adults.AdultCase",
        verbose_name=_("adult case"),
        on_delete=models.PROTECT,
        related_name="disclosures",
        null=True,
        blank=True,
    )
    recipient_kind = models.CharField(
        _("kind of recipient"), max_length=16, choices=RecipientKind.choices
    )
    recipient_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("recipient agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("When the recipient is an agency known to Homeward."),
    )
    recipient = models.CharField(_("recipient"), max_length=200)
    recipient_state = models.ForeignKey(
        "core.HomeState",
        verbose_name=_("recipient's state"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    categories = models.JSONField(_("categories of data"), default=list)
    documents = models.ManyToManyField(
        "attachments.Attachment",
        verbose_name=_("documents"),
        blank=True,
        related_name="disclosures",
    )
    purpose = models.TextField(_("purpose"), max_length=2000)
    legal_basis = models.CharField(_("legal basis"), max_length=16, choices=LegalBasis.choices)
    legal_reference = models.CharField(
        _("reference of the legal basis"),
        max_length=200,
        blank=True,
        help_text=_("The consent form, court order or law relied on."),
    )
    disclosed_on = models.DateField(_("disclosed on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-disclosed_on", "-created_at"]
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        constraints = [
            models.CheckConstraint(
                condition=~Q(approved_by=models.F("recorded_by")),
                name="disclosure_approver_is_not_recorder",
            ),
            models.CheckConstraint(
                condition=Q(case__isnull=True, adult_case__isnull=False)
                | Q(case__isnull=False, adult_case__isnull=True),
                name="disclosure_about_one_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_recipient_kind_display()}: {self.recipient}"

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(case__home_state__in=home_states) | Q(adult_case__home_state__in=home_states)

    def audit_context(self) -> dict:
        if self.case_id is None:
            return self.adult_case.audit_context()
        return {
            "case_id": self.case_id,
            "person_id": self.case.child_id,
            "home_state": self.case.home_state_id,
        }

    @property
    def subject_case(self):
        """The child's case or the adult case whose data was disclosed."""
        return self.case if self.case_id else self.adult_case

    @property
    def category_labels(self) -> list[str]:
        labels = dict(DataCategory.choices)
        return [str(labels.get(code, code)) for code in self.categories]

    def clean(self):
        errors = {}
        unknown = sorted(set(self.categories) - set(DataCategory.values))
        if not self.categories:
            errors["categories"] = _("Say which categories of data were disclosed.")
        elif unknown:
            errors["categories"] = _("Unknown categories: %(codes)s.") % {
                "codes": ", ".join(unknown)
            }
        if self.approved_by_id and self.approved_by_id == self.recorded_by_id:
            errors["approved_by"] = _("A disclosure is approved by someone else than its recorder.")
        if self.recipient_kind == RecipientKind.EMBASSY and not self.recipient_state_id:
            errors["recipient_state"] = _("Say which state's embassy received the data.")
        if errors:
            raise ValidationError(errors)
