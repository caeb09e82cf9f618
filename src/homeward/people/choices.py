"""Enumerations for people, names, relationships, facilities and custody (domain.md §3.2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PersonKind(models.TextChoices):
    CHILD = "child", _("Child")
    ADULT = "adult", _("Adult")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNKNOWN = "unknown", _("Unknown")


class DobPrecision(models.TextChoices):
    DAY = "day", _("Exact day")
    MONTH = "month", _("Month and year")
    YEAR = "year", _("Year only")
    RANGE = "range", _("Estimated range")
    UNKNOWN = "unknown", _("Unknown")


class DobSource(models.TextChoices):
    HOME_STATE_DOCUMENT = "home_state_document", _("Home-state document")
    IRAQI_DOCUMENT = "iraqi_document", _("Iraqi document")
    ISIS_DOCUMENT = "isis_document", _("ISIS-issued document (not recognised)")
    DECLARED_BY_MOTHER = "declared_by_mother", _("Declared by the mother")
    DECLARED_BY_CHILD = "declared_by_child", _("Declared by the child")
    MEDICAL_ESTIMATE = "medical_estimate", _("Medical age assessment")
    FACILITY_ESTIMATE = "facility_estimate", _("Facility staff estimate")
    UNKNOWN = "unknown", _("Unknown")


class OrphanStatus(models.TextChoices):
    BOTH_PARENTS_ALIVE = "none", _("Not an orphan")
    FATHER_DEAD = "father_dead", _("Father dead")
    MOTHER_DEAD = "mother_dead", _("Mother dead")
    BOTH_DEAD = "both_dead", _("Both parents dead")
    UNKNOWN = "unknown", _("Unknown")


class LegalStatus(models.TextChoices):
    """An adult's situation in the Iraqi justice system (summary; court files come later)."""

    UNKNOWN = "unknown", _("Unknown")
    NOT_DETAINED = "not_detained", _("Not detained")
    AWAITING_TRIAL = "awaiting_trial", _("Detained, awaiting trial")
    SENTENCED = "sentenced", _("Sentenced")
    SENTENCED_LIFE = "sentenced_life", _("Sentenced to life")
    SENTENCED_DEATH = "sentenced_death", _("Sentenced to death")
    RELEASED = "released", _("Released")
    DECEASED = "deceased", _("Deceased")

    @classmethod
    def sentenced(cls) -> list[str]:
        return [cls.SENTENCED, cls.SENTENCED_LIFE, cls.SENTENCED_DEATH]


class Script(models.TextChoices):
    ARABIC = "Arab", _("Arabic script")
    CYRILLIC = "Cyrl", _("Cyrillic script")
    LATIN = "Latn", _("Latin script")
    OTHER = "Zyyy", _("Other script")


class NameType(models.TextChoices):
    LEGAL_HOME_STATE = "legal_home_state", _("Legal name (home state)")
    COURT_RECORD = "court_record", _("As in Iraqi court record")
    PRISON_REGISTER = "prison_register", _("As in prison register")
    DECLARED_BY_CHILD = "declared_by_child", _("Declared by the child")
    DECLARED_BY_MOTHER = "declared_by_mother", _("Declared by the mother")
    KUNYA = "kunya", _("Kunya (nom de guerre)")
    ALIAS = "alias", _("Alias")
    ASSIGNED_BY_FACILITY = "assigned_by_facility", _("Assigned by facility")
    ISIS_DOCUMENT = "isis_document", _("As in ISIS-issued document")


class RelationshipType(models.TextChoices):
    """What the *relative* is to the *person*: "relative is the mother of person"."""

    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    FULL_SIBLING = "full_sibling", _("Full sibling")
    HALF_SIBLING_MATERNAL = "half_sibling_maternal", _("Half-sibling (same mother)")
    HALF_SIBLING_PATERNAL = "half_sibling_paternal", _("Half-sibling (same father)")
    STEP_SIBLING = "step_sibling", _("Step-sibling")
    GRANDPARENT_MATERNAL = "grandparent_maternal", _("Grandparent (mother's side)")
    GRANDPARENT_PATERNAL = "grandparent_paternal", _("Grandparent (father's side)")
    AUNT_UNCLE = "aunt_uncle", _("Aunt or uncle")
    OTHER_KIN = "other_kin", _("Other relative")
    INFORMAL_CAREGIVER = "informal_caregiver", _("Informal caregiver")
    GUARDIAN = "guardian", _("Legal guardian")

    @classmethod
    def siblings(cls) -> list[str]:
        return [
            cls.FULL_SIBLING,
            cls.HALF_SIBLING_MATERNAL,
            cls.HALF_SIBLING_PATERNAL,
            cls.STEP_SIBLING,
        ]

    @classmethod
    def parents(cls) -> list[str]:
        return [cls.MOTHER, cls.FATHER]


# How a relationship reads from the relative's side ("X is the mother of Y" → "Y is a child of X").
INVERSE_LABELS = {
    RelationshipType.MOTHER: pgettext_lazy("relationship", "Child"),
    RelationshipType.FATHER: pgettext_lazy("relationship", "Child"),
    RelationshipType.GRANDPARENT_MATERNAL: _("Grandchild"),
    RelationshipType.GRANDPARENT_PATERNAL: _("Grandchild"),
    RelationshipType.AUNT_UNCLE: _("Niece or nephew"),
    RelationshipType.GUARDIAN: _("Ward"),
    RelationshipType.INFORMAL_CAREGIVER: _("Cared for"),
}


class RelationshipBasis(models.TextChoices):
    DECLARED = "declared", _("Declared")
    DOCUMENTARY = "documentary", _("Documents")
    DNA_CONFIRMED = "dna_confirmed", _("DNA confirmed")
    DNA_EXCLUDED = "dna_excluded", _("DNA excluded")
    VISUAL_IDENTIFICATION = "visual_identification", _("Visual identification by relatives")


class FacilityType(models.TextChoices):
    WOMEN_PRISON = "women_prison", _("Women's prison")
    JUVENILE_REFORM = "juvenile_reform", _("Juvenile reform facility")
    ORPHANAGE = "orphanage", _("Orphanage")
    DETENTION_SITE = "detention_site", _("Camp or detention site")
    HOSPITAL = "hospital", _("Hospital")


class FacilityAuthority(models.TextChoices):
    MOJ_ICS = "moj_ics", _("MoJ – Iraqi Correctional Service")
    MOJ_JRD = "moj_jrd", _("MoJ – Juvenile Reform Department")
    MOLSA = "molsa", _("MOLSA")
    MOI = "moi", _("Ministry of Interior")
    MOD = "mod", _("Ministry of Defence")
    MOH = "moh", _("Ministry of Health")
    KRG = "krg", _("Kurdistan Regional Government")


class Jurisdiction(models.TextChoices):
    FEDERAL = "federal", _("Federal Iraq")
    KRG = "krg", _("Kurdistan Region")


LANGUAGES = [
    ("ar", _("Arabic")),
    ("ru", _("Russian")),
    ("ce", _("Chechen")),
    ("av", _("Avar")),
    ("tg", _("Tajik")),
    ("az", _("Azerbaijani")),
    ("tr", _("Turkish")),
    ("uz", _("Uzbek")),
    ("kk", _("Kazakh")),
    ("ky", _("Kyrgyz")),
    ("ka", _("Georgian")),
    ("uk", _("Ukrainian")),
    ("be", _("Belarusian")),
    ("de", _("German")),
    ("fr", _("French")),
    ("en", _("English")),
    ("sv", _("Swedish")),
    ("fi", _("Finnish")),
    ("nl", _("Dutch")),
    ("ku", _("Kurdish")),
]
LANGUAGE_CODES = {code for code, _label in LANGUAGES}
