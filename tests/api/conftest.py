"""API protocol and webhook fixtures: token clients, a Kazakh child and Kazakhstan's consul."""

import pytest
from rest_framework.test import APIClient

from homeward.accounts.choices import AgencyKind
from homeward.accounts.models import Agency, User
from homeward.accounts.services import issue_api_token, sync_standard_roles
from tests.conftest import PASSWORD, register


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_api_token(user, actor=None)}")
    return client


@pytest.fixture
def consul_kz(users) -> User:
    roles = sync_standard_roles()
    agency = Agency.objects.create(
        name="Embassy of Kazakhstan", kind=AgencyKind.HOME_STATE_MISSION, country_id="KZ"
    )
    user = User.objects.create_user("consul.kz", password=PASSWORD, agency=agency)
    user.roles.add(roles["home_state_consul"])
    return User.objects.get(pk=user.pk)


@pytest.fixture
def kz_child(users, prison):
    return register(users["mfa.officer"], name="عائشة نورلانوفا", state="KZ", facility=prison)
