"""The leader's desk: who and where is behind, worst first; the groups' overdue share and a
village's households for the map.

Only statuses reach the map: never a 四必访 flag (the 必访 duties are left out of it).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from gridmgmt.analysis.compliance import per_cadre, summarise
from gridmgmt.db.models import Township, Village
from gridmgmt.domain.vocab import CADRE_ROLES
from gridmgmt.services.mapdata.layers import township_layers
from gridmgmt.services.visits.compliance import CodeNotFound, Compliance, township_compliance
from gridmgmt.services.visits.places import household_places, late_event_places, plain_status, worst_status
from gridmgmt.services.visits.settings import VisitSettings
from gridmgmt.services.visits.workbook import WORST_FIRST, ReportFilter, narrow


@dataclass(frozen=True)
class Completion:
    """One row of the leader's summary: a duty, village or cadre and how far its visits are done."""

    name: str
    note: str  # a cadre's role: what tells two cadres of one name apart
    done: int
    overdue: int
    total: int
    rate: float


@dataclass(frozen=True)
class LeaderSummary:
    """Completion by duty, by village and by cadre, each worst first, and the totals."""

    duties: list[Completion]
    villages: list[Completion]
    cadres: list[Completion]
    done: int
    overdue: int
    total: int
    late_events: int  # 四必到 events not attended in time (overdue or attended late)


def _rows(counts: pd.DataFrame, name: pd.Series, role: pd.Series | None) -> list[Completion]:
    """COUNTS (of summarise) as rows named NAME (and ROLE, cadre roles' codes), worst first."""
    ranked = counts.assign(name=name, note="" if role is None else role.map(CADRE_ROLES)).astype({"rate": float})
    ranked = ranked.sort_values(**WORST_FIRST, kind="stable")
    return [
        Completion(str(r.name), r.note or "", int(r.done), int(r.overdue), int(r.total), r.rate)
        for r in ranked.itertuples()
    ]


def _summed(status: pd.DataFrame, key: str) -> pd.DataFrame:
    """summarise() by KEY, and the same columns when there is nothing to count."""
    if status.empty:
        return pd.DataFrame(columns=[key, "done", "due", "overdue", "total", "rate"])
    return summarise(status, [key])


def visit_totals(status: pd.DataFrame) -> tuple[int, int, int]:
    """(done, overdue, total) of STATUS rows: the totals of the leader's summary."""
    return int((status.status == "done").sum()), int((status.status == "overdue").sum()), len(status)


def leader_summary(comp: Compliance, f: ReportFilter = ReportFilter()) -> LeaderSummary:
    """COMP's completion by duty, village and cadre (names, worst first), narrowed like the tables."""
    status, events = narrow(comp, f)
    duties = {d.code: d.name for d in comp.duties}
    villages = comp.data.villages.set_index("id")
    cadres = comp.data.staff.cadres.set_index("id")
    by_duty, by_village = _summed(status, "duty"), _summed(status, "village_id")
    by_cadre = _summed(per_cadre(status, comp.pairs), "cadre_id")
    done, overdue, total = visit_totals(status)
    return LeaderSummary(
        duties=_rows(by_duty, by_duty.duty.map(duties), None),
        villages=_rows(by_village, by_village.village_id.map(villages.name), None),
        cadres=_rows(by_cadre, by_cadre.cadre_id.map(cadres.name), by_cadre.cadre_id.map(cadres.cadre_role)),
        done=done,
        overdue=overdue,
        total=total,
        late_events=int(events.state.isin(["overdue", "late"]).sum()),
    )


def group_overdue(comp: Compliance) -> dict[str, dict]:
    """Group code → {overdue, total, share}: its households whose most urgent status under the
    all-household duties is overdue, of its households with such a duty."""
    worst = worst_status(plain_status(comp))
    homes = comp.data.households.set_index("id")
    frame = pd.DataFrame({"group_id": worst.index.map(homes.group_id), "overdue": (worst == "overdue").to_numpy()})
    counts = frame.dropna(subset=["group_id"]).groupby("group_id").overdue.agg(["sum", "count"])
    codes = comp.data.groups.set_index("id").code
    return {
        codes[int(gid)]: {
            "overdue": int(row["sum"]),
            "total": int(row["count"]),
            "share": float(row["sum"] / row["count"]),
        }
        for gid, row in counts.iterrows()
        if int(gid) in codes.index
    }


def _keeping(collection: dict, *keys: str, more: Callable[[dict], dict] = lambda p: {}) -> dict:
    """COLLECTION with only KEYS of each feature's properties, and MORE of them: the map's bytes."""
    features = [
        {**f, "properties": {**{k: f["properties"][k] for k in keys}, **more(f["properties"])}}
        for f in collection["features"]
    ]
    return {**collection, "features": features}


def overdue_map(session: Session, comp: Compliance) -> dict:
    """What the township map of COMP draws: village outlines and names, roads, the groups with
    their overdue share (group_overdue) in their properties, the late events, the bounds."""
    layers = township_layers(session, comp.data.township["code"])
    shares = group_overdue(comp)
    none = {"overdue": 0, "total": 0, "share": None}
    return {
        "bounds": layers.bounds,
        "villages": _keeping(layers.villages, "code", "name"),
        "labels": _keeping(layers.village_labels, "name"),
        "roads": _keeping(layers.roads, "road_class"),
        "groups": _keeping(layers.groups, "name", "village_name", more=lambda p: shares.get(p["code"], none)),
        "events": late_event_places(session, comp),
    }


def village_places(session: Session, code: str, villages: list[str], day: date, settings: VisitSettings) -> list[dict]:
    """The households of VILLAGES (codes in township CODE) by their most urgent status on DAY under
    the all-household duties, for the map at village zoom; CodeNotFound names codes of no village here."""
    chosen = (Township.code == code, Village.code.in_(villages))
    found = set(session.scalars(select(Village.code).join(Township, Township.id == Village.township_id).where(*chosen)))
    missing = sorted(set(villages) - found)
    if missing:
        raise CodeNotFound(f"本乡镇没有编码为 {'、'.join(missing)} 的行政村")
    ids = select(Village.id).join(Township, Township.id == Village.township_id).where(*chosen)
    comp = township_compliance(session, code, day, settings, villages=ids, only=lambda d: d.target == "households")
    return household_places(session, comp)
