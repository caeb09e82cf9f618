from homeward.people.models import Person


def test_consul_sees_only_own_state_people(users, registry):
    # given the shared registry
    # when each consul lists people
    ru_ids = set(Person.objects.for_user(users["consul.ru"]).values_list("pk", flat=True))
    tj_ids = set(Person.objects.for_user(users["consul.tj"]).values_list("pk", flat=True))
    # then Russia sees its two children and the linked mother, Tajikistan only its child
    assert ru_ids == {registry["ru_child"].pk, registry["ru_brother"].pk, registry["ru_mother"].pk}
    assert tj_ids == {registry["tj_child"].pk}
