"""API representations of people, names, relationships, facilities and custody.

Lists show people masked (G22): `masked_name` ("K*** H***") and `birth_year`, never a
name in full nor a date of birth. The full names are in the detail representations, whose
every read is audited.

The field lists mirror what the write services accept (`people.services.
PERSON_EDITABLE_FIELDS`, a name's parts); the write bodies at the end of the module take the
same fields, with the derived ones (`id`, `kind`, `version`, timestamps) never writable.

Anything that points at *another* person goes through the caller's scope: a relative or a
"held with" companion the caller may not see is left out (or null), never shown with a
blank name, so no id of another state's national ever leaves through this module.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from homeward.cases.models import Case
from homeward.core.api.serializers import StrictInputSerializer
from homeward.core.models import HomeState
from homeward.people import masking
from homeward.people.choices import (
    LANGUAGES,
    LegalStatus,
    NameType,
    RelationshipBasis,
    RelationshipType,
    Sex,
)
from homeward.people.models import (
    TEXT_LIMIT,
    CustodyEpisode,
    Facility,
    Person,
    PersonName,
    Relationship,
)
from homeward.people.queries import current_episode, relatives_visible_to
from homeward.people.services import PERSON_EDITABLE_FIELDS

__all__ = [
    "CaseSummarySerializer",
    "ChildRegistrationInput",
    "CustodyEpisodeSerializer",
    "CustodyMoveInput",
    "FacilitySerializer",
    "FacilitySummarySerializer",
    "MaskedPersonSummarySerializer",
    "NameInput",
    "PersonDetailSerializer",
    "PersonEditInput",
    "PersonNameSerializer",
    "PersonSerializer",
    "PersonSummarySerializer",
    "RelationshipSerializer",
    "RelativeLinkInput",
    "RelativeSerializer",
    "RevealNameInput",
    "RevealedNameSerializer",
]

# Edited on a person's page, not given at registration (as on the registration page).
CHILD_EDIT_ONLY = ("legal_status", "date_of_death")


class FacilitySerializer(serializers.ModelSerializer):
    """A facility (reference data, not personal data)."""

    class Meta:
        model = Facility
        fields = [
            "id",
            "name",
            "name_en",
            "facility_type",
            "authority",
            "jurisdiction",
            "governorate",
            "capacity",
            "is_active",
        ]
        read_only_fields = fields


class FacilitySummarySerializer(serializers.ModelSerializer):
    """Enough of a facility to name it where a child is or was held."""

    class Meta:
        model = Facility
        fields = ["id", "name", "name_en"]
        read_only_fields = fields


class PersonNameSerializer(serializers.ModelSerializer):
    """One name as a source wrote it; the parts are optional aids, `full_text` is authoritative."""

    class Meta:
        model = PersonName
        fields = [
            "id",
            "full_text",
            "script",
            "language",
            "given",
            "father",
            "grandfather",
            "family",
            "name_type",
            "source",
            "is_primary",
        ]
        read_only_fields = ["id"]


class RevealedNameSerializer(serializers.Serializer):
    """A list row's revealed name: the preferred name, then the names in other scripts."""

    id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True, allow_null=True, label=_("full name"))
    other_names = PersonNameSerializer(
        many=True, read_only=True, label=_("the same name in other scripts")
    )


class RevealNameInput(StrictInputSerializer):
    """Revealing a name takes no input: any field in the body is refused."""


class CaseSummarySerializer(serializers.ModelSerializer):
    """A child's case as seen from the person: which state, which stage."""

    home_state = serializers.CharField(
        source="home_state_id", read_only=True, label=_("home state")
    )

    class Meta:
        model = Case
        fields = ["id", "reference", "home_state", "status"]
        read_only_fields = fields


class PersonSummarySerializer(serializers.ModelSerializer):
    """Who a case is about: the id, the preferred name and every recorded name.

    Expects `names` to be prefetched.
    """

    preferred_name = serializers.CharField(
        source="display_name", read_only=True, label=_("preferred name")
    )
    names = PersonNameSerializer(many=True, read_only=True)

    class Meta:
        model = Person
        fields = ["id", "kind", "preferred_name", "names"]
        read_only_fields = fields


class MaskedPersonSummarySerializer(serializers.ModelSerializer):
    """Who a list row is about, as little as picks them out: masked name and birth year.

    Expects `names` to be prefetched.
    """

    masked_name = serializers.SerializerMethodField(label=_("masked name"))
    birth_year = serializers.SerializerMethodField(label=_("birth year"))

    class Meta:
        model = Person
        fields = ["id", "kind", "masked_name", "birth_year"]
        read_only_fields = fields

    def get_masked_name(self, person: Person) -> str:
        return masking.masked_name(person)

    def get_birth_year(self, person: Person) -> str:
        return masking.birth_year_display(person)


class PersonSerializer(MaskedPersonSummarySerializer):
    """One row of the people list: masked identity, birth year, case and current placement.

    Expects `names` and `open_episodes` (with facility) to be prefetched and `case` to be
    selected, so a page costs the same number of queries whatever its length.
    """

    case = serializers.SerializerMethodField(label=_("case"))
    current_facility = serializers.SerializerMethodField(label=_("current facility"))

    class Meta:
        model = Person
        fields = [
            "id",
            "kind",
            "masked_name",
            "birth_year",
            "sex",
            "unaccompanied",
            "case",
            "current_facility",
        ]
        read_only_fields = fields

    @extend_schema_field(CaseSummarySerializer(allow_null=True))
    def get_case(self, person: Person) -> dict | None:
        case = getattr(person, "case", None) if person.is_child else None
        return CaseSummarySerializer(case).data if case is not None else None

    @extend_schema_field(FacilitySummarySerializer(allow_null=True))
    def get_current_facility(self, person: Person) -> dict | None:
        episode = current_episode(person)
        return FacilitySummarySerializer(episode.facility).data if episode is not None else None


class RelativeSerializer(serializers.Serializer):
    """A relationship read from this person's side, to someone the caller may see.

    `direction` says how to read `relationship_type`: "outgoing" means the relative is the
    <type> of this person ("mother": the relative is this person's mother); "incoming"
    means this person is the <type> of the relative. `label` is that reading in words.
    """

    DIRECTIONS = [
        ("outgoing", _("The relative is this person's <type>")),
        ("incoming", _("This person is the relative's <type>")),
    ]

    id = serializers.IntegerField(read_only=True, label=_("relationship id"))
    relative = serializers.UUIDField(read_only=True, label=_("relative"))
    relative_name = serializers.CharField(read_only=True, label=_("relative's preferred name"))
    relationship_type = serializers.ChoiceField(
        choices=RelationshipType.choices, read_only=True, label=_("relationship")
    )
    direction = serializers.ChoiceField(choices=DIRECTIONS, read_only=True, label=_("direction"))
    label = serializers.CharField(read_only=True, label=_("relationship, from this person's side"))
    basis = serializers.ChoiceField(
        choices=RelationshipBasis.choices, read_only=True, label=_("established by")
    )
    verified_by = serializers.CharField(read_only=True, label=_("verified by"))
    verified_on = serializers.DateField(read_only=True, allow_null=True, label=_("verified on"))


class CustodyEpisodeSerializer(serializers.ModelSerializer):
    """One placement of a child. `with_person` is null when the caller may not see that person.

    Needs `visible_people` (a set of person ids) in the context.
    """

    facility = FacilitySummarySerializer(read_only=True)
    with_person = serializers.SerializerMethodField(label=_("held with"))

    class Meta:
        model = CustodyEpisode
        fields = [
            "id",
            "facility",
            "with_person",
            "started_on",
            "ended_on",
            "legal_basis",
            "reason",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "format": "uuid", "nullable": True})
    def get_with_person(self, episode: CustodyEpisode):
        if episode.with_person_id and episode.with_person_id in self.context.get(
            "visible_people", ()
        ):
            return episode.with_person_id
        return None


class PersonDetailSerializer(serializers.ModelSerializer):
    """Everything recorded about one person that the caller may see.

    Relationships and custody companions are narrowed to the caller's scope here (the
    request's user from the context), on top of the scoped lookup of the person itself.
    """

    preferred_name = serializers.CharField(
        source="display_name", read_only=True, label=_("preferred name")
    )
    age = serializers.SerializerMethodField(label=_("age in years"))
    age_is_estimated = serializers.BooleanField(read_only=True, label=_("age is estimated"))
    names = PersonNameSerializer(many=True, read_only=True)
    relationships = serializers.SerializerMethodField(label=_("relationships"))
    custody_episodes = serializers.SerializerMethodField(label=_("custody episodes"))
    case = serializers.SerializerMethodField(label=_("case"))
    merged_into = serializers.UUIDField(
        source="merged_into_id",
        read_only=True,
        allow_null=True,
        label=_("merged into"),
        help_text=_(
            "Set when this record was merged into another: read the child there. "
            "Lists and searches show only the kept record; undoing the merge clears it."
        ),
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "kind",
            "preferred_name",
            "merged_into",
            *PERSON_EDITABLE_FIELDS,
            "age",
            "age_is_estimated",
            "created_at",
            "updated_at",
            "version",
            "names",
            "relationships",
            "custody_episodes",
            "case",
        ]
        read_only_fields = ["id", "kind", "created_at", "updated_at", "version"]

    def _user(self):
        return self.context["request"].user

    @extend_schema_field(OpenApiTypes.INT)
    def get_age(self, person: Person) -> int | None:
        return person.age()

    @extend_schema_field(RelativeSerializer(many=True))
    def get_relationships(self, person: Person) -> list[dict]:
        rows = []
        for label, other, link in relatives_visible_to(person, self._user()):
            outgoing = link.person_id == person.pk
            rows.append(
                {
                    "id": link.pk,
                    "relative": other.pk,
                    "relative_name": other.display_name,
                    "relationship_type": link.relationship_type,
                    "direction": "outgoing" if outgoing else "incoming",
                    "label": str(label),
                    "basis": link.basis,
                    "verified_by": link.verified_by,
                    "verified_on": link.verified_on,
                }
            )
        return RelativeSerializer(rows, many=True).data

    @extend_schema_field(CustodyEpisodeSerializer(many=True))
    def get_custody_episodes(self, person: Person) -> list[dict]:
        user = self._user()
        episodes = list(
            CustodyEpisode.objects.for_user(user, "view")
            .filter(child=person)
            .select_related("facility")
        )
        companions = {episode.with_person_id for episode in episodes if episode.with_person_id}
        visible = (
            set(
                Person.objects.for_user(user, "view")
                .filter(pk__in=companions)
                .values_list("pk", flat=True)
            )
            if companions
            else set()
        )
        return CustodyEpisodeSerializer(
            episodes, many=True, context={**self.context, "visible_people": visible}
        ).data

    @extend_schema_field(CaseSummarySerializer(allow_null=True))
    def get_case(self, person: Person) -> dict | None:
        case = getattr(person, "case", None) if person.is_child else None
        return CaseSummarySerializer(case).data if case is not None else None


# -- writes ------------------------------------------------------------------------------------
# Input bodies of the registry writes. They check shapes and choices; the records they name
# (home state, facility, people) are resolved in the caller's scope by the views, and the
# models' own invariants are checked again by `people.services` inside its transaction.


class NameInput(StrictInputSerializer, serializers.ModelSerializer):
    """One name as a source wrote it (what `add_name` and `register_child` take)."""

    class Meta:
        model = PersonName
        fields = [
            "full_text",
            "name_type",
            "script",
            "language",
            "given",
            "father",
            "grandfather",
            "family",
            "source",
            "is_primary",
        ]


class PersonFieldsInput(StrictInputSerializer, serializers.ModelSerializer):
    """Biodata, as the edit page takes it (`people.services.PERSON_EDITABLE_FIELDS`)."""

    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=LANGUAGES),
        max_length=len(LANGUAGES),
        required=False,
        label=_("languages"),
    )
    place_of_birth_country = serializers.SlugRelatedField(
        slug_field="code",
        queryset=HomeState.objects.all(),
        required=False,
        allow_null=True,
        label=_("country of birth"),
        help_text=_("ISO alpha-2 code, e.g. RU."),
    )

    class Meta:
        model = Person
        fields = list(PERSON_EDITABLE_FIELDS)


class PersonEditInput(PersonFieldsInput):
    """A PATCH of a person: any biodata field, and for a child the case's home state."""

    home_state = serializers.CharField(
        max_length=2,
        required=False,
        label=_("home state"),
        help_text=_(
            "A child's only: moves the case to another state's consuls (needs the capability "
            "to change cases, and the new state in your scope)."
        ),
    )

    class Meta(PersonFieldsInput.Meta):
        fields = [*PersonFieldsInput.Meta.fields, "home_state"]


class CustodyInput(StrictInputSerializer):
    """Where a child is held from a date (the registration's placement, or a move)."""

    facility = serializers.IntegerField(min_value=1, label=_("facility"))
    started_on = serializers.DateField(label=_("since"))
    with_person = serializers.UUIDField(
        required=False, allow_null=True, label=_("held with"), help_text=_("A visible adult.")
    )
    legal_basis = serializers.CharField(
        max_length=120, required=False, allow_blank=True, label=_("order or legal basis")
    )


class CustodyMoveInput(CustodyInput):
    reason = serializers.CharField(
        max_length=300, required=False, allow_blank=True, label=_("reason for the move")
    )


class ChildRegistrationInput(PersonFieldsInput):
    """A new child: names, biodata, the home state that scopes the case, the placement.

    `confirm_not_duplicate` is the registration page's "this is a different child" box:
    without it, a child who looks like one already registered is answered 409 with the
    candidates, and nothing is written.
    """

    names = NameInput(many=True, min_length=1, max_length=4, label=_("names"))
    home_state = serializers.CharField(
        max_length=2, label=_("home state"), help_text=_("ISO alpha-2 code, e.g. RU.")
    )
    custody = CustodyInput(required=False, allow_null=True, label=_("current placement"))
    confirm_not_duplicate = serializers.BooleanField(
        default=False, label=_("confirmed: not a duplicate")
    )

    class Meta(PersonFieldsInput.Meta):
        fields = [
            "names",
            *[name for name in PersonFieldsInput.Meta.fields if name not in CHILD_EDIT_ONLY],
            "home_state",
            "custody",
            "confirm_not_duplicate",
        ]


class NewAdultInput(StrictInputSerializer):
    """An adult not yet registered (usually the mother), as the relative page registers one."""

    full_text = serializers.CharField(max_length=200, label=_("name as written"))
    name_type = serializers.ChoiceField(
        choices=NameType.choices, default=NameType.DECLARED_BY_MOTHER, label=_("kind of name")
    )
    sex = serializers.ChoiceField(choices=Sex.choices, default=Sex.FEMALE, label=_("sex"))
    birth_year = serializers.IntegerField(
        min_value=1900, required=False, allow_null=True, label=_("year of birth")
    )
    legal_status = serializers.ChoiceField(
        choices=LegalStatus.choices, default=LegalStatus.UNKNOWN, label=_("legal status")
    )


class RelativeLinkInput(StrictInputSerializer):
    """A relative: `relative` (a person already registered) or `new_adult`, exactly one."""

    relationship_type = serializers.ChoiceField(
        choices=RelationshipType.choices, label=_("the relative is the person's")
    )
    basis = serializers.ChoiceField(
        choices=RelationshipBasis.choices, label=_("how the link was established")
    )
    verified_by = serializers.CharField(
        max_length=200, required=False, allow_blank=True, label=_("verified by")
    )
    verified_on = serializers.DateField(required=False, allow_null=True, label=_("verified on"))
    note = serializers.CharField(
        max_length=TEXT_LIMIT, required=False, allow_blank=True, label=_("note")
    )
    relative = serializers.UUIDField(required=False, label=_("relative"))
    new_adult = NewAdultInput(required=False, label=_("new adult"))

    def validate(self, attrs):
        if ("relative" in attrs) == ("new_adult" in attrs):
            message = _("Give either relative or new_adult.")
            raise serializers.ValidationError({"relative": [message], "new_adult": [message]})
        return attrs


class RelationshipSerializer(serializers.ModelSerializer):
    """A link just recorded: `relative` is the `relationship_type` of `person`."""

    class Meta:
        model = Relationship
        fields = [
            "id",
            "person",
            "relative",
            "relationship_type",
            "basis",
            "verified_by",
            "verified_on",
            "created_at",
        ]
        read_only_fields = fields


class DuplicateCandidateSerializer(serializers.Serializer):
    """A registered child who looks like the one being registered (masked, as in lists)."""

    id = serializers.UUIDField(label=_("person"))
    masked_name = serializers.CharField(label=_("masked name"))
    birth_year = serializers.CharField(label=_("birth year"))
    case_reference = serializers.CharField(allow_null=True, label=_("case"))
    score = serializers.FloatField(label=_("match weight"))
    agreed = serializers.ListField(
        child=serializers.CharField(), label=_("fields that agree or nearly agree")
    )


class DuplicatesProblemSerializer(serializers.Serializer):
    """The 409 of a registration that looks like a child already registered (`code`
    "possible_duplicates"); a retry of an Idempotency-Key still in flight has neither."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    code = serializers.CharField(required=False)
    candidates = DuplicateCandidateSerializer(many=True, required=False)
