"""The demo generator: deterministic, tiled without gaps, connected roads, believable people."""

from datetime import date

import numpy as np
import pandas as pd
import pytest
import shapely

from geodata.demo import FOREIGN_KEYS, TABLES, generate

UNTIL = date(2026, 7, 1)


@pytest.fixture(scope="module")
def small():
    """A quick township: 6 villages, about 2,000 households."""
    return generate(seed=7, until=UNTIL, villages=6, households=2000).tables


@pytest.fixture(scope="module")
def full():
    """The default township (about 20 villages, 10,000 households)."""
    return generate(seed=1, until=UNTIL).tables


def _components(lines) -> int:
    """Connected components of a line network whose edges meet at shared end points."""
    ends = np.vstack([shapely.get_coordinates(shapely.get_point(lines, i)) for i in (0, -1)])
    _, node = np.unique(ends.round(9), axis=0, return_inverse=True)
    node = node.ravel()
    parent = np.arange(node.max() + 1)

    def root(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for a, b in zip(node[: len(lines)], node[len(lines) :]):
        parent[root(a)] = root(b)
    return len({root(a) for a in range(len(parent))})


def test_same_seed_same_data_other_seed_other_data():
    one = generate(seed=3, until=UNTIL, villages=4, households=600).tables
    two = generate(seed=3, until=UNTIL, villages=4, households=600).tables
    other = generate(seed=4, until=UNTIL, villages=4, households=600).tables
    for name in TABLES:
        pd.testing.assert_frame_equal(one[name], two[name])
    assert not one["household"]["head"].equals(other["household"]["head"])


def test_foreign_keys_point_at_existing_rows(small):
    for table, keys in FOREIGN_KEYS.items():
        for column, target in keys.items():
            values = small[table][column].dropna().astype(int)
            assert values.isin(small[target].id).all(), f"{table}.{column}"
    for name in TABLES:
        assert small[name].id.is_unique


def _assert_tiles(cells, whole, tolerance):
    cells = np.asarray(cells)
    assert shapely.is_valid(cells).all()
    union = shapely.union_all(cells)
    assert shapely.area(shapely.symmetric_difference(union, whole)) < tolerance * whole.area
    overlap = sum(shapely.area(shapely.intersection(cells[i], cells[i + 1 :])).sum() for i in range(len(cells)))
    assert overlap < tolerance * whole.area


def test_villages_tile_the_township_and_groups_tile_villages(small):
    township = small["township"].geom.iat[0]
    _assert_tiles(small["village"].geom, township, 1e-7)
    for village in small["village"].itertuples():
        _assert_tiles(small["village_group"].geom[small["village_group"].village_id == village.id], village.geom, 1e-7)


def test_households_lie_in_their_group_and_village(small):
    homes = small["household"]
    groups = small["village_group"].set_index("id").geom
    villages = small["village"].set_index("id").geom
    assert shapely.contains(groups[homes.group_id].to_numpy(), homes.geom.to_numpy()).all()
    assert shapely.contains(villages[homes.village_id].to_numpy(), homes.geom.to_numpy()).all()


def test_codes_follow_the_statistical_division_scheme(small):
    assert small["township"].code.iat[0] == "441624100000"
    assert small["village"].code.str.fullmatch(r"441624100(001|2\d\d)").all()
    groups = small["village_group"].merge(small["village"], left_on="village_id", right_on="id")
    assert (groups.code_x.str[:12] == groups.code_y).all() and (groups.code_x.str.len() == 14).all()
    assert small["household"].code.str.len().eq(17).all() and small["household"].code.is_unique


def test_road_network_is_connected_and_reaches_every_hamlet(small):
    roads = small["road"]
    assert _components(roads.geom.to_numpy()) == 1
    assert set(roads.road_class) == {"county", "township", "village"}
    network = shapely.union_all(roads.geom.to_numpy())
    seat = small["township"].seat.iat[0]
    ends = shapely.get_coordinates(shapely.boundary(roads.geom.to_numpy()))
    assert np.hypot(*(ends - seat.coords[0]).T).min() < 1e-7  # the seat is a road vertex
    # Every group has a hamlet within ~300 m of a road.
    homes = small["household"]
    nearest = homes.groupby("group_id").geom.apply(lambda g: shapely.distance(g.to_numpy(), network).min())
    assert nearest.max() < 0.003


def test_member_share_and_party_households(full):
    homes, members = full["household"], full["party_member"]
    residents = homes.member_count.sum()
    assert 3.2 < residents / len(homes) < 3.8
    assert 9_000 <= len(homes) <= 11_000
    assert 0.05 <= members.household_id.notna().sum() / residents <= 0.07
    assert 0.05 <= len(members) / residents <= 0.07
    with_member = homes.id.isin(members.household_id.dropna())
    assert (homes.is_party_household == with_member).all()
    assert homes.is_party_center_household.sum() > 0
    assert not (homes.is_party_center_household & ~homes.is_party_household).any()
    links = full["liaison"].merge(members, left_on="party_member_id", right_on="id")
    group = homes.set_index("id").group_id
    assert len(links) > 1000
    assert (group[links.household_id_x].to_numpy() == group[links.household_id_y.astype(int)].to_numpy()).all()


def test_must_visit_flags_at_plausible_rates(full):
    rates = full["household"][
        ["hardship", "critically_ill", "empty_nest_elderly", "left_behind_children", "petitioner"]
    ].mean()
    expected = {
        "hardship": 0.04,
        "critically_ill": 0.015,
        "empty_nest_elderly": 0.06,
        "left_behind_children": 0.03,
        "petitioner": 0.005,
    }
    for flag, rate in expected.items():
        assert rate * 0.6 < rates[flag] < rate * 1.4, flag
