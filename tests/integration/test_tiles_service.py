"""Vector tiles from PostGIS: attributes, positions, scope, filters and the index."""

import math
import re

import mapbox_vector_tile
import pytest
from sqlalchemy import select, text

from gridmgmt.db.models import GridCell, GridPlan, Household, Village
from gridmgmt.domain.permissions import Scope
from gridmgmt.services.mapdata.tiles import (
    EXTENT,
    InvalidTile,
    TileAddress,
    UnknownLayer,
    parse_address,
    render_tile,
    tile_at,
    tile_layer,
    tile_statement,
)
from tests.web.sample import add_small_township

EVERYTHING = Scope(township_ids=None)


def lonlat_of(address: TileAddress, px: float, py: float) -> tuple[float, float]:
    """LON/LAT of tile pixel PX, PY (y up, as decoded) in ADDRESS."""
    n = 2**address.z
    lon = (address.x + px / EXTENT) / n * 360 - 180
    merc_y = math.pi * (1 - 2 * (address.y + 1 - py / EXTENT) / n)
    return lon, math.degrees(math.atan(math.sinh(merc_y)))


def _decode(data: bytes) -> dict:
    return mapbox_vector_tile.decode(data)


@pytest.fixture
def township(session):
    add_small_township(session)


def test_household_tile_carries_ids_only_and_lands_in_place(session, township):
    address = tile_at(115.75, 23.89, 14)
    layer = _decode(render_tile(session, tile_layer("households"), address, EVERYTHING))
    features = {f["id"]: f for f in layer["households"]["features"]}
    household = session.scalars(select(Household).where(Household.code == "44150010020202001")).one()
    feature = features[household.id]
    assert feature["properties"] == {}  # the map fetches the code on hover
    lon, lat = lonlat_of(address, *feature["geometry"]["coordinates"])
    assert abs(lon - 115.75) < 1e-4 and abs(lat - 23.89) < 1e-4


def test_tiles_never_carry_sensitive_flags(session, township):
    address = tile_at(115.73, 23.90, 12)
    data = render_tile(session, tile_layer("households"), address, EVERYTHING)
    features = _decode(data)["households"]["features"]
    assert len(features) == 5
    for flag in ("hardship", "critically_ill", "empty_nest_elderly", "left_behind_children", "petitioner", "head"):
        assert flag.encode() not in data
        assert all(flag not in f["properties"] for f in features)


def test_empty_tile_is_empty_bytes(session, township):
    assert render_tile(session, tile_layer("households"), TileAddress(14, 0, 0), EVERYTHING) == b""


def test_grid_worker_scope_keeps_only_their_village(session, township):
    east = session.scalars(select(Village.id).where(Village.name == "东村")).one()
    scope = Scope(township_ids=None, village_ids=frozenset({east}))
    data = render_tile(session, tile_layer("households"), tile_at(115.73, 23.90, 12), scope)
    ids = {f["id"] for f in _decode(data)["households"]["features"]}
    assert ids == set(session.scalars(select(Household.id).where(Household.village_id == east)))


def test_a_scope_without_households_gets_none(session, township):
    no_households = Scope(township_ids=None, households=False)
    assert render_tile(session, tile_layer("households"), tile_at(115.73, 23.90, 12), no_households) == b""


def test_road_and_group_tiles(session, township):
    address = tile_at(115.72, 23.90, 12)
    roads = _decode(render_tile(session, tile_layer("roads"), address, EVERYTHING))["roads"]["features"]
    assert {f["properties"]["name"] for f in roads} == {"县道101", "西村路"}  # not 邻镇村道
    assert all(f["properties"]["road_class"] in ("county", "village") for f in roads)
    groups = _decode(render_tile(session, tile_layer("village_groups"), address, EVERYTHING))
    assert len(groups["village_groups"]["features"]) == 4
    villages = _decode(render_tile(session, tile_layer("villages"), address, EVERYTHING))["villages"]
    assert {f["properties"]["name"] for f in villages["features"]} == {"东村", "西村"}


def test_road_tiles_draw_the_main_roads_last(session, township):
    roads = _decode(render_tile(session, tile_layer("roads"), tile_at(115.72, 23.90, 12), EVERYTHING))
    classes = [f["properties"]["road_class"] for f in roads["roads"]["features"]]
    assert classes == ["village", "county"]


def test_grid_cell_tiles_show_only_published_plans(session, township):
    village = session.scalars(select(Village).where(Village.name == "西村")).one()
    for status in ("draft", "published"):
        plan = GridPlan(township_id=village.township_id, name=status, status=status)
        session.add(plan)
        session.flush()
        session.add(GridCell(plan_id=plan.id, village_id=village.id, code=f"G-{status}", geom=village.geom))
    session.commit()
    data = render_tile(session, tile_layer("grid_cells"), tile_at(115.72, 23.90, 12), EVERYTHING)
    codes = [f["properties"]["code"] for f in _decode(data)["grid_cells"]["features"]]
    assert codes == ["G-published"]


def test_unknown_layer():
    with pytest.raises(UnknownLayer, match="没有名为 parcels 的图层"):
        tile_layer("parcels")


@pytest.mark.parametrize(
    "zxy, message",
    [
        (("a", "0", "0"), "整数"),
        (("23", "0", "0"), "0–22"),
        (("-1", "0", "0"), "0–22"),
        (("2", "4", "0"), "0–3"),
        (("2", "0", "-1"), "0–3"),
    ],
)
def test_invalid_addresses(zxy, message):
    with pytest.raises(InvalidTile, match=message):
        parse_address(*zxy)


def test_parse_address_accepts_the_corners():
    assert parse_address("3", "7", "0") == TileAddress(3, 7, 0)


def test_tile_query_uses_the_geometry_index(session, township):
    statement = tile_statement(tile_layer("households"), tile_at(115.75, 23.89, 14), EVERYTHING)
    sql = statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
    # With five rows the planner would rather scan; forbidding that shows the filter
    # can use the index at all (it could not if the column were transformed).
    session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(session.execute(text(f"EXPLAIN {sql}")).scalars())
    session.rollback()
    assert re.search(r"Index Scan (using|on) idx_household_geom", plan), plan
    assert "Seq Scan on household" not in plan


def test_tile_at_known_tiles():
    assert tile_at(0.0, 0.0, 1) == TileAddress(1, 1, 1)
    assert tile_at(115.72, 23.905, 12) == TileAddress(12, 3364, 1767)
    assert tile_at(-179.9, 85.0, 3) == TileAddress(3, 0, 0)
    # Longitude 180 and the southern Mercator edge are on the last tile, not one past it.
    assert tile_at(180.0, 0.0, 0) == TileAddress(0, 0, 0)
    assert tile_at(180.0, -85.0511287798066, 3) == TileAddress(3, 7, 7)
