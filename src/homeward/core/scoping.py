"""Central record scoping: which rows a user may see or touch.

Access has two axes. A *capability* ("people.view_person") says what a user may do; a
*scope* says which home states' records they may do it to: all of them (None) or a set of
ISO codes. Every scoped model's default manager is a ScopedQuerySet, and views and API
viewsets call `.for_user(user, action)` once, in their base classes. Rows out of scope
simply are not there, so the caller answers 404 exactly as for a missing row.
"""

from collections.abc import Iterable

from django.db import models
from django.db.models import Q

__all__ = ["ScopedModelMixin", "ScopedQuerySet", "capability_for", "home_state_scope"]


def home_state_scope(user) -> frozenset[str] | None:
    """The ISO codes `user` may see, or None for every home state."""
    if user is None or not user.is_authenticated:
        return frozenset()
    if user.is_superuser:
        return None
    return user.home_state_scope()


def capability_for(model: type[models.Model], action: str) -> str:
    """The capability code for `action` on `model`, e.g. "people.view_person"."""
    target = getattr(model, "capability_model", None) or model._meta.label_lower
    app_label, model_name = target.split(".")
    return f"{app_label}.{action}_{model_name}"


class ScopedQuerySet(models.QuerySet):
    """A queryset that narrows itself to what a user may see (NetBox's RestrictedQuerySet)."""

    def for_user(self, user, action: str = "view") -> "ScopedQuerySet":
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        if not user.has_capability(capability_for(self.model, action)):
            return self.none()
        scope = user.home_state_scope()
        if scope is None:
            return self.all()
        return self.filter(self.model.scope_filter(scope))


class ScopedModelMixin:
    """Declares how a model's rows map to home states.

    `capability_model` ("app_label.model") names whose capabilities govern the model: a
    child's names and custody episodes are governed by `people.person`. `scope_filter`
    returns the Q that keeps rows belonging to the given home states; unscoped reference
    data returns Q() (everything), relying on capabilities alone.
    """

    capability_model: str | None = None

    @classmethod
    def scope_filter(cls, home_states: Iterable[str]) -> Q:
        raise NotImplementedError(f"{cls.__name__} must say how it maps to home states")
