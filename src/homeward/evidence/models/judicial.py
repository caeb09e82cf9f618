"""Court cases and sentences: for mothers, and for juveniles aged 9 or over (domain.md §2.4 B/C).

A court case belongs to its defendant, not to a case: a mother's trial affects every one of
her children's cases. It is scoped through the defendant (a child through its case, an
adult through a relationship with a visible child), like the people it concerns.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.core.scoping import ScopedModelMixin, ScopedQuerySet
from homeward.crypto.fields import EncryptedJSONField
from homeward.evidence.choices import CourtStage, SentenceStatus, SentenceType
from homeward.evidence.models.base import today
from homeward.people.choices import Jurisdiction

__all__ = ["CourtCase", "Sentence"]


def criminal_responsibility_age() -> int:
    return getattr(settings, "HOMEWARD_CRIMINAL_RESPONSIBILITY_AGE", 9)


class CourtCase(ScopedModelMixin, models.Model):
    """Proceedings against one defendant. Invariant: a child defendant was 9+ at the act."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    defendant = models.ForeignKey(
        "people.Person",
        verbose_name=_("defendant"),
        on_delete=models.PROTECT,
        related_name="court_cases",
    )
    court = models.CharField(_("court"), max_length=160)
    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=8, choices=Jurisdiction.choices, default=Jurisdiction.FEDERAL
    )
    case_number = models.CharField(_("case number"), max_length=60)
    charges = EncryptedJSONField(_("charges"), default=list, blank=True)
    alleged_act_on = models.DateField(_("date of the alleged act"), null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=14, choices=CourtStage.choices)
    verdict_on = models.DateField(_("verdict"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ScopedQuerySet.as_manager()
    capability_model = "people.person"

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("court case")
        verbose_name_plural = _("court cases")
        constraints = [
            models.UniqueConstraint(
                fields=["court", "case_number", "defendant"], name="courtcase_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.court} {self.case_number}"

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        from homeward.people.models import Person

        return Q(defendant__in=Person.objects.filter(Person.scope_filter(home_states)).values("pk"))

    def audit_context(self) -> dict:
        return self.defendant.audit_context()

    @property
    def is_pending(self) -> bool:
        return self.stage in CourtStage.pending()

    def clean(self) -> None:
        errors: dict[str, list] = {}
        defendant = self.defendant if self.defendant_id else None
        if defendant is not None and defendant.is_child:
            age = defendant.age(self.alleged_act_on or today())
            if age is not None and age < criminal_responsibility_age():
                errors.setdefault("defendant", []).append(
                    _("A child below the age of criminal responsibility cannot be a defendant.")
                )
        if self.verdict_on and self.verdict_on > today():
            errors.setdefault("verdict_on", []).append(_("This date cannot be in the future."))
        if self.stage in (CourtStage.CONVICTED, CourtStage.ACQUITTED) and not self.verdict_on:
            errors.setdefault("verdict_on", []).append(_("A verdict has a date."))
        if errors:
            raise ValidationError(errors)


class Sentence(ScopedModelMixin, models.Model):
    """The sentence of a conviction, and whether it is still being served."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    court_case = models.ForeignKey(CourtCase, on_delete=models.PROTECT, related_name="sentences")
    sentence_type = models.CharField(_("sentence"), max_length=8, choices=SentenceType.choices)
    length = models.PositiveIntegerField(_("length"), null=True, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    expected_release_on = models.DateField(_("expected release"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SentenceStatus.choices, default=SentenceStatus.SERVING
    )
    recorded_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedQuerySet.as_manager()
    capability_model = "people.person"

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("sentence")
        verbose_name_plural = _("sentences")

    def __str__(self) -> str:
        return f"{self.get_sentence_type_display()} {self.length or ''}".strip()

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(
            court_case__in=CourtCase.objects.filter(CourtCase.scope_filter(home_states)).values(
                "pk"
            )
        )

    def audit_context(self) -> dict:
        return self.court_case.audit_context()

    @property
    def is_ended(self) -> bool:
        return self.status in SentenceStatus.ended()

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.sentence_type in (SentenceType.YEARS, SentenceType.MONTHS) and not self.length:
            errors.setdefault("length", []).append(_("Give the length of a fixed-term sentence."))
        if self.court_case_id and self.court_case.stage != CourtStage.CONVICTED:
            errors.setdefault("court_case", []).append(_("Only a conviction carries a sentence."))
        if (
            self.started_on
            and self.expected_release_on
            and self.expected_release_on < self.started_on
        ):
            errors.setdefault("expected_release_on", []).append(
                _("Release cannot come before the sentence starts.")
            )
        if errors:
            raise ValidationError(errors)
