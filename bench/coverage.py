"""Coverage benchmarks on the county-scale demo (20 townships, about 200,000 households).

1. County coverage figures end to end (gridmgmt.services.coverage.county) versus the
   same figures from geopandas (read the layers, sjoin households into groups,
   sjoin_nearest to venues), in the same run; the numbers are compared.
   Target: ≤ 5 s and no slower than geopandas.
2. Road-distance reach of one township (about 10,000 households; RoadNetwork: edge
   snapping in metres + pgRouting vertex costs) versus pgr_dijkstraCost many-to-many from venue vertices to
   households snapped to their nearest vertex. Target: ≤ 10 s.

Run: .venv/bin/python -m bench.coverage  (GRIDMGMT_BENCH_COVERAGE_DB picks the database).
"""

import os
import time

import geopandas as gpd
import numpy as np
import pandas as pd
from sqlalchemy import text

from bench.common import Result, gridmgmt
from gridmgmt.config import get_settings
from gridmgmt.db.cluster import ensure_database
from gridmgmt.db.migrate import upgrade
from gridmgmt.db.session import make_session
from gridmgmt.domain.branch_rules import RESIDENT_VENUE_FIELDS, CoverageRules
from gridmgmt.network.frame import TownshipFrame
from gridmgmt.services.coverage.county import county_figures
from gridmgmt.services.coverage.reach import household_reach, township_reach

DB = os.environ.get("GRIDMGMT_BENCH_COVERAGE_DB", "gridmgmt_bench_cov")
COUNTY_TARGET_S, REACH_TARGET_S = 5.0, 10.0
COUNTS = ["households", "residents", "members", "full", "probationary", "party_households"]


def county_database() -> str:
    """URL of the bench database, migrated and holding the county demo (loaded once, reused)."""
    settings = get_settings()
    ensure_database(settings, DB)
    url = settings.url_for(DB)
    upgrade(url)
    gridmgmt(DB, "demo", "--scale", "county", "--if-empty")
    return url


def geopandas_figures(url: str, reach_m: float) -> pd.DataFrame:
    """Per-group figures the geopandas way: sjoin for the group, sjoin_nearest for the venue."""
    engine = make_session(url).get_bind()
    homes = gpd.read_postgis("SELECT id, member_count, geom FROM household", engine, geom_col="geom")
    groups = gpd.read_postgis("SELECT id AS group_id, geom FROM village_group", engine, geom_col="geom")
    venues = gpd.read_postgis(
        "SELECT venue FROM party_org WHERE venue IS NOT NULL AND field = ANY(%(f)s)",
        engine,
        geom_col="venue",
        params={"f": RESIDENT_VENUE_FIELDS},
    )
    members = pd.read_sql("SELECT household_id, status FROM party_member WHERE household_id IS NOT NULL", engine)
    homes = gpd.sjoin(homes, groups, predicate="within", how="left").drop(columns="index_right")
    # The same metric frame as ours: chosen by the townships' rule at the households' median point.
    epsg = TownshipFrame(homes.geometry.x.median(), homes.geometry.y.median()).epsg
    near = (
        gpd.sjoin_nearest(homes[["id", "geom"]].to_crs(epsg), venues.to_crs(epsg), distance_col="metres")
        .drop_duplicates("id")
        .set_index("id")
        .metres
    )
    homes["far"] = homes.id.map(near) > reach_m
    per_home = (
        members.assign(members=1, full=members.status == "full", probationary=members.status == "probationary")
        .groupby("household_id")[["members", "full", "probationary"]]
        .sum()
    )
    homes = homes.join(per_home, on="id").fillna({"members": 0, "full": 0, "probationary": 0})
    homes["party_households"] = homes.members > 0
    by = homes.groupby("group_id")
    return pd.DataFrame(
        {
            "households": by.size(),
            "residents": by.member_count.sum(),
            **{c: by[c].sum() for c in ("members", "full", "probationary", "party_households")},
            "venue_far_line": by.far.sum(),
        }
    ).astype(int)


def county_benchmark(url: str) -> Result:
    """Our county figures against geopandas', timed in the same run, numbers compared."""
    rules = CoverageRules()
    start = time.perf_counter()
    with make_session(url) as session:
        ours = county_figures(session, rules)["groups"]
    ours_s = time.perf_counter() - start
    start = time.perf_counter()
    theirs = geopandas_figures(url, rules.venue_reach_m)
    base_s = time.perf_counter() - start
    theirs = theirs.reindex(ours.index)
    same = bool((ours[COUNTS] == theirs[COUNTS]).all().all())
    line_diff = int((ours.venue_far_line - theirs.venue_far_line).abs().sum())
    ok = "✓" if ours_s <= COUNTY_TARGET_S else "✗"
    note = (
        f"{int(ours.households.sum())} 户、{len(ours)} 个村民小组；分组计数{'完全一致' if same else '不一致'}；"
        f"直线超 {rules.venue_reach_m:g} m 户数相差 {line_diff} 户（同一投影坐标系）；全县 ≤ {COUNTY_TARGET_S:g} s {ok}"
    )
    return Result("全县党组织覆盖统计（端到端）", ours_s, "geopandas sjoin + sjoin_nearest", base_s, 1.0, note)


class TimeTarget(Result):
    """A benchmark whose target is a time (target_ratio holds seconds); the baseline is for scale."""

    def line(self) -> str:
        """A Markdown table row in the report's columns."""
        ok = "✓" if self.ours_s <= self.target_ratio else "✗"
        return (
            f"| {self.name} | {self.ours_s:.1f} s | {self.baseline}: {self.baseline_s:.1f} s "
            f"| {self.ratio:.2f}× | ≤ {self.target_ratio:g} s {ok} | {self.note} |"
        )


def _vertex_snapping_reach(session, township_id: int) -> np.ndarray:
    """Baseline: households and venues on their nearest road vertex, pgr_dijkstraCost many-to-many."""
    sql = """
    WITH home AS (SELECT h.id, v.id AS vid, ST_Distance(h.geom::geography, v.geom::geography) AS off
                  FROM household h JOIN village vi ON vi.id = h.village_id CROSS JOIN LATERAL (
                      SELECT id, geom FROM road_vertex ORDER BY geom <-> h.geom LIMIT 1) v
                  WHERE vi.township_id = :t),
         venue AS (SELECT v.id AS vid, ST_Distance(o.venue::geography, v.geom::geography) AS off
                   FROM party_org o CROSS JOIN LATERAL (
                       SELECT id, geom FROM road_vertex ORDER BY geom <-> o.venue LIMIT 1) v
                   WHERE o.township_id = :t AND o.venue IS NOT NULL AND o.field = ANY(:f)),
         cost AS (SELECT * FROM pgr_dijkstraCost(
                     'SELECT id, source, target, length_m AS cost FROM road WHERE township_id = ' || :t,
                     (SELECT array_agg(DISTINCT vid) FROM venue), (SELECT array_agg(DISTINCT vid) FROM home), false))
    SELECT home.id, min(home.off + COALESCE(cost.agg_cost, 0) + venue.off) AS metres
    FROM home JOIN venue ON true LEFT JOIN cost ON cost.start_vid = venue.vid AND cost.end_vid = home.vid
    WHERE cost.agg_cost IS NOT NULL OR venue.vid = home.vid GROUP BY home.id"""
    return np.array(session.execute(text(sql), {"t": township_id, "f": RESIDENT_VENUE_FIELDS}).all())


def reach_benchmark(url: str) -> Result:
    """Road reach of the first township: ours (edge snapping) against vertex snapping."""
    rules = CoverageRules()
    with make_session(url) as session:
        township_id = session.execute(text("SELECT min(id) FROM township")).scalar_one()
        start = time.perf_counter()
        reach = household_reach(session, township_reach(session, township_id, rules))
        ours_s = time.perf_counter() - start
        start = time.perf_counter()
        baseline = _vertex_snapping_reach(session, township_id)
        base_s = time.perf_counter() - start
    coarse = pd.Series(baseline[:, 1], index=baseline[:, 0].astype(int)).reindex(reach.index)
    gap = (coarse - reach.venue_m).abs().median()
    note = (
        f"{len(reach)} 户到最近活动场所与党员户（基线只算活动场所）；离路网 {int(reach.off_network.sum())} 户"
        f"按直线；吸附到节点的基线到场所距离中位偏差 {gap:.0f} m"
    )
    return TimeTarget(
        "一个乡镇的道路可达性", ours_s, "pgr_dijkstraCost 多对多（吸附到最近节点）", base_s, REACH_TARGET_S, note
    )


def coverage_benchmarks() -> list[Result]:
    """Both coverage benchmarks on the county database."""
    url = county_database()
    return [county_benchmark(url), reach_benchmark(url)]


if __name__ == "__main__":
    for result in coverage_benchmarks():
        print(result.line())
