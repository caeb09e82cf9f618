"""Named reads of the disclosure log."""

from django.db.models import QuerySet

from homeward.disclosures.models import Disclosure

__all__ = ["disclosures_for"]


def disclosures_for(user, *, case=None, adult_case=None) -> QuerySet[Disclosure]:
    """The disclosures `user` may see (optionally of one child's or adult's case), newest first."""
    queryset = (
        Disclosure.objects.for_user(user, "view")
        .select_related("case", "recipient_state", "recorded_by", "approved_by")
        .prefetch_related("documents")
    )
    if adult_case is not None:
        return queryset.filter(adult_case=adult_case)
    return queryset.filter(case=case) if case is not None else queryset
