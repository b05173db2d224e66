"""A tiny township on PostGIS for the visit tests: one village, two groups, roads, cadres."""

from datetime import date

from gridmgmt.db.models import Cadre, CadreVillage, Household, Road, Township, Village, VillageGroup
from gridmgmt.domain.duties import AttendRules, Term
from gridmgmt.network.topology import build_topology
from gridmgmt.services.visits.settings import VisitSettings

TOWN = "441624100000"
# The documents' defaults: Asia/Shanghai dates, the term from 1 October 2021, flagged beyond
# 300 m, 24 hours to attend any event.
SETTINGS = VisitSettings("Asia/Shanghai", Term(), 300.0, AttendRules())
BOX = "MULTIPOLYGON(((115.70 23.90, 115.74 23.90, 115.74 23.92, 115.70 23.92, 115.70 23.90)))"
WEST = "POLYGON((115.70 23.90, 115.72 23.90, 115.72 23.92, 115.70 23.92, 115.70 23.90))"
EAST = "POLYGON((115.72 23.90, 115.74 23.90, 115.74 23.92, 115.72 23.92, 115.72 23.90))"
# Households along the road y = 23.91 every 0.002° (about 204 m) from 115.702 to 115.738.
HOUSEHOLD_XS = [round(115.702 + 0.002 * k, 3) for k in range(19)]


def _geom(wkt: str) -> str:
    return f"SRID=4326;{wkt}"


def build(session, flagged=(2, 5)) -> dict:
    """Create the township and commit; returns the ids tests need.

    Households 1…19 sit 10 m north of an east–west road; FLAGGED (1-based) are hardship.
    """
    town = Township(code=TOWN, name="测试镇", geom=_geom(BOX), seat=_geom("POINT(115.701 23.9105)"))
    session.add(town)
    session.flush()
    village = Village(township_id=town.id, code="441624100201", name="测试村", geom=_geom(BOX))
    session.add(village)
    session.flush()
    groups = [
        VillageGroup(village_id=village.id, code=f"44162410020100{k}", name=f"{k}组", geom=_geom(g))
        for k, g in ((1, WEST), (2, EAST))
    ]
    session.add_all(groups)
    session.flush()
    homes = [
        Household(
            village_id=village.id,
            group_id=groups[0 if x < 115.72 else 1].id,
            code=f"H{k + 1:03d}",
            head=f"户主{k + 1}",
            hardship=(k + 1) in flagged,
            geom=_geom(f"POINT({x} 23.9101)"),
        )
        for k, x in enumerate(HOUSEHOLD_XS)
    ]
    session.add_all(homes)
    xs = [115.700] + HOUSEHOLD_XS + [115.740]
    session.add_all(
        Road(code=f"R{k}", road_class="village", geom=_geom(f"LINESTRING({a} 23.91, {b} 23.91)"))
        for k, (a, b) in enumerate(zip(xs, xs[1:]))
    )
    session.flush()
    cadres = {
        role: Cadre(
            township_id=town.id, code=f"C{k}", name=f"干部{k}", cadre_role=role, home=_geom("POINT(115.701 23.9101)")
        )
        for k, role in enumerate(["township_cadre", "grid_worker", "township_secretary", "first_secretary"])
    }
    cadres["grid_worker"].household_id = homes[0].id  # lives in the village
    session.add_all(cadres.values())
    session.flush()
    session.add(
        CadreVillage(
            cadre_id=cadres["township_cadre"].id,
            village_id=village.id,
            assignment="bao_cun",
            start_date=date(2020, 1, 1),
        )
    )
    build_topology(session)
    session.commit()
    return {
        "township": town,
        "village": village,
        "groups": groups,
        "households": homes,
        "cadres": {role: c.id for role, c in cadres.items()},
    }
