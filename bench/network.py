"""Route plausibility: leg length over straight-line distance, on the demo and on real OSM roads.

Demo: the visiting rounds (`plan_route`, 4 hours, walking and driving) of every CADRE_STEP-th
cadre of the demo township on DAY. OSM: TOURS closed tours of STOPS places strewn along the
roads of geodata/samples/osm (a real road network, imported with `gridmgmt import`), ordered
by the same solver. Baseline, same places, same run: the order planned on unchecked road metres
(as before network gaps: a 12.6 km leg between households 3.3 km apart is simply used).

Per leg: planned metres over max(straight line, legs.GAP_MIN_STRAIGHT_M). Reported: median,
p95, max, legs over 2.5× that are not reported gaps, and gaps reported. Target: no unreported
leg over 2.5×.
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import shapely
from sqlalchemy import text

from bench.common import bench_actor, fresh_database, gridmgmt
from gridmgmt.analysis.routing import fit_budget
from gridmgmt.config import get_settings
from gridmgmt.db.session import make_session
from gridmgmt.network.legs import DETOUR, GAP_MIN_STRAIGHT_M
from gridmgmt.network.roads import RoadNetwork, township_frame
from gridmgmt.network.tours import leg_pairs, order_stops
from gridmgmt.services.visits.routes import SEARCH_S, SERVICE_S, SPEED_MPS, cadre_base, located, plan_route
from gridmgmt.services.visits.settings import VisitSettings
from gridmgmt.services.visits.work import cadre_work

DB = "gridmgmt_bench_network"
DAY = date(2025, 11, 30)
CADRE_STEP = 6
SAMPLE = Path(__file__).resolve().parent.parent / "geodata" / "samples" / "osm"
OSM_TOWNSHIP = "449900102000"
TOURS, STOPS, SETBACK_M = 12, 15, 40.0
LIMIT = 2.5


@dataclass
class Plausibility:
    """Leg ratios of one set of routes: ours (gaps reported) and the unchecked baseline."""

    name: str
    ours: np.ndarray
    ours_gap: np.ndarray
    baseline: np.ndarray

    @staticmethod
    def _figures(ratios: np.ndarray, gap: np.ndarray) -> str:
        over = int(((ratios > LIMIT) & ~gap).sum())
        return (
            f"中位 {np.median(ratios):.2f}×，p95 {np.percentile(ratios, 95):.2f}×，最大 {ratios.max():.2f}×，"
            f"超 {LIMIT:g}× 未报告 {over} 段，报告缺口 {int(gap.sum())} 段"
        )

    def line(self) -> str:
        """A Markdown table row in the bench report's columns."""
        over = int(((self.ours > LIMIT) & ~self.ours_gap).sum())
        ok = "✓" if over == 0 else "✗"
        return (
            f"| 路线合理性（{self.name}，{len(self.ours)} 段） | {self._figures(self.ours, self.ours_gap)} "
            f"| 不查缺口：{self._figures(self.baseline, np.zeros(len(self.baseline), bool))} | — "
            f"| 超 {LIMIT:g}× 须报告为缺口 {ok} | 比值 = 路段长 / max(直线, {GAP_MIN_STRAIGHT_M:g} m) |"
        )


def _ratios(metres: np.ndarray, straight: np.ndarray, order: list[int]) -> np.ndarray:
    return np.array([metres[i, j] / max(straight[i, j], GAP_MIN_STRAIGHT_M) for i, j in leg_pairs(order)])


def _unchecked(road: np.ndarray, straight: np.ndarray) -> np.ndarray:
    """The metres planned before network gaps: the road, straight × DETOUR only where unjoined."""
    return np.where(np.isfinite(road), road, straight * DETOUR)


def demo_rounds(session, mode: str) -> Plausibility:
    """Every CADRE_STEP-th cadre's round: plan_route, and the same work planned unchecked."""
    ours, gaps, baseline = [], [], []
    frame = township_frame(session, session.execute(text("SELECT min(id) FROM township")).scalar_one())
    for code in session.execute(text("SELECT code FROM cadre ORDER BY code")).scalars().all()[::CADRE_STEP]:
        route = plan_route(session, code, DAY, VisitSettings.of(get_settings()), 4.0, mode)
        if not route.stops:
            continue
        lon = [route.base[0], *(s["lon"] for s in route.stops)]
        lat = [route.base[1], *(s["lat"] for s in route.stops)]
        x, y = frame.to_metres(lon, lat)
        straight = np.hypot(np.subtract.outer(x, x), np.subtract.outer(y, y))
        legs = [s["leg_m"] for s in route.stops] + [route.length_m - sum(s["leg_m"] for s in route.stops)]
        ends = leg_pairs(list(range(len(legs))))
        ours += [leg / max(straight[i, j], GAP_MIN_STRAIGHT_M) for leg, (i, j) in zip(legs, ends)]
        gapped = {(g.a, g.b) for g in route.gaps}
        names = ["驻地", *(s["code"] or f"事件 {s['event_id']}" for s in route.stops)]
        gaps += [(names[i], names[j]) in gapped for i, j in ends]
        baseline += list(_unchecked_round(session, code, mode))
    return Plausibility(
        f"演示乡镇走访路线，{'步行' if mode == 'walk' else '驾车'}", np.array(ours), np.array(gaps), np.array(baseline)
    )


def _unchecked_round(session, code: str, mode: str) -> np.ndarray:
    """Leg ratios of the cadre's round planned on unchecked road metres (the baseline)."""
    work = cadre_work(session, code, DAY, VisitSettings.of(get_settings()))
    base_lon, base_lat, township_id = cadre_base(session, work.cadre["id"], DAY)
    todo = located(session, work.work)
    network = RoadNetwork.of(session, township_id)
    legs = network.leg_matrix(network.snap([base_lon, *todo.lon], [base_lat, *todo.lat]))
    metres = _unchecked(legs.road, legs.straight)
    chosen = [0] + fit_budget(metres, SERVICE_S, SPEED_MPS[mode], 4 * 3600)
    order = [chosen[k] for k in order_stops(metres[np.ix_(chosen, chosen)], SEARCH_S)]
    return _ratios(metres, legs.straight, order)


def osm_tours(session) -> Plausibility:
    """TOURS tours of STOPS places along the OSM sample's roads, ordered on checked and unchecked metres."""
    township_id = session.execute(text("SELECT id FROM township WHERE code = :c"), {"c": OSM_TOWNSHIP}).scalar_one()
    network = RoadNetwork.of(session, township_id)
    rng = np.random.default_rng(1)
    ours, gaps, baseline = [], [], []
    for _ in range(TOURS):
        places = network.snap(*_places_along_roads(network, rng))
        legs = network.leg_matrix(places)
        order = order_stops(legs.metres, SEARCH_S)
        ours += list(_ratios(legs.metres, legs.straight, order))
        gaps += [bool(legs.gap[i, j]) for i, j in leg_pairs(order)]
        unchecked = _unchecked(legs.road, legs.straight)
        baseline += list(_ratios(unchecked, legs.straight, order_stops(unchecked, SEARCH_S)))
    return Plausibility(f"OSM 真实路网，{TOURS} 条 {STOPS} 点环线", np.array(ours), np.array(gaps), np.array(baseline))


def _places_along_roads(network: RoadNetwork, rng) -> tuple[np.ndarray, np.ndarray]:
    """STOPS points (lon, lat) beside the roads: a random edge by length, a random spot, set back."""
    edges = network.edges
    rows = rng.choice(len(edges), STOPS, p=edges.length_m / edges.length_m.sum())
    spots = shapely.line_interpolate_point(edges.lines[rows], rng.random(STOPS), normalized=True)
    xy = shapely.get_coordinates(spots) + rng.uniform(-SETBACK_M, SETBACK_M, (STOPS, 2))
    lonlat = shapely.get_coordinates(network.frame.unproject(shapely.points(xy)))
    return lonlat[:, 0], lonlat[:, 1]


def network_benchmarks() -> list[Plausibility]:
    """Load the demo and the OSM sample into a fresh database and measure every set of routes."""
    bench_actor(fresh_database(DB))
    gridmgmt(DB, "demo", "--until", "2025-12-01")
    gridmgmt(DB, "import", "townships", str(SAMPLE / "township.geojson"))
    gridmgmt(DB, "import", "roads", str(SAMPLE / "roads.geojson"), "--township", OSM_TOWNSHIP)
    with make_session(get_settings().url_for(DB)) as session:
        results = [demo_rounds(session, "walk"), demo_rounds(session, "drive"), osm_tours(session)]
    return results


if __name__ == "__main__":
    for result in network_benchmarks():
        print(result.line(), flush=True)
