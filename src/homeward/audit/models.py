"""The audit trail: one append-only, hash-chained log of every write, read, login and denial.

Each event carries the hash of the one before it (`prev_hash`) and a hash over its own
content and that link. Changing, removing, inserting or reordering any event breaks the
chain, which `homeward audit_verify` recomputes. `AuditHead` remembers the last link so that
cutting events off the end is detected too. Appends take the head row's lock, so two writers
can never both extend the same link (and `prev_hash` is unique as a last line of defence).
"""

import hashlib

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from homeward.core.scoping import ScopedModelMixin, ScopedQuerySet

__all__ = ["GENESIS_HASH", "HASHED_FIELDS", "AuditEvent", "AuditHead", "content_of", "hash_content"]

GENESIS_HASH = "0" * 64

# How the request that caused an event came in (core.middleware / core.context).
CHANNEL_LABELS = {
    "web": _("web"),
    "api": _("API"),
    "cli": _("command line"),
}


class AppendOnlyError(RuntimeError):
    """Raised on any attempt to change or delete an audit event through the ORM."""


class AuditEventQuerySet(ScopedQuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events are never updated.")

    def delete(self):
        raise AppendOnlyError("Audit events are never deleted.")


class AuditEvent(ScopedModelMixin, models.Model):
    """One thing that happened, who did it, to what, and the link to the event before it."""

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True, editable=False)
    occurred_at = models.DateTimeField(_("time"), editable=False, db_index=True)
    actor = models.ForeignKey(
        "accounts.User",
        verbose_name=_("actor"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        editable=False,
    )
    actor_username = models.CharField(_("actor"), max_length=150, editable=False)
    event_type = models.CharField(_("event"), max_length=80, editable=False)
    object_type = models.CharField(_("object type"), max_length=60, blank=True, editable=False)
    object_id = models.CharField(_("object id"), max_length=64, blank=True, editable=False)
    case_id = models.UUIDField(_("case"), null=True, editable=False)
    person_id = models.UUIDField(_("person"), null=True, editable=False)
    home_state = models.CharField(_("home state"), max_length=2, blank=True, editable=False)
    channel = models.CharField(_("channel"), max_length=8, editable=False)
    request_id = models.CharField(_("request id"), max_length=32, blank=True, editable=False)
    ip_address = models.GenericIPAddressField(_("address"), null=True, editable=False)
    data = models.JSONField(_("details"), default=dict, encoder=DjangoJSONEncoder, editable=False)
    prev_hash = models.CharField(max_length=64, unique=True, editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)

    objects = AuditEventQuerySet.as_manager()
    # Reads are scoped by row-level security; inserts are not: every request appends events,
    # some about no home state (a sign-in) and some about records outside the caller's scope
    # (a refused lookup).
    row_security_check_inserts = False

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["person_id", "seq"], name="audit_person_seq"),
            models.Index(fields=["case_id", "seq"], name="audit_case_seq"),
            models.Index(
                fields=["home_state", "event_type", "occurred_at"], name="audit_state_type_time"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.event_type} by {self.actor_username}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit events are never updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events are never deleted.")

    @classmethod
    def scope_filter(cls, home_states) -> Q:
        return Q(home_state__in=home_states)

    def get_channel_display(self) -> str:
        """The channel ("web", "api", "cli") in the reader's language."""
        return str(CHANNEL_LABELS.get(self.channel, self.channel))

    def content(self) -> dict:
        """Everything the hash covers, as plain JSON-able values (`content_of`)."""
        return content_of({name: getattr(self, name) for name in HASHED_FIELDS})

    def compute_hash(self) -> str:
        return hash_content(self.content())


# The canonical form the hash covers: exactly `json.dumps(content, sort_keys=True,
# separators=(",", ":"), ensure_ascii=False, cls=DjangoJSONEncoder)`, with one encoder made
# once instead of one per event (a bulk import hashes hundreds of thousands).
_CANONICAL = DjangoJSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


# The fields the hash covers (by attname), in `content_of`.
HASHED_FIELDS = (
    "seq", "occurred_at", "actor_id", "actor_username", "event_type", "object_type",
    "object_id", "case_id", "person_id", "home_state", "channel", "request_id", "ip_address",
    "data", "prev_hash",
)  # fmt: skip


def content_of(values) -> dict:
    """Everything the hash of an event covers, from its field values by attname (a saved
    event's or a new one's, `audit.services._link`), as plain JSON-able values."""
    content = {name: values[name] for name in HASHED_FIELDS}
    content["occurred_at"] = values["occurred_at"].isoformat()
    content["case_id"] = str(values["case_id"]) if values["case_id"] else None
    content["person_id"] = str(values["person_id"]) if values["person_id"] else None
    return content


def hash_content(content: dict) -> str:
    """The hash of an event whose `AuditEvent.content()` is `content`."""
    return hashlib.sha256(_CANONICAL.encode(content).encode()).hexdigest()


class AuditHead(models.Model):
    """The chain's last link (a single row, pk=1). Its row lock serialises appends."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"head #{self.seq}"
