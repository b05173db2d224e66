"""Allocation prefers a river as a cell edge, the way it prefers roads.

A hand-made village (2 km east–west, 1.1 km north–south, one village group) of 300 households
spread evenly on both banks of a river along its middle: two cells. Without the river the most
compact cut runs north–south and mixes the banks; with it the cells follow the river.
"""

import numpy as np
from sqlalchemy import text

from gridmgmt.db.models import Household, Township, Village, VillageGroup, Water
from gridmgmt.domain.grid_rules import GridRules
from gridmgmt.services.accounts.actors import Actor
from gridmgmt.services.grids.allocation import allocate_township

TOWN = "441624198000"
WEST, EAST, SOUTH, NORTH = 115.70, 115.72, 23.900, 23.910
RIVER_LAT = 23.905
BANK_GAP = 0.0003  # no house stands within about 30 m of the water


def _box() -> str:
    return f"SRID=4326;MULTIPOLYGON((({WEST} {SOUTH},{EAST} {SOUTH},{EAST} {NORTH},{WEST} {NORTH},{WEST} {SOUTH})))"


def _village(session) -> int:
    """The township, its village and group, and 300 households on both banks; returns the township id."""
    rng = np.random.default_rng(11)
    town = Township(code=TOWN, name="水网镇", geom=_box())
    session.add(town)
    session.flush()
    village = Village(township_id=town.id, code="441624198201", name="河村", geom=_box())
    session.add(village)
    session.flush()
    group = VillageGroup(village_id=village.id, code="44162419820101", name="一组", geom=_box())
    session.add(group)
    session.flush()
    lon = rng.uniform(WEST + 0.0003, EAST - 0.0003, 300)
    lat = rng.uniform(SOUTH + 0.0003, RIVER_LAT - BANK_GAP, 300)
    lat[::2] += RIVER_LAT - SOUTH  # every other house on the north bank
    session.add_all(
        Household(
            village_id=village.id,
            group_id=group.id,
            code=f"HH{i:03d}",
            head=f"户主{i}",
            geom=f"SRID=4326;POINT({x} {y})",
        )
        for i, (x, y) in enumerate(zip(lon, lat))
    )
    session.commit()
    return town.id


def _mixed_cells(session, plan_id: int) -> int:
    """Cells of the plan holding households of both banks."""
    return session.execute(
        text(
            "SELECT count(*) FROM (SELECT m.cell_id FROM grid_membership m JOIN household h ON h.id = m.household_id"
            " WHERE m.plan_id = :plan GROUP BY m.cell_id"
            " HAVING bool_or(ST_Y(h.geom) > :lat) AND bool_or(ST_Y(h.geom) < :lat)) mixed"
        ),
        {"plan": plan_id, "lat": RIVER_LAT},
    ).scalar_one()


def test_a_planted_river_becomes_the_edge_between_cells(session):
    tid = _village(session)
    actor, rules = Actor("tester"), GridRules()
    without = allocate_township(session, TOWN, "无河", rules, actor=actor)
    assert without.cells == 2
    assert _mixed_cells(session, without.plan_id) == 2  # the compact cut runs across the water
    river = f"SRID=4326;LINESTRING({WEST - 0.001} {RIVER_LAT}, {EAST + 0.001} {RIVER_LAT})"
    session.add(Water(township_id=tid, code="HL1", name="小河", kind="river", geom=river))
    session.commit()
    with_river = allocate_township(session, TOWN, "有河", rules, actor=actor)
    assert with_river.cells == 2
    assert _mixed_cells(session, with_river.plan_id) == 0


def test_a_pond_counts_by_its_banks(session):
    """A reservoir filling the middle strip separates the banks as a river does."""
    tid = _village(session)
    strip = (
        f"SRID=4326;MULTIPOLYGON((({WEST - 0.001} {RIVER_LAT - 0.0001},{EAST + 0.001} {RIVER_LAT - 0.0001},"
        f"{EAST + 0.001} {RIVER_LAT + 0.0001},{WEST - 0.001} {RIVER_LAT + 0.0001},{WEST - 0.001} {RIVER_LAT - 0.0001})))"
    )
    session.add(Water(township_id=tid, code="SK1", name="水库", kind="reservoir", geom=strip))
    session.commit()
    report = allocate_township(session, TOWN, "有库", GridRules(), actor=Actor("tester"))
    assert report.cells == 2 and _mixed_cells(session, report.plan_id) == 0
