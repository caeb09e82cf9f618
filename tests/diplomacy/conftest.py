"""Diplomacy fixtures: a Russian and a Tajik note verbale, profile and action item."""

import datetime

import pytest

from homeward.core.models import HomeState
from homeward.diplomacy import services
from tests.workflow.conftest import policies, world  # noqa: F401  (fixtures)

DAY = datetime.date(2026, 3, 1)


def diplomacy_pairs(users, registry) -> dict:
    """One RU and one TJ row of every diplomacy model, for the scope matrix and scope tests."""
    from homeward.diplomacy.models import ActionItem, Engagement, FocalPoint, HomeStateProfile

    officer = users["mfa.officer"]
    made = {}
    for code, child in (("RU", registry["ru_child"]), ("TJ", registry["tj_child"])):
        state = HomeState.objects.get(code=code)
        profile = services.save_profile(
            state, actor=officer, stance="case_by_case", has_embassy_in_baghdad=True
        )
        point = services.add_focal_point(profile, actor=officer, name=f"Focal {code}")
        note = services.record_engagement(
            state, actor=officer, kind="note_verbale_out", date=DAY, cases=[child.case]
        )
        item = services.add_action_item(
            note,
            actor=officer,
            description=f"Confirm nationality {code}",
            owner_agency=users[f"consul.{code.lower()}"].agency,
            due=DAY + datetime.timedelta(days=10),
        )
        made[code] = (profile, note, item, point)
    return {
        HomeStateProfile: (made["RU"][0], made["TJ"][0]),
        Engagement: (made["RU"][1], made["TJ"][1]),
        ActionItem: (made["RU"][2], made["TJ"][2]),
        FocalPoint: (made["RU"][3], made["TJ"][3]),
    }


@pytest.fixture
def pairs(users, registry):
    return diplomacy_pairs(users, registry)
