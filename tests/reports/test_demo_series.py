"""Done means: on the demo, the public figures reproduce the published series up to the
demo's last operation.

The full demo (1,200 children: below 1,000 the plan scales its batches down) is seeded by
`seed_demo`, through the services; the public figures are then read from the database
exactly as the page, the files, the API and the command read them. One test, because the
seed takes minutes.
"""

import datetime
import io
import json

from django.core.management import call_command

from homeward.accounts.models import User
from homeward.core.demo.builder import BATCHES, SNAPSHOT
from homeward.core.models import HomeState
from homeward.reports import queries
from homeward.reports.public import PUBLISHED_SERIES, BatchRow, build_public_figures
from homeward.reports.statement import press_statement


def _from_plan(as_of):
    """The figures the plan's batch table gives, the reference the database must match."""
    names = dict(HomeState.objects.values_list("code", "name"))
    rows = [
        BatchRow(b.handed_over_on, b.state, names[b.state], b.children)
        for b in BATCHES
        if b.handed_over_on <= as_of
    ]
    return build_public_figures(rows, as_of=as_of)


def test_the_seeded_demo_reproduces_the_published_series(db, api_client_for):
    call_command("seed_demo", "--password", "demo-series-password-1", stdout=io.StringIO())

    # every operation of the demo that returned children is one batch of the plan, exactly
    batches = queries.returned_batches()
    assert [(b.handed_over_on, b.state, b.children) for b in batches] == [
        (b.handed_over_on, b.state, b.children) for b in BATCHES
    ]
    last = batches[-1]
    assert (last.handed_over_on, last.state, last.children) == (
        datetime.date(2020, 10, 21),
        "AZ",
        112,
    )

    officer = User.objects.get(username="mfa.officer")
    client = api_client_for(officer)
    for published in [*PUBLISHED_SERIES, None]:
        as_of = published.as_of if published else SNAPSHOT
        figures = build_public_figures(queries.returned_batches(as_of=as_of), as_of=as_of)
        # the same public figures as the plan's batches give: totals, months, nationalities,
        # and every operation's size (or its suppression), entry by entry
        assert figures.as_dict() == _from_plan(as_of).as_dict(), as_of
        body = client.get("/api/v1/stats/public/", {"as_of": as_of.isoformat()}).json()
        assert {key: body[key] for key in figures.as_dict()} == figures.as_dict()
        if published is None:  # up to the demo's last operation, nothing after
            assert figures.total.shown == 940
            assert figures.last_operation == last
            continue
        assert figures.total.shown == published.children, as_of
        if published.latest:
            latest = figures.last_operation
            assert (latest.state, latest.children) == published.latest, as_of
            size = figures.operations[-1][3].shown
            assert size == published.latest[1]
            assert f"returned {published.latest[1]} children" in press_statement(figures, "en")
        totals = {code: cell.shown for code, _name, cell in figures.nationalities}
        for code, children in published.nationalities:
            assert totals[code] == children
        assert f"{published.children} children" in press_statement(figures, "en")

    # the command prints the same total
    out = io.StringIO()
    call_command("public_stats", "--as-of", "2019-07-15", stdout=out)
    assert json.loads(out.getvalue())["total_returned"] == {"count": 473, "shown": "473"}
