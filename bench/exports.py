"""Briefing maps: A3 landscape PNG (300 dpi) and PDF of the demo township overview.

Ours is the whole export (PostGIS layers, projection, layout, labels, legend,
scale bar, file, audit row). The baseline, in the same run, reads the same
layers with the same loaders and draws them with a plain GeoDataFrame.plot()
on an A3 figure, no layout, and saves the same format. Target: ≤ 10 s each.
"""

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from sqlalchemy import text

from bench.common import fresh_database, gridmgmt
from gridmgmt.db.session import make_session
from gridmgmt.maps.kinds import KINDS
from gridmgmt.maps.static.page import DPI, Page
from gridmgmt.services.accounts.audit import Actor
from gridmgmt.services.briefing.exports import export_map
from gridmgmt.services.briefing.layers import LOADERS

DB_NAME = "gridmgmt_bench_exports"
TARGET_S = 10.0
RUNS = 3
PAGE = Page("A3", "landscape")


@dataclass
class ExportResult:
    """Best-of-RUNS seconds of our export and of the plain-plot baseline."""

    fmt: str
    ours_s: float
    baseline_s: float

    def line(self) -> str:
        """A Markdown table row in the bench report's columns."""
        ok = "✓" if self.ours_s <= TARGET_S else "✗"
        return (
            f"| 简报地图 A3 横向 {self.fmt.upper()}（乡镇概况图，约 1 万户） | {self.ours_s:.1f} s "
            f"| GeoDataFrame.plot() 无版式：{self.baseline_s:.1f} s | {self.ours_s / self.baseline_s:.2f}× "
            f"| ≤ {TARGET_S:g} s {ok} | 同次运行，各取 {RUNS} 次最快；含读库与写文件 |"
        )


def _baseline(url: str, code: str, fmt: str, path: Path) -> None:
    """The overview's layers straight from the loaders, plotted one after another."""
    with make_session(url) as session:
        township_id = session.execute(text("SELECT id FROM township WHERE code = :c"), {"c": code}).scalar()
        layers = {name: LOADERS[name](session, township_id, None) for name in KINDS["overview"].layers}
    fig = Figure(figsize=PAGE.figsize(), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    for _name, frame in layers.items():
        gpd.GeoDataFrame(frame).plot(ax=ax, linewidth=0.5, markersize=1)
    with matplotlib.rc_context({"pdf.fonttype": 3}):
        fig.savefig(path, format=fmt, dpi=DPI)


def _ours(url: str, code: str, fmt: str, path: Path) -> None:
    with make_session(url) as session:
        export_map(session, "overview", code, fmt, path, PAGE, actor=Actor("bench"))


def _best(fn, *args) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - start)
    return min(times)


def export_benchmarks() -> list[ExportResult]:
    """Load the demo township into a fresh database and time both formats both ways."""
    url = fresh_database(DB_NAME)
    gridmgmt(DB_NAME, "demo")
    results = []
    with make_session(url) as session:
        code = session.execute(text("SELECT code FROM township")).scalar()
    with tempfile.TemporaryDirectory() as folder:
        for fmt in ("png", "pdf"):
            ours = _best(_ours, url, code, fmt, Path(folder) / f"ours.{fmt}")
            baseline = _best(_baseline, url, code, fmt, Path(folder) / f"plain.{fmt}")
            print(f"  {fmt}: ours {ours:.2f} s, plain plot {baseline:.2f} s")
            results.append(ExportResult(fmt, ours, baseline))
    return results


if __name__ == "__main__":
    for result in export_benchmarks():
        print(result.line())
