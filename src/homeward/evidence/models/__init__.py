"""Evidence records of the parallel tracks (domain.md §2.4, §3.2), one module per track."""

from homeward.evidence.models.care import (
    Assurance,
    BestInterestsAssessment,
    Consent,
    GuardianCandidate,
)
from homeward.evidence.models.clearances import Clearance, SecurityAssessment
from homeward.evidence.models.dna import DNAComparison, DNAResult, DNASample
from homeward.evidence.models.documents import ExitAuthorization, Incident, TravelDocument
from homeward.evidence.models.judicial import CourtCase, Sentence
from homeward.evidence.models.nationality import NationalityClaim, NationalityDetermination

__all__ = [
    "Assurance",
    "BestInterestsAssessment",
    "Clearance",
    "Consent",
    "CourtCase",
    "DNAComparison",
    "DNAResult",
    "DNASample",
    "ExitAuthorization",
    "GuardianCandidate",
    "Incident",
    "NationalityClaim",
    "NationalityDetermination",
    "SecurityAssessment",
    "Sentence",
    "TravelDocument",
]
