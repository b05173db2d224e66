"""A generated township for property tests of the grid edits: village 甲 of a generated shape
(a box, an L, a blob, or two islands) with hamlets of households, some at one spot, in village groups, maybe
crossed by a road; and a small neighbouring village 乙, so that edits can try to cross."""

from dataclasses import dataclass

import numpy as np
import shapely
from hypothesis import strategies as st

from gridmgmt.db.models import Household, Road, Township, Village, VillageGroup
from gridmgmt.domain.grid_rules import GridRules
from gridmgmt.network.frame import TownshipFrame

TOWN = "441624188000"
VILLAGE, NEIGHBOUR = "441624188201", "441624188202"
PLANE = TownshipFrame(115.70, 23.90).plane


@dataclass(frozen=True)
class VillageSpec:
    """What the generated village looks like; SEED draws the positions."""

    seed: int
    households: int
    hamlets: int
    groups: int
    shape: str
    same_spot: int  # households placed on another's spot
    must_visit: float  # share of 必访 households
    road: bool


village_specs = st.builds(
    VillageSpec,
    seed=st.integers(0, 2**32 - 1),
    households=st.integers(2, 50),
    hamlets=st.integers(1, 4),
    groups=st.integers(1, 3),
    shape=st.sampled_from(["box", "L", "blob", "islands"]),
    same_spot=st.integers(0, 4),
    must_visit=st.sampled_from([0.0, 0.1, 0.3]),
    road=st.booleans(),
)


# Small cells, so that a village of up to 50 households gets one to several; tight bounds refuse most
# splits and merges, loose ones let them through.
def _rules(target: int, band: tuple[float, float]) -> GridRules:
    return GridRules(target=target, min_workload=round(target * band[0]), max_workload=round(target * band[1]))


grid_rules = st.builds(_rules, st.integers(8, 16), st.sampled_from([(0.3, 2.5), (0.6, 1.6)]))


def _outline(spec: VillageSpec, rng):
    """The village in metres, within 0–1200 m each way: a polygon, or two for islands."""
    w, h = rng.uniform(300, 1200, 2)
    if spec.shape == "box":
        return shapely.box(0, 0, w, h)
    if spec.shape == "L":
        return shapely.union(shapely.box(0, 0, w, h / 3), shapely.box(0, 0, w / 3, h))
    if spec.shape == "islands":
        return shapely.MultiPolygon([shapely.box(0, 0, w * 0.4, h), shapely.box(w * 0.6, 0, w, h)])
    blobs = [shapely.Point(rng.uniform(150, 900, 2)).buffer(rng.uniform(150, 300), 8) for _ in range(3)]
    return max(shapely.get_parts(shapely.union_all(blobs)), key=lambda p: p.area)


def _homes(spec: VillageSpec, village, rng) -> tuple[np.ndarray, np.ndarray]:
    """(positions in metres, hamlet of each): strictly inside the village, some on one spot."""
    inner = village.buffer(-2)
    x0, y0, x1, y1 = inner.bounds
    centres = []
    while len(centres) < spec.hamlets:
        p = rng.uniform([x0, y0], [x1, y1])
        if inner.contains(shapely.Point(p)):
            centres.append(p)
    xy, hamlet = [], []
    while len(xy) < max(1, spec.households - spec.same_spot):
        h = rng.integers(spec.hamlets)
        p = np.round(centres[h] + rng.normal(0, rng.uniform(20, 120), 2), 1)
        if inner.contains(shapely.Point(p)):
            xy.append(p)
            hamlet.append(h)
    for i in rng.integers(len(xy), size=spec.households - len(xy)):
        xy.append(xy[i])
        hamlet.append(hamlet[i])
    return np.array(xy), np.array(hamlet)


def _ewkt(geom_metres) -> str:
    return f"SRID=4326;{PLANE.to_degrees(geom_metres).wkt}"


def build(session, spec: VillageSpec) -> None:
    """Insert the township of SPEC: village 甲 as generated, 乙 east of it with 6 households."""
    rng = np.random.default_rng(spec.seed)
    village = _outline(spec, rng)
    xy, hamlet = _homes(spec, village, rng)
    east = village.bounds[2]
    neighbour = shapely.box(east, 0, east + 300, 300)
    town = Township(
        code=TOWN, name="性质镇", geom=_ewkt(shapely.MultiPolygon([shapely.box(-10, -10, east + 310, 1300)]))
    )
    session.add(town)
    session.flush()
    villages = [
        Village(
            township_id=town.id, code=code, name=name, geom=_ewkt(shapely.multipolygons(shapely.get_parts(outline)))
        )
        for code, name, outline in [(VILLAGE, "甲村", village), (NEIGHBOUR, "乙村", neighbour)]
    ]
    session.add_all(villages)
    session.flush()
    groups = [
        VillageGroup(
            village_id=villages[0].id,
            code=f"{VILLAGE}{g + 1:02d}",
            name=f"{g + 1}组",
            geom=_ewkt(shapely.Point(xy[hamlet % spec.groups == g].mean(axis=0))),
        )
        for g in range(spec.groups)
        if (hamlet % spec.groups == g).any()
    ]
    groups.append(
        VillageGroup(village_id=villages[1].id, code=f"{NEIGHBOUR}01", name="1组", geom=_ewkt(neighbour.centroid))
    )
    session.add_all(groups)
    session.flush()
    group_of = {int(g.code[-2:]) - 1: g for g in groups[:-1]}
    must = rng.random(len(xy)) < spec.must_visit
    session.add_all(
        [
            Household(
                village_id=villages[0].id,
                group_id=group_of[h % spec.groups].id,
                code=f"{VILLAGE}H{i:03d}",
                head=f"户主{i}",
                hardship=bool(m),
                geom=_ewkt(shapely.Point(p)),
            )
            for i, (p, h, m) in enumerate(zip(xy, hamlet, must))
        ]
    )
    session.add_all(
        [
            Household(
                village_id=villages[1].id,
                group_id=groups[-1].id,
                code=f"{NEIGHBOUR}H{i:03d}",
                head=f"邻户{i}",
                geom=_ewkt(shapely.Point(east + 50 + 40 * i, 150)),
            )
            for i in range(6)
        ]
    )
    if spec.road:
        ends = rng.uniform([0, 0], village.bounds[2:], (2, 2))
        session.add(Road(township_id=town.id, code="R1", road_class="village", geom=_ewkt(shapely.LineString(ends))))
    session.commit()
