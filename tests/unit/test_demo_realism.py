"""The demo looks like a real township of 和平县 (issue 13): inside its county, a national road through it,
and the proportions a township's data has."""

from functools import lru_cache

import pytest
import shapely

from geodata.demo import generate
from geodata.demo.township import COUNTY_NAME, NATIONAL_ROAD

# 和平县 (441624) spans about 114.7–115.2°E and 24.1–24.6°N.
COUNTY_BOX = shapely.box(114.7, 24.1, 115.2, 24.6)


@lru_cache(maxsize=1)
def _demo():
    return generate().tables


def _branch_sizes(tables):
    """Members of each branch, its 党小组's included, and the branches that have 党小组."""
    orgs, members = tables["party_org"].set_index("id"), tables["party_member"]
    in_group = orgs.org_type[members.party_org_id].to_numpy() == "party_group"
    branch = members.party_org_id.where(~in_group, orgs.parent_id[members.party_org_id].to_numpy())
    sizes = branch.value_counts()
    sizes = sizes[orgs.org_type[sizes.index].isin(["branch", "temporary_branch"]).to_numpy()]
    with_groups = set(orgs.parent_id[orgs.org_type == "party_group"].dropna().astype(int))
    return sizes, with_groups


def test_the_township_lies_in_its_county_with_a_national_road_through_it():
    tables = _demo()
    township = tables["township"].iloc[0]
    assert township.county == COUNTY_NAME == "和平县"
    assert COUNTY_BOX.contains(township.geom) and COUNTY_BOX.contains(township.seat)
    national = tables["road"][tables["road"].road_class == "national"]
    assert set(national.name) == {NATIONAL_ROAD}
    trunk = shapely.line_merge(shapely.union_all(national.geom.to_numpy()))
    # It enters and leaves the township (both ends on its edge) and passes the seat.
    assert trunk.geom_type == "LineString"
    for end in (trunk.coords[0], trunk.coords[-1]):
        assert township.geom.boundary.distance(shapely.Point(end)) < 1e-6
    assert trunk.distance(township.seat) < 1e-6


def test_party_members_are_about_four_in_a_hundred_residents():
    tables = _demo()
    residents = tables["household"].member_count.sum()
    assert 0.035 <= len(tables["party_member"]) / residents <= 0.045


def test_a_quarter_of_members_are_women_and_one_in_seven_works_away():
    members = _demo()["party_member"]
    assert 0.20 <= (members.gender == "女").mean() <= 0.30
    assert 0.10 <= members.is_mobile.mean() <= 0.20


def test_a_fifth_of_households_are_empty_nests():
    assert 0.15 <= _demo()["household"].empty_nest_elderly.mean() <= 0.25


@pytest.mark.parametrize("above", [15])
def test_branches_over_about_fifteen_members_have_party_groups(above):
    sizes, with_groups = _branch_sizes(_demo())
    large = sizes[sizes > above].index
    assert len(large) >= 10
    # The deliberate gaps (one dispersed village branch never split, the 机关党支部) may lack them.
    assert sum(b in with_groups for b in large) >= 0.85 * len(large)
    assert not any(b in with_groups for b in sizes[sizes <= 8].index)
