"""Recomputing the audit chain to find the first event that was altered, removed or inserted."""

from dataclasses import dataclass

from homeward.audit.models import GENESIS_HASH, AuditEvent, AuditHead

__all__ = ["ChainBreak", "verify_chain"]


@dataclass(frozen=True)
class ChainBreak:
    seq: int | None
    reason: str

    def __str__(self) -> str:
        where = f"event #{self.seq}" if self.seq is not None else "chain head"
        return f"{where}: {self.reason}"


def verify_chain(chunk_size: int = 5000) -> tuple[int, ChainBreak | None]:
    """Walk the chain in order; return (events checked, first break or None)."""
    expected_seq, expected_prev, checked = 1, GENESIS_HASH, 0
    events = AuditEvent.objects.order_by("seq").iterator(chunk_size=chunk_size)
    for event in events:
        if event.seq != expected_seq:
            kind = "missing before it (removed)" if event.seq > expected_seq else "out of order"
            return checked, ChainBreak(event.seq, f"expected #{expected_seq}; events are {kind}")
        if event.prev_hash != expected_prev:
            return checked, ChainBreak(
                event.seq, "does not link to the event before it (inserted or reordered)"
            )
        if event.compute_hash() != event.hash:
            return checked, ChainBreak(event.seq, "content does not match its hash (altered)")
        expected_prev, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    head = AuditHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    if head_seq != checked or head_hash != expected_prev:
        return checked, ChainBreak(
            None,
            f"head says #{head_seq} but the chain ends at #{checked} (events removed from the end)",
        )
    return checked, None
