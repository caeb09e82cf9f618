"""The data classification registry (ASVS 14.1.1): which fields are sealed, and why.

Tier S (special category) and the Tier P identifiers listed here are sealed at rest
(`homeward.crypto.fields`); a test checks that every field named here is a sealed field and
that no sealed field is missing from it. Reading them stays gated by capabilities: DNA and
security assessments by their own sealed tables' grants, criminal records and health notes by
`evidence.view_criminal_record` and `evidence.view_health`.

Plaintext by design (security.md §4.2): names and aliases (fuzzy, transliterated matching
needs them; a blind index on names would leak by frequency), nationality and home state (scope
and RLS), facility, birth date/year, sex, case status, and the links between records (foreign
keys carry integrity). They are protected by scope, capabilities, audit and disk encryption.
"""

from django.apps import apps

__all__ = ["BLIND_INDEXED", "CLASSIFICATION", "PLAINTEXT_BY_DESIGN", "sealed_fields"]

# category -> {model label: sealed field names}
CLASSIFICATION: dict[str, dict[str, tuple[str, ...]]] = {
    "S.dna": {"evidence.DNAResult": ("conclusion", "statistic", "report_reference")},
    "S.security": {"evidence.SecurityAssessment": ("assessment", "conditions")},
    "S.criminal": {"evidence.CourtCase": ("charges",)},
    # Clearance conditions and comments: for a medical clearance these are the health notes.
    # Incidents record deaths, illness and injuries.
    "S.health": {
        "evidence.Clearance": ("conditions", "comments"),
        "evidence.Incident": ("description",),
    },
    "S.best_interests": {
        "evidence.BestInterestsAssessment": ("factors_considered", "child_views"),
    },
    "P.document_number": {"evidence.TravelDocument": ("number",)},
    # Not personal data, but a credential: whoever holds it can forge deliveries.
    "K.webhook_secret": {"webhooks.WebhookSubscription": ("secret",)},
    # A stored answer to an API create, replayed on a retry: it may carry a secret shown once
    # (a webhook subscription's) and whatever personal data the created record holds.
    "K.idempotent_response": {"core.IdempotencyKey": ("response_body",)},
}

# Exact-match lookups on high-entropy identifiers only.
BLIND_INDEXED: dict[str, tuple[str, ...]] = {"evidence.TravelDocument": ("number",)}

PLAINTEXT_BY_DESIGN = (
    "people.PersonName (all name parts): fuzzy cross-script matching",
    "people.Person.date_of_birth, sex, place_of_birth_locality: quasi-identifiers for search",
    "cases.Case.home_state, status: scope and RLS",
    "people.Facility, custody episodes: operations",
)


def sealed_fields():
    """(model, [fields]) for every model holding sealed fields, from the registry."""
    grouped: dict[str, list[str]] = {}
    for entries in CLASSIFICATION.values():
        for label, names in entries.items():
            grouped.setdefault(label, []).extend(names)
    return [
        (model, [model._meta.get_field(name) for name in names])
        for label, names in grouped.items()
        for model in [apps.get_model(label)]
    ]
