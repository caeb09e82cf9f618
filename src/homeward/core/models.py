"""Reference data shared by every app."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from homeward.core.countries import localized_country_name
from homeward.core.scoping import ScopedModelMixin, ScopedQuerySet
from homeward.crypto.fields import EncryptedTextField

__all__ = ["HomeState"]


class HomeState(ScopedModelMixin, models.Model):
    """A country as a counterpart: every ISO 3166-1 country, loaded from pycountry.

    The primary key is the alpha-2 code, so a case's `home_state_id` reads "RU" in the
    database, the API and the audit trail. Profile and policy fields arrive with the
    diplomacy and workflow apps; this table only guarantees that a code is a real country.
    """

    code = models.CharField(_("ISO code"), max_length=2, primary_key=True)
    alpha_3 = models.CharField(_("ISO alpha-3"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100)

    objects = ScopedQuerySet.as_manager()
    capability_model = "core.homestate"
    # Public reference data (the ISO list) that every table's foreign keys join to: the ORM
    # narrows which profiles a user lists, but the database does not hide country names.
    row_security = False

    class Meta:
        ordering = ["name"]
        verbose_name = _("home state")
        verbose_name_plural = _("home states")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return localized_country_name(self.code, self.name)

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(code__in=home_states)


class IdempotencyKey(models.Model):
    """A create's `Idempotency-Key`, per user and route, with the answer it got.

    A retry with the same key and the same body gets the stored answer again (nothing is
    written twice); the same key with another body is refused (422). Only successful answers
    are kept: after an error the key may be used again. Rows older than a day are ignored.

    The stored answer is sealed (`homeward.crypto`, bound to this row): it may hold a
    credential shown once, such as a new webhook subscription's signing secret. It is null
    while the request runs (the row's pk, its sealing identity, exists only after the INSERT).
    """

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    key = models.CharField(_("key"), max_length=255)
    method = models.CharField(_("method"), max_length=8)
    path = models.CharField(_("path"), max_length=500)
    request_hash = models.CharField(_("request hash"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    response_body = EncryptedTextField(_("response body"), null=True, blank=True)
    response_headers = models.JSONField(_("response headers"), default=dict)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key", "method", "path"], name="idempotency_key_once_per_route"
            )
        ]

    def __str__(self) -> str:
        return self.key
