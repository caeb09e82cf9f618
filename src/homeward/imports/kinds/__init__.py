"""The kinds of data a file can bring in, by code.

One module per kind; to add one, write `kinds/<code>.py` with a `Kind` subclass and add it
to KINDS below — the reader, dry run, commit, CLI, pages and templates pick it up from here.
"""

from homeward.imports.kinds.base import Column, Context, Kind, RowResult
from homeward.imports.kinds.children import ChildrenKind
from homeward.imports.kinds.custody import CustodyKind
from homeward.imports.kinds.dna_results import DNAResultsKind
from homeward.imports.kinds.home_state_replies import HomeStateRepliesKind
from homeward.imports.kinds.primero_cases import PrimeroCasesKind
from homeward.imports.kinds.tracing_requests import TracingRequestsKind

__all__ = ["KINDS", "Column", "Context", "Kind", "RowResult", "importable_kinds"]

KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in (
        ChildrenKind(),
        CustodyKind(),
        DNAResultsKind(),
        HomeStateRepliesKind(),
        PrimeroCasesKind(),
        TracingRequestsKind(),
    )
}


def importable_kinds(user) -> list[Kind]:
    """The kinds `user` may import: a mission only its own state's replies."""
    mission = getattr(getattr(user, "agency", None), "is_mission", False)
    return [
        kind
        for kind in KINDS.values()
        if kind.may_import(user) and (kind.mission_kind or not mission)
    ]
