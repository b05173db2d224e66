"""Visit rounds and compliance on the demo township.

Route: 60 households of a demo village and the village's party venue as the base; the
road-distance matrix comes from the township's RoadNetwork (as `gridmgmt visits route`
builds it: pgRouting, network gaps planned as straight × 1.5). Our
answer (matrix + OR-Tools routing stopped after 1 s, as `gridmgmt visits route`) is
set against the same OR-Tools search given 30 s on the same matrix, and against the
nearest-neighbour round, in the same run. Targets: answer ≤ 2 s, length within 3 % of OR-Tools.
Compliance: every duty of the whole demo township for one date, ≤ 1 s.
"""

import os
import statistics
import time
from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy import text

from bench.common import fresh_database, gridmgmt
from gridmgmt.config import get_settings
from gridmgmt.db.session import make_session
from gridmgmt.network.tours import nearest_neighbour, order_stops, tour_length
from gridmgmt.services.visits.compliance import township_compliance
from gridmgmt.services.visits.routes import SEARCH_S, road_legs
from gridmgmt.services.visits.settings import VisitSettings

DB = "gridmgmt_bench_visits"
UNTIL = date(2025, 12, 1)
STOPS = 60
VILLAGES = 3
ORTOOLS_S = 30
ANSWER_TARGET_S = 2.0
GAP_TARGET = 0.03
COMPLIANCE_TARGET_S = 1.0

VILLAGE_SQL = """
SELECT v.id, v.name, ST_X(o.venue), ST_Y(o.venue), v.township_id FROM village v
JOIN party_org o ON o.village_id = v.id AND o.venue IS NOT NULL
WHERE (SELECT count(*) FROM household h WHERE h.village_id = v.id) >= :n
ORDER BY v.code, o.id"""
HOMES_SQL = "SELECT ST_X(geom), ST_Y(geom) FROM household WHERE village_id = :v ORDER BY code"


@dataclass
class RouteResult:
    """One village: our answer time and length, OR-Tools' and nearest neighbour's lengths."""

    village: str
    matrix_s: float
    answer_s: float
    ours_m: float
    ortools_m: float
    nearest_m: float

    def line(self) -> str:
        """A Markdown table row in the bench report's columns."""
        gap = self.ours_m / self.ortools_m - 1
        ok = "✓" if self.answer_s <= ANSWER_TARGET_S and gap <= GAP_TARGET else "✗"
        return (
            f"| 走访路线 {STOPS} 户（{self.village}） | {self.answer_s:.2f} s，{self.ours_m / 1000:.2f} km "
            f"| OR-Tools {ORTOOLS_S} s：{self.ortools_m / 1000:.2f} km；最近邻：{self.nearest_m / 1000:.2f} km "
            f"| 长度 {self.ours_m / self.ortools_m:.3f}× | ≤ {ANSWER_TARGET_S:g} s 且 ≤ 1.03× {ok} "
            f"| 其中路网距离矩阵 {self.matrix_s:.2f} s |"
        )


@dataclass
class ComplianceResult:
    """Compliance of the whole demo township: median and worst of several runs."""

    households: int
    median_s: float
    best_s: float
    worst_s: float

    def line(self) -> str:
        """A Markdown table row in the bench report's columns."""
        ok = "✓" if self.median_s <= COMPLIANCE_TARGET_S else "✗"
        return (
            f"| 全镇走访完成情况（{self.households} 户，5 项职责） | 中位 {self.median_s:.2f} s "
            f"| — | — | ≤ {COMPLIANCE_TARGET_S:g} s {ok} | 最快 {self.best_s:.2f} s，最慢 {self.worst_s:.2f} s；"
            f"运行时负载 {os.getloadavg()[0]:.1f}（2 核） |"
        )


def village_round(
    session, village_id: int, name: str, base: tuple[float, float], township_id: int, seed: int
) -> RouteResult:
    """Our round, OR-Tools' and nearest neighbour's over 60 households of one village."""
    homes = np.array(session.execute(text(HOMES_SQL), {"v": village_id}).all())
    picked = homes[np.random.default_rng(seed).choice(len(homes), STOPS, replace=False)]
    lon = np.concatenate([[base[0]], picked[:, 0]])
    lat = np.concatenate([[base[1]], picked[:, 1]])
    start = time.perf_counter()
    dist = road_legs(session, township_id, lon, lat)[2].metres
    matrix_s = time.perf_counter() - start
    ours = order_stops(dist, SEARCH_S)
    answer_s = time.perf_counter() - start
    theirs = order_stops(dist, ORTOOLS_S)
    return RouteResult(
        name,
        matrix_s,
        answer_s,
        tour_length(dist, ours),
        tour_length(dist, theirs),
        tour_length(dist, nearest_neighbour(dist)),
    )


def compliance_timing(session, code: str, day: date, runs: int = 5) -> ComplianceResult:
    """Time the whole township's compliance RUNS times after one warm-up run."""
    settings = VisitSettings.of(get_settings())
    comp = township_compliance(session, code, day, settings)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        township_compliance(session, code, day, settings)
        times.append(time.perf_counter() - start)
    return ComplianceResult(len(comp.data.households), statistics.median(times), min(times), max(times))


def visit_benchmarks() -> list:
    """Load the demo into a fresh database and run both benchmarks."""
    fresh_database(DB)
    gridmgmt(DB, "demo", "--until", UNTIL.isoformat())
    with make_session(get_settings().url_for(DB)) as session:
        code = session.execute(text("SELECT code FROM township")).scalar_one()
        villages = session.execute(text(VILLAGE_SQL), {"n": STOPS}).all()
        chosen = list({v[0]: v for v in villages}.values())[:VILLAGES]
        results = [
            village_round(session, v, name, (x, y), t, seed) for seed, (v, name, x, y, t) in enumerate(chosen, start=1)
        ]
        results.append(compliance_timing(session, code, date(2025, 11, 30)))
    return results


if __name__ == "__main__":
    for result in visit_benchmarks():
        print(result.line())
