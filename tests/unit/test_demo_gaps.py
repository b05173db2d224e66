"""The default demo township carries the organisational and duty gaps a real one has."""

from datetime import date, datetime, timedelta, timezone

import numpy as np
import pytest
import shapely

from geodata.demo import generate
from geodata.demo.shapes import METRES_PER_DEGREE
from gridmgmt.domain.vocab import EIGHT_HAVES, SIX_HAVES

UNTIL = date(2026, 7, 1)


@pytest.fixture(scope="module")
def t():
    """The default township tables."""
    return generate(seed=1, until=UNTIL).tables


def _full_members(t):
    """Full members per org, counting a branch's 党小组 as part of it."""
    orgs = t["party_org"].set_index("id")
    full = t["party_member"][t["party_member"].status == "full"]
    owner = full.party_org_id.map(lambda o: orgs.parent_id[o] if orgs.org_type[o] == "party_group" else o)
    return owner.value_counts()


def test_org_tree(t):
    orgs = t["party_org"]
    root = orgs[orgs.parent_id.isna()]
    assert len(root) == 1 and root.org_type.iat[0] == "party_committee"
    village_tops = orgs[orgs.parent_id == root.id.iat[0]].dropna(subset=["village_id"])
    rural = village_tops[village_tops.field.isin(["rural", "community"])]
    assert set(rural.village_id.astype(int)) == set(t["village"].id)
    assert {"party_committee", "general_branch", "branch", "party_group"} <= set(orgs.org_type)
    assert (orgs.field == "enterprise").any() and (orgs.field == "agency").any()
    firms = t["economic_org"]
    assert firms.party_org_id[firms.kind == "cooperative"].notna().any()


def test_groups_without_party_members(t):
    homes = t["household"].set_index("id")
    with_members = set(homes.group_id[t["party_member"].household_id.dropna().astype(int)])
    empty = set(t["village_group"].id) - with_members
    assert 1 <= len(empty) <= 0.05 * len(t["village_group"])


def test_committee_gaps(t):
    orgs = t["party_org"].set_index("id")
    full = _full_members(t)
    branches = orgs[orgs.org_type == "branch"]
    sizes = full.reindex(branches.index).fillna(0)
    no_committee = branches[(sizes >= 7) & (branches.committee_size == 0)]
    six_with_committee = branches[(sizes == 6) & (branches.committee_size > 0)]
    assert len(no_committee) == 1 and len(six_with_committee) == 1
    # Everywhere else the rule holds.
    rest = branches.drop(no_committee.index.union(six_with_committee.index))
    rest = rest[rest.field != "agency"]
    assert ((sizes[rest.index] >= 7) == (rest.committee_size > 0)).all()


def test_a_large_dispersed_branch_left_whole(t):
    orgs, members = t["party_org"], t["party_member"]
    homes = t["household"].set_index("id")
    with_groups = set(orgs.parent_id[orgs.org_type == "party_group"].dropna())
    found = []
    for org in orgs[(orgs.org_type == "branch") & orgs.village_id.notna()].itertuples():
        mine = members.household_id[members.party_org_id == org.id].dropna().astype(int)
        if len(mine) > 30 and org.id not in with_groups:
            xy = shapely.get_coordinates(homes.geom[mine].to_numpy()) * METRES_PER_DEGREE
            found.append(np.ptp(xy, axis=0).max())
    assert found and max(found) > 3000


def test_venues_vary(t):
    orgs = t["party_org"].dropna(subset=["venue"])
    assert (orgs.venue_area_m2 < 120).sum() >= 5 and (orgs.venue_area_m2 >= 120).sum() >= 5
    items = orgs[list(EIGHT_HAVES)].sum(axis=1)
    assert items.min() < 4 and items.max() == 8
    six = orgs[list(SIX_HAVES)].sum(axis=1)
    assert six.min() < 3 and six.max() == 6
    tops = orgs[orgs.org_type.isin(["party_committee", "general_branch"]) & orgs.village_id.notna()]
    roads = shapely.union_all(t["road"].geom.to_numpy())
    assert (shapely.distance(tops.venue.to_numpy(), roads) * METRES_PER_DEGREE[1] < 20).mean() > 0.8


def test_above_scale_firms_some_without_party_org(t):
    firms = t["economic_org"]
    above = firms[firms.above_scale]
    assert len(above) >= 3
    assert above.party_org_id.isna().sum() >= 1 and above.party_org_id.notna().sum() >= 1


def test_leaders_gua_dian_one_village_but_one(t):
    cadres, posts = t["cadre"], t["cadre_village"]
    leaders = cadres[cadres.cadre_role == "township_leader"]
    assert 7 <= len(leaders) <= 9
    per_leader = posts[posts.assignment == "gua_dian"].cadre_id.value_counts().reindex(leaders.id).fillna(0)
    assert sorted(per_leader.tolist()) == [0] + [1] * (len(leaders) - 1)
    assert set(cadres.cadre_role) == {
        "township_secretary",
        "township_leader",
        "township_cadre",
        "village_secretary",
        "village_cadre",
        "first_secretary",
        "work_team",
        "grid_worker",
    }
    assert (posts.assignment == "bao_cun").sum() >= len(t["village"])


def test_first_secretaries_in_designated_villages_but_one(t):
    villages = t["village"]
    flags = ["is_poverty_alleviated", "is_revitalization_focus", "is_weak_org"]
    designated = villages[villages[flags].any(axis=1)]
    posts = t["cadre_village"]
    served = set(posts.village_id[posts.assignment == "first_secretary"])
    assert served < set(designated.id) and len(set(designated.id) - served) == 1


def test_a_year_of_visits_with_gaps(t):
    visits, homes = t["visit"], t["household"]
    end = datetime(2026, 7, 1, tzinfo=timezone(timedelta(hours=8)))
    times = visits.visited_at
    assert min(times) >= end - timedelta(days=366) and max(times) < end
    assert set(visits.kind) == {"routine", "must_visit", "event"}
    assert 0.005 < visits.flagged.mean() < 0.05
    must = homes[
        homes[["hardship", "critically_ill", "empty_nest_elderly", "left_behind_children", "petitioner"]].any(axis=1)
    ]
    seen = visits[visits.kind == "must_visit"].household_id.value_counts().reindex(must.id).fillna(0)
    assert (seen >= 8).mean() > 0.6 and (seen <= 3).sum() > 0
    assert 0.6 < homes.id.isin(visits.household_id).mean() < 1.0
    assert visits.group_id.notna().sum() > 0


def test_events_attended_late_or_not_at_all(t):
    events = t["event"]
    attended = events.dropna(subset=["attended_at"])
    late = attended[attended.attended_at > attended.attend_by]
    assert len(events) > 100 and set(events.event_type) == {"grievance", "emergency", "dispute", "bereavement_hardship"}
    assert 0.7 < len(attended) / len(events) < 0.98 and len(late) > 0
    assert (events.status == "reported").sum() == len(events) - len(attended)
