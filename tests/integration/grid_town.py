"""A small hand-made township for the grid tests: two villages, three groups, one road.

Village A (west, 115.700–115.710 °E) has groups A1 and A2 of 170 households each,
around two hamlets; village B (east) has 80 households in group B1. Grid workers live
in A1 and A2, a 村干部 in B; ten party members live in A and two in B.
"""

import numpy as np

from gridmgmt.db.models import (
    Cadre,
    Household,
    PartyMember,
    PartyOrg,
    Road,
    Township,
    Village,
    VillageGroup,
)
from gridmgmt.network.topology import build_topology

TOWN = "441624199000"
LAT0, LAT1 = 23.900, 23.910


def _box(x0, x1, y0=LAT0, y1=LAT1):
    return f"SRID=4326;MULTIPOLYGON((({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0})))"


def _point(x, y):
    return f"SRID=4326;POINT({x:.7f} {y:.7f})"


def build(session) -> dict:
    """Insert the township; returns {'A': [household ids], 'B': [...], 'codes': {...}}."""
    rng = np.random.default_rng(7)
    town = Township(code=TOWN, name="网格镇", geom=_box(115.70, 115.72))
    session.add(town)
    session.flush()
    va = Village(township_id=town.id, code="441624199201", name="甲村", geom=_box(115.70, 115.71))
    vb = Village(township_id=town.id, code="441624199202", name="乙村", geom=_box(115.71, 115.72))
    session.add_all([va, vb])
    session.flush()
    groups = {
        "A1": VillageGroup(village_id=va.id, code="44162419920101", name="一组", geom=_box(115.70, 115.705)),
        "A2": VillageGroup(village_id=va.id, code="44162419920102", name="二组", geom=_box(115.705, 115.71)),
        "B1": VillageGroup(village_id=vb.id, code="44162419920201", name="一组", geom=_box(115.71, 115.72)),
    }
    session.add_all(groups.values())
    session.add_all(
        [
            Road(
                township_id=town.id,
                code="R1",
                road_class="village",
                geom="SRID=4326;LINESTRING(115.701 23.905, 115.7075 23.905)",
            ),
            Road(
                township_id=town.id,
                code="R2",
                road_class="village",
                geom="SRID=4326;LINESTRING(115.7075 23.905, 115.715 23.905)",
            ),
        ]
    )
    session.flush()
    homes = {}
    for key, village, centre, n in [
        ("A1", va, (115.7025, 23.905), 170),
        ("A2", va, (115.7075, 23.905), 170),
        ("B1", vb, (115.715, 23.905), 80),
    ]:
        xy = np.clip(
            np.asarray(centre) + rng.normal(0, 0.0008, (n, 2)),
            [centre[0] - 0.0024, LAT0 + 0.0002],
            [centre[0] + 0.0024, LAT1 - 0.0002],
        )
        rows = [
            Household(
                village_id=village.id,
                group_id=groups[key].id,
                code=f"{groups[key].code}{i:03d}",
                head=f"户主{key}{i}",
                hardship=bool(i % 10 == 0),
                geom=_point(*p),
            )
            for i, p in enumerate(xy)
        ]
        session.add_all(rows)
        session.flush()
        homes[key] = rows
    org = PartyOrg(township_id=town.id, code="D1", name="镇党委", org_type="party_committee")
    session.add(org)
    session.flush()
    members = [
        PartyMember(party_org_id=org.id, household_id=h.id, code=f"M{h.code}", name="党员")
        for h in homes["A1"][:5] + homes["A2"][:5] + homes["B1"][:2]
    ]
    session.add_all(members)
    session.add_all(
        [
            Cadre(
                township_id=town.id,
                household_id=homes["A1"][0].id,
                code="G1",
                name="网格员甲",
                cadre_role="grid_worker",
            ),
            Cadre(
                township_id=town.id,
                household_id=homes["A2"][0].id,
                code="G2",
                name="网格员乙",
                cadre_role="grid_worker",
            ),
            Cadre(
                township_id=town.id,
                household_id=homes["B1"][5].id,
                code="G3",
                name="村干部丙",
                cadre_role="village_cadre",
            ),
        ]
    )
    build_topology(session)
    session.commit()
    return homes
