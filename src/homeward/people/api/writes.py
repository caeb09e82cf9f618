"""The registry's writes over the API: the pages' use cases through the same `people.services`.

Register a child (POST /people/), edit biodata (PATCH /people/{id}/, If-Match), add a name,
link a relative or register a new adult and link them, record a custody move. Each is an
adapter: the body is checked for shape, every record it names (home state, facility,
relative, companion) is resolved in the caller's scope (an unseen one is a 400 naming the
field, as the pages' choice lists refuse a forged value), and one service call writes the
change with its audit event. The person in the path is looked up with the *change* scope,
as the pages do: outside it, the answer is the 404 of a missing record.
"""

import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from homeward.accounts import capabilities as cap
from homeward.audit.services import record_list
from homeward.core.api.preconditions import etag_for, expected_version, precondition_failed
from homeward.core.api.views import ServiceCallMixin
from homeward.core.exceptions import StaleEditError
from homeward.core.models import HomeState
from homeward.matching import events as matching_events
from homeward.matching.engine import possible_duplicates
from homeward.people import masking, services
from homeward.people.api.serializers import (
    ChildRegistrationInput,
    CustodyEpisodeSerializer,
    CustodyMoveInput,
    DuplicatesProblemSerializer,
    NameInput,
    PersonDetailSerializer,
    PersonEditInput,
    PersonNameSerializer,
    RelationshipSerializer,
    RelativeLinkInput,
)
from homeward.people.choices import DobPrecision, PersonKind
from homeward.people.models import Facility, Person, Relationship

__all__ = ["WRITE_ACTIONS", "PersonWritesMixin"]

TAGS = ["people"]

# action -> the capability it needs (the pages' `add` / `change` on people.person)
WRITE_ACTIONS = {
    "create": cap.ADD_PERSON,
    "partial_update": cap.CHANGE_PERSON,
    "names": cap.CHANGE_PERSON,
    "relatives": cap.CHANGE_PERSON,
    "custody": cap.CHANGE_PERSON,
}

REFUSED = {400: OpenApiResponse(description=_("Bad input: `errors` names the fields."))}


class PersonWritesMixin(ServiceCallMixin):
    """The write actions of PersonViewSet (see the module docstring)."""

    def writing_queryset(self):
        """The people the caller may change (custody moves: children only, as on the page)."""
        people = self.queryset.for_user(self.request.user, "change")
        return people.filter(kind=PersonKind.CHILD) if self.action == "custody" else people

    def person_answer(self, person: Person, code=status.HTTP_200_OK, headers=None) -> Response:
        person = self.queryset.for_user(self.request.user, "view").get(pk=person.pk)
        data = PersonDetailSerializer(person, context=self.get_serializer_context()).data
        return Response(
            data, status=code, headers={"ETag": etag_for(data["version"]), **(headers or {})}
        )

    def _refuse(self, message=None):
        """An audited 403, as for a capability the route itself needs."""
        self.permission_denied(self.request, message=message)

    def _facility(self, given: dict, field: str) -> Facility:
        found = (
            Facility.objects.for_user(self.request.user)
            .filter(is_active=True, pk=given["facility"])
            .first()
        )
        if found is None:
            raise exceptions.ValidationError(_field(field, "facility", _("Unknown facility.")))
        return found

    def _companion(self, given: dict, field: str) -> Person | None:
        if given.get("with_person") is None:
            return None
        found = (
            Person.objects.for_user(self.request.user, "view")
            .filter(kind=PersonKind.ADULT, pk=given["with_person"])
            .first()
        )
        if found is None:
            raise exceptions.ValidationError(_field(field, "with_person", _("Unknown adult.")))
        return found

    def _home_state(self, code: str) -> HomeState:
        return self.scoped(HomeState, "home_state", _("Unknown home state."), code=code.upper())

    # -- register a child ------------------------------------------------------------------

    @extend_schema(
        tags=TAGS,
        summary=_("Register a child"),
        description=_(
            "Names (one to four, as each source wrote them), biodata, the home state whose "
            "nationality is claimed (it decides who may see the record) and optionally the "
            "current placement. A child who looks like one already registered is answered 409 "
            "with the candidates (masked) and nothing is written; send "
            "`confirm_not_duplicate: true` after checking them to register anyway."
        ),
        request=ChildRegistrationInput,
        responses={
            201: PersonDetailSerializer,
            **REFUSED,
            409: OpenApiResponse(
                response=DuplicatesProblemSerializer,
                description=_("Possible duplicates: nothing was written."),
            ),
        },
    )
    def create(self, request, *args, **kwargs):
        data = self.given(ChildRegistrationInput)
        names = [dict(name) for name in data.pop("names")]
        home_state = self._home_state(data.pop("home_state"))
        placement = data.pop("custody", None)
        confirmed = data.pop("confirm_not_duplicate")
        custody = None
        if placement:
            custody = {
                "facility": self._facility(placement, "custody"),
                "started_on": placement["started_on"],
                "with_person": self._companion(placement, "custody"),
                "legal_basis": placement.get("legal_basis", ""),
            }
        duplicates = possible_duplicates(request.user, names=names, fields=data)
        if duplicates and not confirmed:
            return self._duplicates(duplicates)
        child = self.call(
            services.register_child,
            fields=data,
            names=names,
            home_state=home_state,
            custody=custody,
        )
        location = request.build_absolute_uri(f"{request.path}{child.pk}/")
        return self.person_answer(child, status.HTTP_201_CREATED, {"Location": location})

    def _duplicates(self, duplicates) -> Response:
        """The registration page's warning as a 409: who looks like the child, masked."""
        record_list(
            matching_events.CANDIDATES_LISTED,
            actor=self.request.user,
            ids=[candidate.person.pk for candidate in duplicates],
            query={"registration": True},
            total=len(duplicates),
        )
        candidates = [
            {
                "id": candidate.person.pk,
                "masked_name": masking.masked_name(candidate.person),
                "birth_year": masking.birth_year_display(candidate.person),
                "case_reference": _case_reference(candidate.person),
                "score": round(candidate.score, 2),
                "agreed": [comparison.field for comparison in candidate.agreed],
            }
            for candidate in duplicates
        ]
        detail = _(
            "Children already registered look like this one. Nothing was saved: open them, and "
            "if none is the same child, send the request again with confirm_not_duplicate."
        )
        body = {"detail": str(detail), "code": "possible_duplicates", "candidates": candidates}
        return Response(body, status=status.HTTP_409_CONFLICT)

    # -- edit biodata ----------------------------------------------------------------------

    @extend_schema(
        tags=TAGS,
        summary=_("Edit a person's biodata"),
        description=_(
            "Any of the biodata fields; for a child also `home_state`, which moves the case "
            "(capability to change cases). Needs If-Match with the person's ETag (its "
            "version): 428 without it, 412 if someone changed the record since. Values equal "
            "to the current ones change nothing."
        ),
        request=PersonEditInput,
        responses={
            200: PersonDetailSerializer,
            **REFUSED,
            412: OpenApiResponse(description=_("The record changed since it was read.")),
            428: OpenApiResponse(description=_("If-Match is missing.")),
        },
    )
    def partial_update(self, request, *args, **kwargs):
        person = self.get_object()
        data = self.given(PersonEditInput)
        version = expected_version(request)
        if not person.is_child:
            child_only = sorted({"unaccompanied", "orphan_status", "home_state"} & set(data))
            if child_only:
                message = _("Only a child's record has this field.")
                raise exceptions.ValidationError({key: [message] for key in child_only})
        home_state = None
        if "home_state" in data:
            home_state = self._home_state(data.pop("home_state"))
            if home_state.code == person.case.home_state_id:
                home_state = None
            elif not request.user.has_capability(cap.CHANGE_CASE):
                self._refuse()
        changes = {field: value for field, value in data.items() if _differs(person, field, value)}
        if person.version != version:
            return self._stale(person)
        if not changes and home_state is None:
            return self.person_answer(person)
        try:
            saved = self.call(
                services.update_person,
                person,
                expected_version=version,
                changes=changes,
                home_state=home_state,
            )
        except StaleEditError:
            return self._stale(person)
        return self.person_answer(saved)

    def _stale(self, person: Person) -> Response:
        current = Person.objects.get(pk=person.pk).version
        failed = precondition_failed(current)
        return Response(
            {"detail": str(failed.detail), "version": current},
            status=failed.status_code,
            headers={"ETag": etag_for(current)},
        )

    # -- names, relatives, custody ---------------------------------------------------------

    @extend_schema(
        tags=TAGS,
        summary=_("Add a name"),
        description=_(
            "One more name as a source wrote it. A new preferred name (`is_primary`) demotes "
            "the old one."
        ),
        request=NameInput,
        responses={201: PersonNameSerializer, **REFUSED},
    )
    @action(detail=True, methods=["post"])
    def names(self, request, pk=None):
        person = self.get_object()
        name = self.call(services.add_name, person, **self.given(NameInput))
        return Response(PersonNameSerializer(name).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAGS,
        summary=_("Link a relative"),
        description=_(
            '`relative` is the `relationship_type` of this person ("mother": the relative is '
            "this person's mother). Give `relative`, a person you may see, or `new_adult` to "
            "register an adult first (capability to register people): the link is checked "
            "before the adult is created."
        ),
        request=RelativeLinkInput,
        responses={201: RelationshipSerializer, **REFUSED},
    )
    @action(detail=True, methods=["post"])
    def relatives(self, request, pk=None):
        person = self.get_object()
        data = self.given(RelativeLinkInput)
        new_adult = data.pop("new_adult", None)
        if new_adult is None:
            relative = self.scoped(
                Person, "relative", _("Unknown person."), pk=data.pop("relative")
            )
        else:
            if not request.user.has_capability(cap.ADD_PERSON):
                self._refuse()
            relative = self._register_adult(person, new_adult, data)
        link = self.call(services.link_relative, person, relative=relative, **data)
        return Response(RelationshipSerializer(link).data, status=status.HTTP_201_CREATED)

    def _register_adult(self, person: Person, given: dict, link: dict) -> Person:
        """The new adult, registered once the link to them is known to be acceptable."""
        year = given.get("birth_year")
        if year is not None and year > datetime.date.today().year:
            message = _("The year of birth cannot be in the future.")
            raise exceptions.ValidationError({"new_adult": {"birth_year": [message]}})
        fields = {
            "sex": given["sex"],
            "date_of_birth": datetime.date(year, 7, 1) if year else None,
            "dob_precision": DobPrecision.YEAR if year else DobPrecision.UNKNOWN,
            "legal_status": given["legal_status"],
        }
        try:
            Relationship(
                person=person, relative=Person(kind=PersonKind.ADULT, **fields), **link
            ).full_clean(exclude=["person", "relative"])
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(exc.message_dict) from exc
        name = {"full_text": given["full_text"], "name_type": given["name_type"]}
        return self.call(services.register_adult, fields=fields, names=[name])

    @extend_schema(
        tags=TAGS,
        summary=_("Record a custody move"),
        description=_(
            "A child moved to a new placement: the open placement ends the day this one starts."
        ),
        request=CustodyMoveInput,
        responses={201: CustodyEpisodeSerializer, **REFUSED},
    )
    @action(detail=True, methods=["post"])
    def custody(self, request, pk=None):
        child = self.get_object()
        data = self.given(CustodyMoveInput)
        data["facility"] = self._facility(data, "facility")
        data["with_person"] = self._companion(data, "with_person")
        episode = self.call(services.record_custody_move, child, **data)
        visible = {episode.with_person_id} if episode.with_person_id else set()
        context = {**self.get_serializer_context(), "visible_people": visible}
        return Response(
            CustodyEpisodeSerializer(episode, context=context).data,
            status=status.HTTP_201_CREATED,
        )


def _case_reference(person: Person) -> str | None:
    case = getattr(person, "case", None) if person.is_child else None
    return case.reference if case is not None else None


def _differs(person: Person, field: str, value) -> bool:
    """Whether `value` would change the field (a related record compared by its key)."""
    given = value.pk if isinstance(value, models.Model) else value
    return person.serializable_value(field) != given


def _field(outer: str, inner: str, message) -> dict:
    """A field error, nested when the field is inside an object of the body."""
    return {outer: {inner: [message]}} if outer != inner else {inner: [message]}
