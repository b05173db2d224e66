"""Cells along the river: on the demo township (its river 浰江 crosses it west to east), the
villages the river crosses are allocated with the water as preferred cell edges and without
(the same township with its waters left out), same rules, same run.

Reported: the share of the cells' inner edges (cell against cell, not the village outline)
that lie within NEAR_M of the river, and the share of the river (inside those villages) that
has a cell edge within NEAR_M. Targets: with the preference the river is a cell edge no less
than without; the allocation of those villages stays within TIME_LIMIT_S, and within
TIME_RATIO × the time without. Cells are whole village groups inside a ±15 % band wherever
that is possible, so the preference can only choose among the few covers the band leaves.
"""

import time
from dataclasses import replace

import numpy as np
import shapely
from sqlalchemy import select

from bench.common import Result, demo_database
from gridmgmt.analysis.grid_cells import build_mesh
from gridmgmt.analysis.grid_groups import allocate_groups
from gridmgmt.analysis.partition import site_graph
from gridmgmt.db.models import Township
from gridmgmt.db.session import make_session
from gridmgmt.domain.grid_rules import GridRules
from gridmgmt.services.grids.allocation import GridTownship, VillageCells, load_township, village_mesh

DB = "gridmgmt_bench_waters"
RULES = GridRules()
NEAR_M = 50.0
TIME_LIMIT_S = 10.0
TIME_RATIO = 1.5


def waters_database() -> str:
    """URL of the bench database holding the demo township with its river (loaded once, reused)."""
    return demo_database(DB)


def crossed_villages(town: GridTownship) -> list[int]:
    """Ids of the villages some water crosses."""
    water = shapely.union_all(town.waters)
    return [int(v.id) for v in town.villages.itertuples() if v.geom.intersects(water)]


def inner_edges(village, cells: VillageCells):
    """The cells' edges against each other inside the village (metres), without its outline."""
    edges = shapely.union_all(shapely.boundary(cells.polygons))
    return edges.difference(shapely.boundary(village).buffer(1.0))


def allocate_villages(town: GridTownship, village_ids: list[int]) -> tuple[float, list]:
    """Seconds to allocate VILLAGE_IDS of TOWN, and each village's inner cell edges."""
    start, edges = time.perf_counter(), []
    outlines = town.villages.set_index("id").geom
    for vid in village_ids:
        homes, mesh, graph = village_mesh(town, vid, RULES)
        cells = VillageCells(vid, homes, mesh, graph, allocate_groups(graph, RULES))
        edges.append(inner_edges(outlines[vid], cells))
    return time.perf_counter() - start, edges


def follow_shares(edges: list, river, area) -> tuple[float, float]:
    """(share of the inner cell EDGES within NEAR_M of RIVER, share of RIVER inside AREA within NEAR_M of an edge)."""
    all_edges = shapely.union_all(edges)
    near_river = all_edges.intersection(river.buffer(NEAR_M)).length / max(all_edges.length, 1e-9)
    inside = river.intersection(area)
    followed = inside.intersection(all_edges.buffer(NEAR_M)).length / max(inside.length, 1e-9)
    return near_river, followed


def river_edges(session) -> Result:
    """Allocate the river's villages with and without the water preference and compare."""
    tid = session.scalar(select(Township.id).order_by(Township.id).limit(1))
    town = load_township(session, tid)
    if not len(town.waters):
        raise RuntimeError(f"基准数据库 {DB} 没有水系：请删除该库后重跑（演示数据自带一条河）")
    dry = replace(town, waters=np.empty(0, dtype=object))
    villages = crossed_villages(town)
    river = shapely.union_all(town.waters)
    wet_s, wet_edges = allocate_villages(town, villages)
    dry_s, dry_edges = allocate_villages(dry, villages)
    area = shapely.union_all(town.villages.set_index("id").geom[villages].to_numpy())
    wet_share, wet_followed = follow_shares(wet_edges, river, area)
    dry_share, dry_followed = follow_shares(dry_edges, river, area)
    note = (
        f"河流穿过 {len(villages)} 个村；网格内部边界在河 {NEAR_M:.0f} 米内的比例：偏好水系 {wet_share:.1%}，"
        f"不偏好 {dry_share:.1%}；河段有网格边界相随的比例：{wet_followed:.1%} 对 {dry_followed:.1%}"
        f"（不低于不偏好 {'✓' if wet_followed >= dry_followed else '✗'}）；"
        f"用时 ≤ {TIME_LIMIT_S:.0f} 秒 {'✓' if wet_s <= TIME_LIMIT_S else '✗'}"
    )
    return Result("网格沿河分界（河流穿过的村）", wet_s, "不偏好水系", dry_s, TIME_RATIO, note)


def one_group_field() -> Result:
    """A hand-made village of one group, 2 km × 1.1 km, 300 households on both banks of a river
    along its middle: its two cells with and without the river."""
    rng = np.random.default_rng(11)
    xy = np.column_stack([rng.uniform(30, 1970, 300), rng.uniform(30, 520, 300)])
    xy[::2, 1] += 550
    village, river = shapely.box(0, 0, 2000, 1100), shapely.LineString([(-10, 550), (2010, 550)])
    mesh = build_mesh(xy, village)
    runs = {}
    for label, waters in (("wet", [river]), ("dry", [])):
        start = time.perf_counter()
        graph = site_graph(mesh, np.ones(300), np.zeros(300, int), (), waters)
        cells = VillageCells(1, None, mesh, graph, allocate_groups(graph, RULES))
        runs[label] = (time.perf_counter() - start, follow_shares([inner_edges(village, cells)], river, village))
    (wet_s, (_, wet)), (dry_s, (_, dry)) = runs["wet"], runs["dry"]
    note = f"一个村民小组、两个网格：河段有网格边界相随的比例 偏好水系 {wet:.0%}，不偏好 {dry:.0%}"
    return Result("网格沿河分界（手工村，河在中间）", wet_s, "不偏好水系", dry_s, TIME_RATIO, note)


def water_benchmarks() -> list[Result]:
    """The river benchmarks: a hand-made village, then the demo township."""
    results = [one_group_field()]
    print(results[-1].line(), flush=True)
    with make_session(waters_database()) as session:
        results.append(river_edges(session))
    print(results[-1].line(), flush=True)
    return results


if __name__ == "__main__":
    water_benchmarks()
