"""Audit event codes of the matching app (app.model.past_tense_verb)."""

CANDIDATES_LISTED = "matching.candidate.listed"
REGISTRY_LINKED = "matching.registry.linked"
