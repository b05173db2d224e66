"""Map layers and gap locations for the coverage page, built in PostGIS from a CoverageReport.

Household features carry their code only: no 四必访 flag is ever selected here.
"""
import json

import pandas as pd
from sqlalchemy import text
from sqlalchemy.orm import Session

from gridmgmt.domain.branch_rules import RESIDENT_VENUE_FIELDS, RULES
from gridmgmt.readmodels import CoverageLayers
from gridmgmt.readmodels import CoverageReport

COORD_DIGITS = 6
SIMPLIFY_DEGREES = 2e-5   # about 2 m
HULL_MARGIN_M = 40        # proposed 党小组 drawn as their homes' hull plus this margin
# Where each kind of finding sits on the map: (table, id column of the finding, point SQL).
PLACES = {
    "group": ("village_group", "id", "ST_PointOnSurface(geom)"),
    "village": ("village", "id", "ST_PointOnSurface(geom)"),
    "org": ("party_org", "org_id", "COALESCE(venue, (SELECT ST_PointOnSurface(v.geom) FROM village v "
                                   "WHERE v.id = party_org.village_id))"),
    "firm": ("economic_org", "id", "geom"),
    "household": ("household", "household_id", "geom"),
}
PLACE_OF_RULE = {"blank_group": "group", "blank_village": "village", "committee_missing": "org",
                 "committee_not_allowed": "org", "committee_size": "org", "split_needed": "org",
                 "firm_without_org": "firm", "coop_without_org": "firm", "village_uncovered": "village",
                 "first_secretary_missing": "village", "venue_far": "household", "member_far": "household"}


def _collection(rows) -> dict:
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": json.loads(geom), "properties": props} for geom, props in rows]}


def _geoms(session: Session, table: str, ids, point: str = "geom") -> dict[int, str]:
    """GeoJSON text of the rows IDS of TABLE (its POINT expression)."""
    rows = session.execute(text(f"SELECT id, ST_AsGeoJSON({point}, {COORD_DIGITS}) FROM {table} "
                                "WHERE id = ANY(:ids)"), {"ids": [int(i) for i in ids]})
    return dict(rows.all())


def _groups(session: Session, report: CoverageReport) -> dict:
    shapes = _geoms(session, "village_group", report.groups.index,
                    f"ST_SimplifyPreserveTopology(geom, {SIMPLIFY_DEGREES})")
    blank = set(report.findings["blank_group"].index)
    return _collection(
        (shapes[gid], {"code": g.code, "name": g["name"], "village": g.village, "households": int(g.households),
                       "members": int(g.members), "per_100": float(g.per_100) if pd.notna(g.per_100) else 0.0,
                       "blank": gid in blank})
        for gid, g in report.groups.iterrows() if gid in shapes)


def _served(report: CoverageReport) -> pd.DataFrame:
    """Per venue (party-org id): households whose nearest venue it is, and those of them beyond reach."""
    reach = report.reach
    far = reach.venue_m > report.rules.venue_reach_m
    return pd.DataFrame({"served": reach.venue_id.value_counts(), "far": reach.venue_id[far].value_counts()})


def _venues(session: Session, report: CoverageReport) -> dict:
    """Resident venues with their reach ('—' without road measures)."""
    rows = session.execute(text(
        f"SELECT o.id, o.name, ST_AsGeoJSON(o.venue, {COORD_DIGITS}) FROM party_org o JOIN township t "
        "ON t.id = o.township_id WHERE t.code = :c AND o.venue IS NOT NULL AND o.field = ANY(:fields)"),
        {"c": report.code, "fields": RESIDENT_VENUE_FIELDS}).all()
    if report.reach is None:
        return _collection((geom, {"name": name, "served": "—", "far": "—"}) for _, name, geom in rows)
    served = _served(report).reindex([org for org, _, _ in rows]).fillna(0).astype(int)
    return _collection((geom, {"name": name, "served": int(served.served[org]), "far": int(served.far[org])})
                       for org, name, geom in rows)


def _far(session: Session, report: CoverageReport) -> dict:
    far = pd.concat([report.findings.get(r, pd.DataFrame(columns=["household_id"])).assign(rule=RULES[r])
                     for r in ("venue_far", "member_far")])
    if far.empty:
        return _collection([])
    why = far.groupby("household_id").rule.agg("；".join)
    codes = far.drop_duplicates("household_id").set_index("household_id").code
    shapes = _geoms(session, "household", why.index)
    return _collection((shapes[h], {"code": codes[h], "why": why[h]}) for h in why.index)


def _firms(session: Session, report: CoverageReport) -> dict:
    firms = pd.concat([report.findings[r].assign(rule=RULES[r]) for r in ("firm_without_org", "coop_without_org")])
    shapes = _geoms(session, "economic_org", firms.id)
    return _collection((shapes[f.id], {"name": f["name"], "rule": f.rule, "employees": f.employees})
                       for _, f in firms.iterrows())


def _proposals(session: Session, report: CoverageReport) -> dict:
    rows = []
    for _, p in (report.proposals if report.proposals is not None else pd.DataFrame()).iterrows():
        hull = session.execute(text(
            f"SELECT ST_AsGeoJSON(ST_Buffer(ST_ConvexHull(ST_Collect(geom))::geography, {HULL_MARGIN_M})"
            f"::geometry, {COORD_DIGITS}) FROM household WHERE id = ANY(:ids)"), {"ids": p.household_ids}).scalar()
        rows.append((hull, {"branch": p.branch, "number": int(p.number), "members": int(p.members),
                            "leader": p.leader}))
    return _collection(rows)


def coverage_layers(session: Session, report: CoverageReport) -> CoverageLayers:
    """The overlays of REPORT's township."""
    layers = CoverageLayers(_groups(session, report), _venues(session, report), _far(session, report),
                            _firms(session, report), _proposals(session, report))
    session.rollback()
    return layers


def gap_locations(session: Session, report: CoverageReport) -> dict[str, list]:
    """For every rule's rows, in order: (lat, lon) of the gap, or None (e.g. a person)."""
    out = {}
    for rule, frame in report.findings.items():
        if rule not in PLACE_OF_RULE or frame.empty:
            out[rule] = [None] * len(frame)
            continue
        table, column, point = PLACES[PLACE_OF_RULE[rule]]
        ids = (frame.index if column == "id" and "id" not in frame else frame[column]).astype(int)
        rows = session.execute(text(f"SELECT id, ST_Y({point}), ST_X({point}) FROM {table} "
                                    "WHERE id = ANY(:ids)"), {"ids": ids.tolist()}).all()
        where = {i: (round(lat, COORD_DIGITS), round(lon, COORD_DIGITS)) for i, lat, lon in rows}
        out[rule] = [where.get(i) for i in ids]
    session.rollback()
    return out
