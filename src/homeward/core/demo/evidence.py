"""Write the evidence of the waiting children through the evidence and workflow services.

Driven by the gate engine itself: for a case at stage S, every requirement of every gate up
to S is fulfilled with the service that fulfils it (claims and notes verbales, the home
state's acknowledgement and confirmation, DNA samples and comparisons, guardians and their
vetting, assurances per sibling group, consents, BIAs, clearances, travel documents, exit
authorisations), dated before the case reached S. The next gate is part-way: some items
done, some under way (a clearance requested 20–120 days ago, a guardian proposed and not
yet vetted, samples taken and not yet compared), the rest not started, so every desk has
work of realistic age.

Statuses come from the plan through `record_historical_status` (the services move a case
"now", while the demo needs the years-long history of a real caseload; the gate engine
reads a case's waiting time from that recorded date). Two showcase outcomes are real
transitions instead: a DNA exclusion moves its case to NATIONALITY_DISPUTED inside
`record_dna_comparison`, and a death is `mark_deceased` after its incident.
"""

import datetime
import random
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils import timezone

from homeward.accounts.models import User
from homeward.cases.choices import MAIN_STATES, CaseStatus
from homeward.cases.models import Case
from homeward.core.demo import tracks as t
from homeward.evidence import services as ev
from homeward.evidence.models import DNASample, NationalityClaim
from homeward.people.choices import RelationshipType
from homeward.people.models import Person, Relationship
from homeward.workflow import services as wf
from homeward.workflow.gates import requirements_for
from homeward.workflow.policies import install_default_policies, policy_in_force

__all__ = ["EvidenceWriter"]

DAY = datetime.timedelta(days=1)
DECIDERS = {
    "judicial": "hjc.judge",
    "security": "security.liaison",
    "medical": "moj.registrar",
    "ministry": "mfa.supervisor",
    "fee": "mfa.officer",
}
LAB_NAME = "MoH Forensic DNA Laboratory, Baghdad"


def _noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


class CaseContext:
    """What the writer knows about one case while it writes its evidence."""

    def __init__(self, writer: "EvidenceWriter", track: t.TrackPlan, person: Person):
        self.writer, self.track, self.person = writer, track, person
        self.rng = random.Random(track.seed)
        self.case = Case.objects.select_related("home_state", "child").get(child=person)
        self.code = self.case.home_state_id
        self.consul = writer.users.get(f"consul.{self.code.lower()}")
        self.mother = (
            Relationship.objects.filter(person=person, relationship_type=RelationshipType.MOTHER)
            .select_related("relative")
            .first()
        )
        self.mother = self.mother.relative if self.mother else None
        status_at = self.case.status_changed_at or timezone.now()
        self.reached = min(timezone.localdate(status_at), writer.today - 14 * DAY)

    def user(self, name: str) -> User:
        return self.writer.users[name]

    def day_for(self, gate: str) -> datetime.date:
        """Evidence of an earlier gate is dated before the case reached its stage."""
        stage = MAIN_STATES.index(self.track.stage)
        back = (stage - MAIN_STATES.index(gate) + 1) * 25
        return self.reached - back * DAY

    def recent(self, low: int = 5, high: int = 120) -> datetime.date:
        """A day after the case reached its stage, `low`–`high` days ago."""
        days = self.rng.randint(low, high)
        return max(self.writer.today - days * DAY, self.reached)

    def fresh(self) -> Case:
        self.case = Case.objects.select_related("home_state", "child").get(pk=self.case.pk)
        return self.case


class EvidenceWriter:
    """Writes the tracks of `plan_tracks` for the people a PlanWriter registered."""

    def __init__(self, plan, users: Mapping[str, User], people: Mapping[str, Person]):
        self.plan, self.users, self.people = plan, users, people
        self.today = timezone.localdate()
        self.tracks, self.courts = t.plan_tracks(plan)
        self.deferred = {track.child: track for track in self.tracks if track.deferred}

    def write(self) -> dict[str, int]:
        install_default_policies()
        for court in self.courts:
            self.write_court(court)
        for track in self.tracks:
            self.write_track(track)
        return {"tracks": len(self.tracks), "court_cases": len(self.courts)}

    # -- one case --------------------------------------------------------------------------

    def write_track(self, track: t.TrackPlan) -> None:
        ctx = CaseContext(self, track, self.people[track.child])
        if ctx.consul is None:
            return
        for gate in t.gates_up_to(track.stage):
            for requirement in requirements_for(ctx.case, target=gate):
                if not requirement.is_met:
                    self.fulfil(ctx, requirement.code, gate, complete=True)
        self.next_gate(ctx)
        if t.HOSPITALISED in track.variants:
            ev.record_incident(
                ctx.case,
                actor=ctx.user("moj.registrar"),
                incident_type="hospitalisation",
                occurred_on=ctx.recent(30, 300),
                description="Admitted to the Medical City hospital for pneumonia; discharged.",
                reported_to=["MFA Legal Directorate", "UNICEF Iraq"],
            )
        if t.DNA_EXCLUDED in track.variants:
            self.exclude_by_dna(ctx)
        if t.DIED in track.variants:
            self.died(ctx)

    def next_gate(self, ctx: CaseContext) -> None:
        index = MAIN_STATES.index(ctx.track.stage)
        if ctx.track.stage == CaseStatus.CLOSED or index + 1 >= len(MAIN_STATES):
            return
        gate = MAIN_STATES[index + 1]
        for requirement in requirements_for(ctx.case, target=gate):
            if requirement.is_met:
                continue
            roll = ctx.rng.random()
            forced = self.forced(ctx, requirement.code)
            if (
                t.CLEARANCE_EXPIRED in ctx.track.variants
                and requirement.code == "clearance.medical"
            ):
                continue
            if forced is not None:
                self.fulfil(ctx, requirement.code, gate, complete=forced, current=True)
            elif roll < ctx.track.progress:
                self.fulfil(ctx, requirement.code, gate, complete=True, current=True)
            elif roll < ctx.track.progress + (1 - ctx.track.progress) * ctx.track.started:
                self.fulfil(ctx, requirement.code, gate, complete=False, current=True)

    def forced(self, ctx: CaseContext, code: str) -> bool | None:
        """Showcase situations decide some items: True done, False under way."""
        variants = ctx.track.variants
        if t.CLEARANCE_EXPIRED in variants and code == "clearance.medical":
            return None  # left expired: the renewal is the officer's to request
        if t.CONSENT_REFUSED in variants and code == "care.consent":
            return False
        if t.DOCUMENT_EXPIRING in variants and code == "logistics.travel_document":
            return True
        return None

    # -- fulfilling one requirement --------------------------------------------------------

    def fulfil(self, ctx, code: str, gate: str, *, complete: bool, current=False) -> None:
        day = ctx.recent() if current else ctx.day_for(gate)
        handler = getattr(self, "do_" + code.replace(".", "_"), None)
        if handler is not None:
            handler(ctx, day, complete)

    def claim(self, ctx) -> NationalityClaim | None:
        return (
            NationalityClaim.objects.filter(case=ctx.case, claimed_state_id=ctx.code)
            .order_by("recorded_at")
            .first()
        )

    def do_profile_child_sample(self, ctx, day, complete):
        self.sample(ctx, ctx.person, day)

    def do_profile_mother_sample(self, ctx, day, complete):
        if ctx.mother is not None:
            self.sample(ctx, ctx.mother, day)

    def sample(self, ctx, donor, day) -> DNASample:
        found = DNASample.objects.filter(case=ctx.case, donor=donor).first()
        if found:
            return found
        return ev.record_dna_sample(
            ctx.case,
            actor=ctx.user("moh.lab"),
            donor=donor,
            sample_type="buccal_swab" if donor.is_child else "blood",
            collected_on=day,
            collected_by="MoH mobile team, Rusafa",
            consent_reference=f"MOH-C-{ctx.case.reference}",
        )

    def do_nationality_claim(self, ctx, day, complete):
        if self.claim(ctx) is None:
            ev.record_nationality_claim(
                ctx.case,
                actor=ctx.user("mfa.officer"),
                claimed_state=ctx.case.home_state,
                basis="mother_national" if ctx.mother else "document",
                claimed_by="mother" if ctx.mother else "iraq",
                notified_on=day,
                notification_reference=f"NV-{day:%Y}-{ctx.case.reference[-4:]}",
            )

    do_nationality_notified = do_nationality_claim

    def do_nationality_acknowledged(self, ctx, day, complete):
        claim = self.claim(ctx)
        if claim is None or claim.acknowledged_on or not complete:
            return
        acknowledged = max(day, claim.notified_on + 7 * DAY)
        ev.acknowledge_claim(
            claim,
            actor=ctx.consul,
            acknowledged_on=acknowledged,
            focal_point=f"Consul, Embassy ({ctx.code})",
            consular_access_on=min(acknowledged + 10 * DAY, self.today),
        )

    def do_nationality_consular_access(self, ctx, day, complete):
        self.do_nationality_acknowledged(ctx, day, complete)

    def do_nationality_confirmation(self, ctx, day, complete):
        if not complete:
            return
        claim = self.claim(ctx)
        if claim is None or claim.status == "confirmed":
            return
        court = any(
            r.code == "nationality.home_court_decision"
            for r in requirements_for(ctx.case, target=CaseStatus.NATIONALITY_CONFIRMED)
        )
        ev.record_home_state_determination(
            claim,
            actor=ctx.consul,
            decision="recognised",
            instrument_type="court_decision" if court else "citizenship_certificate",
            instrument_reference=f"{ctx.code}-{day:%Y}-{ctx.case.reference[-4:]}",
            decided_on=day,
            authority="District court" if court else "Ministry of Internal Affairs",
        )

    do_nationality_home_court_decision = do_nationality_confirmation

    def do_dna_mother_child(self, ctx, day, complete):
        if ctx.mother is None:
            return
        samples = [
            self.sample(ctx, ctx.person, day - 30 * DAY),
            self.sample(ctx, ctx.mother, day - 30 * DAY),
        ]
        if complete:
            self.compare(ctx, "mother_child", samples, day, "supported")

    def do_dna_kinship_abroad(self, ctx, day, complete):
        relative = (
            Relationship.objects.filter(person=ctx.person)
            .exclude(relationship_type=RelationshipType.MOTHER)
            .filter(relative__kind="adult")
            .select_related("relative")
            .first()
        )
        child_sample = self.sample(ctx, ctx.person, day - 40 * DAY)
        if relative is None or not complete:
            return
        samples = [child_sample, self.sample(ctx, relative.relative, day - 40 * DAY)]
        self.compare(ctx, "kinship_abroad", samples, day, "supported")

    def compare(self, ctx, hypothesis, samples, day, conclusion):
        return ev.record_dna_comparison(
            ctx.case,
            actor=ctx.user("moh.lab"),
            hypothesis=hypothesis,
            samples=samples,
            lab=LAB_NAME,
            method="autosomal_str",
            reported_on=day,
            conclusion=conclusion,
            statistic_kind="likelihood_ratio",
            statistic=3.1e8 if conclusion == "supported" else 0.0,
            report_reference=f"DNA-{ctx.case.reference[-4:]}-{hypothesis[:2].upper()}",
        )

    def do_care_guardian(self, ctx, day, complete):
        from homeward.evidence.models import GuardianCandidate

        candidate = GuardianCandidate.objects.filter(case=ctx.case).first()
        if candidate is None:
            candidate = ev.propose_guardian(
                ctx.case,
                actor=ctx.consul,
                relationship_to_child="state institution",
                institution="Regional child-welfare centre",
                address_region="Home region",
                at=_noon(day - 20 * DAY) if complete else _noon(day),
            )
        if complete and candidate.vetting == "pending":
            ev.record_guardian_vetting(
                candidate,
                actor=ctx.consul,
                decision="approved",
                authority="Guardianship authority",
                vetted_on=day,
            )

    def do_care_assurances(self, ctx, day, complete):
        if not complete:
            return
        policy = policy_in_force(ctx.code, day)
        items = list((policy.assurance_items if policy else None) or ["placement", "rights"])
        group = [case for case in self.siblings(ctx) if case.home_state_id == ctx.code]
        ev.record_assurance(
            ctx.case,
            actor=ctx.consul,
            reference=f"NV-{ctx.code}-{day:%Y}-{ctx.case.reference[-4:]}",
            dated=day,
            items=items,
            covered_cases=group,
        )

    def siblings(self, ctx) -> list[Case]:
        if not ctx.case.family_group_id:
            return []
        return list(
            Case.objects.filter(family_group_id=ctx.case.family_group_id).exclude(pk=ctx.case.pk)
        )

    def do_care_consent(self, ctx, day, complete):
        if ctx.mother is None:
            return
        ev.record_consent(
            ctx.case,
            actor=ctx.user("mfa.officer"),
            giver=ctx.mother,
            decision="given" if complete else "refused",
            scope="repatriation",
            decided_on=day,
            covered_cases=self.siblings(ctx),
            language=ctx.mother.languages[0] if ctx.mother.languages else "",
            interpreter="Court interpreter",
            witnesses=["Prison social worker", "UNICEF officer"],
        )

    def do_care_bia(self, ctx, day, complete):
        if complete:
            ev.record_bia(
                ctx.case,
                actor=ctx.user("unicef.officer"),
                kind="bia",
                trigger="unaccompanied" if ctx.person.unaccompanied else "routine",
                assessor="UNICEF Iraq",
                recommendation="return",
                assessed_on=day,
            )

    def do_care_bid(self, ctx, day, complete):
        if complete:
            ev.record_bia(
                ctx.case,
                actor=ctx.user("unicef.officer"),
                kind="bid",
                trigger="separation_from_mother",
                assessor="UNICEF Iraq",
                recommendation="return",
                assessed_on=day,
                panel_members=["UNICEF", "MOLSA", "Juvenile court"],
                separation_from_mother_ok=True,
            )

    def clearance(self, ctx, kind, day, complete, *, expired=False):
        if expired:  # approved 188 days ago, valid for six months: expired 10 days ago
            requested = _noon(self.today - 200 * DAY)
        elif complete:
            requested = _noon(day - 30 * DAY)
        else:
            requested = _noon(ctx.recent(20, 120))
        clearance = ev.request_clearance(
            ctx.case, actor=ctx.user("mfa.officer"), clearance_type=kind, at=requested
        )
        if not complete:
            return
        ev.decide_clearance(
            clearance,
            actor=ctx.user(DECIDERS[kind]),
            approve=True,
            reference=f"{kind[:3].upper()}-{ctx.case.reference[-4:]}",
            assessment="No adverse information on record." if kind == "security" else "",
            expires_at=_noon(self.today - 10 * DAY) if expired else None,
            at=min(requested + 12 * DAY, timezone.now()),
        )

    def do_clearance_judicial(self, ctx, day, complete):
        self.clearance(ctx, "judicial", day, complete)

    def do_clearance_security(self, ctx, day, complete):
        self.clearance(ctx, "security", day, complete)

    def do_clearance_medical(self, ctx, day, complete):
        expired = complete and t.CLEARANCE_EXPIRED in ctx.track.variants
        self.clearance(ctx, "medical", day, complete, expired=expired)

    def do_clearance_ministry(self, ctx, day, complete):
        self.clearance(ctx, "ministry", day, complete)

    def do_clearance_fee(self, ctx, day, complete):
        self.clearance(ctx, "fee", day, complete)

    def do_logistics_travel_document(self, ctx, day, complete):
        if not complete:
            return
        expiring = t.DOCUMENT_EXPIRING in ctx.track.variants
        ev.record_travel_document(
            ctx.case,
            actor=ctx.consul,
            document_type="certificate_of_return",
            number=f"{ctx.code}{ctx.case.reference[-4:]}",
            issued_by=f"Embassy ({ctx.code})",
            issued_on=day - 150 * DAY if expiring else day,
            valid_until=self.today + 21 * DAY if expiring else day + 365 * DAY,
        )

    def do_logistics_exit_authorization(self, ctx, day, complete):
        if complete:
            ev.record_exit_authorization(
                ctx.case,
                actor=ctx.user("moi.residency"),
                reference=f"MOI-EX-{ctx.case.reference[-4:]}",
                judicial_decision_reference=f"HJC-{day:%Y}-{ctx.case.reference[-4:]}",
                authorised_on=day,
            )

    # -- showcase outcomes -----------------------------------------------------------------

    def exclude_by_dna(self, ctx) -> None:
        """The lab excludes the claimed mother: the case moves to NATIONALITY_DISPUTED."""
        day = ctx.recent(20, 60)
        samples = [
            self.sample(ctx, ctx.person, day - 30 * DAY),
            self.sample(ctx, ctx.mother, day - 30 * DAY),
        ]
        self.compare(ctx, "mother_child", samples, day, "excluded")

    def died(self, ctx) -> None:
        day = ctx.reached
        ev.record_incident(
            ctx.case,
            actor=ctx.user("moj.registrar"),
            incident_type="death",
            occurred_on=day,
            description="Died in the Medical City hospital after a long illness.",
            reported_to=["MFA Legal Directorate", f"Embassy ({ctx.code})", "UNICEF Iraq"],
        )
        case = ctx.fresh()
        wf.mark_deceased(
            case,
            actor=ctx.user("mfa.officer"),
            expected_version=case.version,
            reason="Died in hospital; death certificate from the Medical City.",
        )

    # -- court cases -----------------------------------------------------------------------

    def write_court(self, court: t.CourtPlan) -> None:
        person = self.people[court.defendant]
        registrar = self.users["moj.registrar"]
        stage = "convicted" if court.serving else ("charged" if court.juvenile else "on_trial")
        verdict = court.alleged_act_on + 300 * DAY if court.serving else None
        try:
            court_case = ev.record_court_case(
                person,
                actor=registrar,
                court="Juvenile Court, Baghdad"
                if court.juvenile
                else "Central Criminal Court of Iraq",
                case_number=f"{court.alleged_act_on:%Y}/J{court.defendant[1:]}"
                if court.juvenile
                else f"{court.alleged_act_on:%Y}/T{court.defendant[1:]}",
                stage=stage,
                charges=["Anti-Terrorism Law No. 13 of 2005, art. 4"],
                alleged_act_on=court.alleged_act_on,
                verdict_on=verdict,
            )
        except ValidationError:
            return  # an estimated birth date puts the child under 9 at the act: no case
        if not court.serving:
            return
        kind, length = {
            "sentenced_life": ("life", None),
            "sentenced_death": ("death", None),
        }.get(court.legal_status, ("years", 5 if court.juvenile else 15))
        ev.record_sentence(
            court_case,
            actor=registrar,
            sentence_type=kind,
            length=length,
            started_on=verdict,
            expected_release_on=verdict + (length or 0) * 365 * DAY if length else None,
        )
