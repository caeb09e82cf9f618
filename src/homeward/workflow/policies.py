"""Publishing and reading home states' requirements policies.

`policy_in_force(home_state, on)` is the one question every decision asks: the newest
version whose `effective_from` is on or before the decision date. `DEFAULT_POLICIES` are
sensible starting points drawn from domain.md §1.2 and §2.1; the demo and a fresh install
load them with `install_default_policies`.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max

from homeward.accounts import capabilities as cap
from homeward.audit.services import record_event
from homeward.core.models import HomeState
from homeward.evidence.choices import AssuranceItem
from homeward.workflow import events
from homeward.workflow.models import RULE_FIELDS, RequirementsPolicy

__all__ = [
    "DEFAULT_POLICIES",
    "install_default_policies",
    "policy_in_force",
    "publish_policy",
]

ALL_ITEMS = [item.value for item in AssuranceItem]

# Rule values per home state; missing flags take the model's defaults.
DEFAULT_POLICIES: dict[str, dict] = {
    # Russia: mother-child DNA in Iraq, then a Russian court establishes birth and parentage
    # for a child born abroad; siblings are not separated (S16, S17, S18).
    "RU": {
        "requires_dna_mother_child": True,
        "requires_home_court_decision": True,
        "court_decision_only_if_born_abroad": True,
        "requires_assurances": True,
        "assurance_items": [AssuranceItem.PLACEMENT, AssuranceItem.RIGHTS],
        "notes": "DNA mother-child, then a Russian court decision for children born in Iraq.",
    },
    # Tajikistan: the mother's consent and a fee of US$400 per child (S31, S33).
    "TJ": {
        "requires_mother_consent": True,
        "consent_substitute_allowed": False,
        "requires_fee": True,
        "fee_amount": Decimal("400.00"),
        "fee_currency": "USD",
        "requires_assurances": True,
        "assurance_items": [AssuranceItem.PLACEMENT],
        "notes": "Mother's consent; US$400 per child; state care if relatives refuse.",
    },
    # France: case by case; a best-interests assessment and the mother's consent (S88).
    "FR": {
        "requires_bia": True,
        "requires_mother_consent": True,
        "requires_kinship_dna_abroad": True,
        "assurance_items": ALL_ITEMS,
        "notes": "Case by case since July 2022.",
    },
    # Kazakhstan: DNA with relatives at home; mothers returned with the children (S84, S103).
    "KZ": {
        "requires_kinship_dna_abroad": True,
        "accepts_mothers": True,
        "assurance_items": [AssuranceItem.PLACEMENT, AssuranceItem.RIGHTS],
    },
    # Turkey, Azerbaijan, Georgia: mother-child DNA and documents; mothers sought too.
    "TR": {"requires_dna_mother_child": True, "accepts_mothers": True},
    "AZ": {"requires_dna_mother_child": True, "requires_mother_consent": True},
    "GE": {"requires_dna_mother_child": True, "requires_mother_consent": True},
    "DE": {"requires_bia": True, "requires_mother_consent": True, "assurance_items": ALL_ITEMS},
}


def policy_in_force(home_state, on: datetime.date) -> RequirementsPolicy | None:
    """The version in force for `home_state` on `on`, or None if none was yet published."""
    code = getattr(home_state, "code", home_state)
    return (
        RequirementsPolicy.objects.filter(home_state_id=code, effective_from__lte=on)
        .order_by("-effective_from", "-version")
        .first()
    )


@transaction.atomic(durable=True)
def publish_policy(
    home_state: HomeState, *, actor, reason: str, effective_from: datetime.date, **rules
) -> RequirementsPolicy:
    """Publish the next version of `home_state`'s policy.

    Rules not given are carried over from the newest version (or the model defaults), so a
    change of one rule is one argument. Past decisions keep pointing at the version they
    were taken under. Needs `workflow.publish_policy` (a supervisor); `actor=None` is the
    system installing defaults.
    """
    if actor is not None and not actor.has_capability(cap.PUBLISH_POLICY):
        raise PermissionDenied
    unknown = set(rules) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"not policy rules: {sorted(unknown)}")
    latest = RequirementsPolicy.objects.filter(home_state=home_state).order_by("-version").first()
    carried = latest.rules() if latest else {}
    number = (
        RequirementsPolicy.objects.filter(home_state=home_state).aggregate(n=Max("version"))["n"]
        or 0
    ) + 1
    policy = RequirementsPolicy(
        home_state=home_state,
        version=number,
        effective_from=effective_from,
        reason=reason,
        created_by=actor,
        **{**carried, **rules},
    )
    policy.full_clean()
    policy.save(force_insert=True)
    record_event(
        events.POLICY_PUBLISHED,
        actor=actor,
        target=policy,
        data={
            "version": number,
            "effective_from": effective_from,
            "changed": sorted(key for key in rules if carried.get(key) != rules[key]),
        },
    )
    return policy


def install_default_policies(
    *, actor=None, effective_from: datetime.date = datetime.date(2018, 1, 1)
) -> list[RequirementsPolicy]:
    """Publish DEFAULT_POLICIES as version 1 for each state that has no policy yet."""
    installed = []
    for code, rules in DEFAULT_POLICIES.items():
        if RequirementsPolicy.objects.filter(home_state_id=code).exists():
            continue
        installed.append(
            publish_policy(
                HomeState.objects.get(code=code),
                actor=actor,
                reason="Default policy installed with Homeward",
                effective_from=effective_from,
                **rules,
            )
        )
    return installed
