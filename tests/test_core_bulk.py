"""core.bulk: the lean insert writes the rows bulk_create writes; the memoised validation
refuses what full_clean refuses, every time."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from homeward.core.bulk import full_clean, insert, insert_rows
from homeward.matching.models import NameKey
from homeward.people.models import Person, PersonName

pytestmark = pytest.mark.django_db

FIELDS = ["kind", "sex", "date_of_birth", "dob_precision", "unaccompanied", "languages",
          "place_of_birth_locality", "version"]  # fmt: skip


def _person(**fields):
    return Person(**{"kind": "child", "sex": "female", "date_of_birth": datetime.date(2016, 3, 1),
                     "dob_precision": "day", "languages": ["ru"], **fields})  # fmt: skip


def test_insert_writes_what_bulk_create_writes_and_returns_generated_keys():
    ours, theirs = _person(unaccompanied=True), _person(place_of_birth_locality="Mosul")
    insert(Person, [ours])
    Person.objects.bulk_create([theirs])
    assert not ours._state.adding and ours.created_at is not None
    rows = {p.pk: [getattr(p, f) for f in FIELDS] for p in Person.objects.all()}
    assert rows[ours.pk] == ["child", "female", datetime.date(2016, 3, 1), "day", True, ["ru"],
                             "", 1]  # fmt: skip
    assert rows[theirs.pk] == ["child", "female", datetime.date(2016, 3, 1), "day", False,
                               ["ru"], "Mosul", 1]  # fmt: skip
    names = [PersonName(person=ours, full_text=f"Amina {n}", name_type="alias",
                        search_text=f"amina {n}") for n in range(3)]  # fmt: skip
    insert(PersonName, names, batch_size=2)  # two statements
    assert [n.pk for n in names] == list(
        PersonName.objects.filter(person=ours).order_by("pk").values_list("pk", flat=True)
    )
    assert insert_rows(NameKey, ["person_id", "name_id", "part", "key"],
                       [(ours.pk, names[0].pk, "given", "AMN")]) == 1  # fmt: skip
    assert list(NameKey.objects.values_list("person_id", "name__full_text", "part", "key")) == [
        (ours.pk, "Amina 0", "given", "AMN")
    ]


def test_memoised_validation_refuses_what_full_clean_refuses_every_time():
    memo: dict = {}
    full_clean(_person(), memo=memo)
    assert memo  # valid values remembered
    for _attempt in range(2):  # a failure is never remembered
        bad = _person(sex="robot", place_of_birth_locality="x" * 121)
        with pytest.raises(ValidationError) as ours:
            full_clean(bad, memo=memo)
        with pytest.raises(ValidationError) as django:
            bad.full_clean(validate_unique=False, validate_constraints=False)
        assert ours.value.message_dict == django.value.message_dict
        assert set(ours.value.message_dict) == {"sex", "place_of_birth_locality"}
    with pytest.raises(ValidationError) as invariant:  # the model's clean() runs for each
        full_clean(_person(date_of_death=datetime.date(2010, 1, 1)), memo=memo)
    assert set(invariant.value.message_dict) == {"date_of_death"}
