"""Disclosure rows for the scope matrix and the scope tests."""

from homeward.disclosures.models import Disclosure
from homeward.disclosures.services import record_disclosure


def disclosure_pairs(users, registry) -> dict:
    """Disclosure -> (one about the Russian child, one about the Tajik child)."""
    made = [
        record_disclosure(
            registry[key].case,
            actor=users["mfa.officer"],
            approved_by=users["admin"],
            recipient_kind="un_agency",
            recipient="UNHCR Baghdad",
            legal_basis="vital_interest",
            categories=["identity", "custody"],
            purpose="Resettlement check",
        )
        for key in ("ru_child", "tj_child")
    ]
    return {Disclosure: tuple(made)}
