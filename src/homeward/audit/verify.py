"""Recomputing the audit chain to find the first event that was altered, removed or inserted.

Against signed checkpoints (homeward.audit.checkpoints) it also finds what the chain alone
cannot: a tail cut off together with the head row, and a chain recomputed from some event on.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from homeward.audit.models import GENESIS_HASH, AuditEvent, AuditHead

__all__ = ["ChainBreak", "ChainBrokenError", "verify_chain"]


@dataclass(frozen=True)
class ChainBreak:
    seq: int | None
    reason: str

    def __str__(self) -> str:
        where = f"event #{self.seq}" if self.seq is not None else "chain head"
        return f"{where}: {self.reason}"


class ChainBrokenError(Exception):
    """The chain is broken; carries the first break."""

    def __init__(self, broken: ChainBreak):
        super().__init__(str(broken))
        self.broken = broken


def verify_chain(
    chunk_size: int = 5000,
    *,
    checkpoints: Iterable = (),
    after: tuple[int, str] | None = None,
) -> tuple[int, ChainBreak | None]:
    """Walk the chain in order; return (events checked, first break or None).

    `checkpoints` (objects with `size` and `head_hash`) must each match the event at their
    size, and the chain must reach the largest of them. `after=(seq, hash)` starts the walk
    after a trusted point (a verified checkpoint) instead of at the first event.
    """
    start_seq, start_hash = after or (0, GENESIS_HASH)
    expected_seq, expected_prev, checked = start_seq + 1, start_hash, 0
    signed: dict[int, set[str]] = {}
    for checkpoint in checkpoints:
        signed.setdefault(checkpoint.size, set()).add(checkpoint.head_hash)
    events = (
        AuditEvent.objects.filter(seq__gt=start_seq).order_by("seq").iterator(chunk_size=chunk_size)
    )
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
        if event.seq in signed and signed[event.seq] != {event.hash}:
            return checked, ChainBreak(
                event.seq, "differs from the signed checkpoint at it (chain rewritten)"
            )
        expected_prev, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    last = expected_seq - 1
    head = AuditHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    if after and (head_seq, head_hash) != (last, expected_prev):
        return checked, ChainBreak(
            None, f"the head does not extend the signed checkpoint at #{start_seq}"
        )
    if head_seq != last or head_hash != expected_prev:
        return checked, ChainBreak(
            None,
            f"head says #{head_seq} but the chain ends at #{last} (events removed from the end)",
        )
    if 0 in signed and signed[0] != {GENESIS_HASH}:
        return checked, ChainBreak(None, "a signed checkpoint of the empty chain does not match")
    furthest = max(signed, default=0)
    if furthest > last:
        return checked, ChainBreak(
            None,
            f"a signed checkpoint covers #{furthest} but the chain ends at #{last} "
            "(events removed from the end)",
        )
    return checked, None
