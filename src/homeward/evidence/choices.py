"""Enumerations of the evidence tracks (domain.md §2.4, §3.2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from homeward.accounts import capabilities as cap


class ClaimBasis(models.TextChoices):
    MOTHER_NATIONAL = "mother_national", _("Mother is a national")
    FATHER_NATIONAL = "father_national", _("Father is a national")
    BORN_IN_STATE = "born_in_state", _("Born in the state")
    DOCUMENT = "document", _("Document")
    SELF_DECLARED = "self_declared", _("Self-declared")
    RELATIVE_APPLICATION = "relative_application", _("Relative's application")


class ClaimedBy(models.TextChoices):
    MOTHER = "mother", _("Mother")
    RELATIVE = "relative", _("Relative")
    HOME_STATE = "home_state", _("Home state")
    IRAQ = "iraq", _("Iraqi authorities")
    CHILD = "child", _("The child")


class ClaimStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("nationality claim status", "Open")
    CONFIRMED = "confirmed", _("Confirmed by the home state")
    REJECTED = "rejected", _("Rejected by the home state")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DeterminationDecision(models.TextChoices):
    RECOGNISED = "recognised", _("Recognised as a national")
    NOT_RECOGNISED = "not_recognised", _("Not recognised")
    PENDING_COURT = "pending_court", _("Pending a home-state court decision")


class InstrumentType(models.TextChoices):
    NOTE_VERBALE = "note_verbale", _("Note verbale")
    COURT_DECISION = "court_decision", _("Home-state court decision (birth and parentage)")
    CITIZENSHIP_CERTIFICATE = "citizenship_certificate", _("Citizenship certificate")
    PASSPORT = "passport", _("Passport issued")


class SampleType(models.TextChoices):
    BLOOD = "blood", _("Blood")
    BUCCAL_SWAB = "buccal_swab", _("Buccal swab")
    OTHER = "other", _("Other")


class SampleLocation(models.TextChoices):
    IRAQ = "iraq", _("Iraq")
    HOME_STATE = "home_state", _("Home state")


class Hypothesis(models.TextChoices):
    """What a comparison tests; the first two are what policies ask for."""

    MOTHER_CHILD = "mother_child", _("Mother and child")
    KINSHIP_ABROAD = "kinship_abroad", _("Kinship with relatives in the home state")
    FATHER_CHILD = "father_child", _("Father and child")
    SIBLINGS = "siblings", _("Siblings")


class DNAMethod(models.TextChoices):
    AUTOSOMAL_STR = "autosomal_str", _("Autosomal STR")
    Y_STR = "y_str", _("Y-STR (paternal line)")
    MTDNA = "mtdna", _("Mitochondrial DNA (maternal line)")


class DNAConclusion(models.TextChoices):
    SUPPORTED = "supported", _("Supported")
    EXCLUDED = "excluded", _("Excluded")
    INCONCLUSIVE = "inconclusive", _("Inconclusive")


class StatisticKind(models.TextChoices):
    LIKELIHOOD_RATIO = "likelihood_ratio", _("Likelihood ratio")
    KINSHIP_INDEX = "kinship_index", _("Kinship index")
    PROBABILITY = "probability", _("Probability")


class ConsentScope(models.TextChoices):
    REPATRIATION = "repatriation", _("Repatriation")
    SEPARATION = "separation", _("Separation from the mother")
    DNA = "dna", _("DNA testing")
    MEDIA = "media", _("Media exposure")


class ConsentDecision(models.TextChoices):
    GIVEN = "given", _("Given")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    JUDICIAL_SUBSTITUTE = "judicial_substitute", _("Judicial decision substitutes for consent")


class GuardianVetting(models.TextChoices):
    PENDING = "pending", _("Awaiting the home state's vetting")
    APPROVED = "approved", _("Approved by the home state")
    REJECTED = "rejected", _("Rejected by the home state")


class AssuranceItem(models.TextChoices):
    """Content items of the home state's legal assurances (domain.md §3.2, Assurance)."""

    PLACEMENT = "placement", _("Placement with the named guardian or a state child-welfare body")
    RIGHTS = "rights", _("Rights, education and health protected")
    NO_PROSECUTION = (
        "no_prosecution",
        _("No prosecution for acts below the age of criminal responsibility"),
    )
    NON_REFOULEMENT = "non_refoulement", _("Non-refoulement and non-discrimination")
    FOLLOW_UP = "follow_up", _("Follow-up information will be shared")


class AssessmentKind(models.TextChoices):
    BIA = "bia", _("Best-interests assessment")
    BID = "bid", _("Formal best-interests determination (panel)")


class AssessmentTrigger(models.TextChoices):
    SEPARATION_FROM_MOTHER = "separation_from_mother", _("Separation from the mother")
    UNACCOMPANIED = "unaccompanied", _("Unaccompanied child")
    SIBLING_SEPARATION = "sibling_separation", _("Separation from siblings")
    STATELESSNESS = "statelessness", _("Statelessness")
    ROUTINE = "routine", _("Required by the home state's policy")


class Recommendation(models.TextChoices):
    RETURN = "return", _("Return to the home state is in the child's best interests")
    RETURN_WITH_CONDITIONS = "return_with_conditions", _("Return, with conditions")
    DO_NOT_RETURN = "do_not_return", _("Return is not in the child's best interests now")


class ClearanceType(models.TextChoices):
    JUDICIAL = "judicial", _("Judicial clearance")
    SECURITY = "security", _("Security clearance")
    MEDICAL = "medical", _("Medical fitness to travel")
    MINISTRY = "ministry", _("Ministry sign-off")
    FEE = "fee", _("Fee paid")


# Who may decide each kind of clearance.
DECIDE_CAPABILITY = {
    ClearanceType.JUDICIAL: cap.DECIDE_JUDICIAL_CLEARANCE,
    ClearanceType.SECURITY: cap.DECIDE_SECURITY_CLEARANCE,
    ClearanceType.MEDICAL: cap.DECIDE_MEDICAL_CLEARANCE,
    ClearanceType.MINISTRY: cap.DECIDE_MINISTRY_CLEARANCE,
    ClearanceType.FEE: cap.DECIDE_FEE_CLEARANCE,
}


class ClearanceStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class TravelDocumentType(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    CERTIFICATE_OF_RETURN = "certificate_of_return", _("Certificate of return")
    LAISSEZ_PASSER = "laissez_passer", _("Laissez-passer")
    EMERGENCY = "emergency", _("Emergency travel document")


class CourtStage(models.TextChoices):
    INVESTIGATION = "investigation", _("Under investigation")
    CHARGED = "charged", _("Charged")
    ON_TRIAL = "on_trial", _("On trial")
    ACQUITTED = "acquitted", _("Acquitted or not prosecuted")
    CONVICTED = "convicted", _("Convicted")
    APPEAL = "appeal", _("On appeal")

    @classmethod
    def pending(cls) -> list[str]:
        """Stages in which the proceedings are still open."""
        return [cls.INVESTIGATION, cls.CHARGED, cls.ON_TRIAL, cls.APPEAL]


class SentenceType(models.TextChoices):
    DEATH = "death", pgettext_lazy("sentence type", "Death")
    LIFE = "life", _("Life")
    YEARS = "years", _("Years")
    MONTHS = "months", _("Months")


class SentenceStatus(models.TextChoices):
    SERVING = "serving", _("Serving")
    COMPLETED = "completed", _("Sentence completed")
    COMMUTED = "commuted", _("Commuted")
    PARDONED = "pardoned", _("Pardoned or released early")
    EXECUTED = "executed", _("Executed")

    @classmethod
    def ended(cls) -> list[str]:
        """The sentence no longer keeps the person in custody."""
        return [cls.COMPLETED, cls.PARDONED]


class IncidentType(models.TextChoices):
    DEATH = "death", pgettext_lazy("incident type", "Death")
    SERIOUS_ILLNESS = "serious_illness", _("Serious illness")
    HOSPITALISATION = "hospitalisation", _("Hospitalisation")
    TRANSFER = "transfer", _("Transfer")
    MEDIA_EXPOSURE = "media_exposure", _("Media exposure")
    COMPLAINT = "complaint", _("Complaint")
    ABUSE_ALLEGATION = "abuse_allegation", _("Abuse allegation")
    MISSING = "missing", _("Escape or missing")
