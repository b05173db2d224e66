"""Map layers and gap locations for the coverage page, built in PostGIS from a CoverageReport.

Household features carry their code only: no 四必访 flag is ever selected here.
"""

import pandas as pd
from geoalchemy2 import Geography, Geometry
from sqlalchemy import cast, func, select
from sqlalchemy.orm import Session

from gridmgmt.db.models import EconomicOrg, Household, PartyOrg, Township, Village, VillageGroup
from gridmgmt.db.queries import COORD_DIGITS, among, collection_of
from gridmgmt.domain.branch_rules import RESIDENT_VENUE_FIELDS, RULES
from gridmgmt.domain.errors import NotFound
from gridmgmt.domain.wording import rule_titles
from gridmgmt.readmodels import CoverageLayers, CoverageReport

SIMPLIFY_DEGREES = 2e-5  # about 2 m
HULL_MARGIN_M = 40  # proposed 党小组 drawn as their homes' hull plus this margin
# A party org without a venue sits at a point of its village.
ORG_PLACE = func.coalesce(
    PartyOrg.venue,
    select(func.ST_PointOnSurface(Village.geom)).where(Village.id == PartyOrg.village_id).scalar_subquery(),
)
# Where each kind of finding sits on the map: (id column of the table, id column of the finding, point).
PLACES = {
    "group": (VillageGroup.id, "id", func.ST_PointOnSurface(VillageGroup.geom)),
    "village": (Village.id, "id", func.ST_PointOnSurface(Village.geom)),
    "org": (PartyOrg.id, "org_id", ORG_PLACE),
    "firm": (EconomicOrg.id, "id", EconomicOrg.geom),
    "household": (Household.id, "household_id", Household.geom),
    # People (members, resident cadres) are shown at their village.
    "person": (Village.id, "village_id", func.ST_PointOnSurface(Village.geom)),
}
PLACE_OF_RULE = {
    "blank_group": "group",
    "blank_village": "village",
    "committee_missing": "org",
    "committee_not_allowed": "org",
    "committee_size": "org",
    "split_needed": "org",
    "firm_without_org": "firm",
    "coop_without_org": "firm",
    "village_uncovered": "village",
    "first_secretary_missing": "village",
    "election_overdue": "org",
    "election_due": "org",
    "election_unrecorded": "org",
    "org_life_missed": "org",
    "work_team_short": "village",
    "resident_term": "person",
    "probation_overdue": "person",
    "probation_due": "person",
    "helper_unpaired": "person",
    "venue_far": "household",
    "member_far": "household",
}


def _geoms(session: Session, id_column, ids, point) -> dict[int, str]:
    """GeoJSON text of POINT (an expression of ID_COLUMN's table) for the rows IDS."""
    rows = session.execute(select(id_column, func.ST_AsGeoJSON(point, COORD_DIGITS)).where(among(id_column, ids)))
    return dict(rows.all())


def _groups(session: Session, report: CoverageReport) -> dict:
    shapes = _geoms(
        session,
        VillageGroup.id,
        report.groups.index,
        func.ST_SimplifyPreserveTopology(VillageGroup.geom, SIMPLIFY_DEGREES),
    )
    blank = set(report.findings["blank_group"].index)
    return collection_of(
        (
            shapes[gid],
            {
                "code": g.code,
                "name": g["name"],
                "village": g.village,
                "households": int(g.households),
                "members": int(g.members),
                "per_100": float(g.per_100) if pd.notna(g.per_100) else 0.0,
                "blank": gid in blank,
            },
        )
        for gid, g in report.groups.iterrows()
        if gid in shapes
    )


def _served(report: CoverageReport) -> pd.DataFrame:
    """Per venue (party-org id): households whose nearest venue it is, and those of them beyond reach."""
    reach = report.reach
    far = reach.venue_m > report.rules.venue_reach_m
    return pd.DataFrame({"served": reach.venue_id.value_counts(), "far": reach.venue_id[far].value_counts()})


def _venues(session: Session, report: CoverageReport) -> dict:
    """Resident venues with their reach ('—' without road measures)."""
    rows = session.execute(
        select(PartyOrg.id, PartyOrg.name, func.ST_AsGeoJSON(PartyOrg.venue, COORD_DIGITS))
        .join(Township, Township.id == PartyOrg.township_id)
        .where(Township.code == report.code, PartyOrg.venue.is_not(None), PartyOrg.field.in_(RESIDENT_VENUE_FIELDS))
    ).all()
    if report.reach is None:
        return collection_of((geom, {"name": name, "served": "—", "far": "—"}) for _, name, geom in rows)
    served = _served(report).reindex([org for org, _, _ in rows]).fillna(0).astype(int)
    return collection_of(
        (geom, {"name": name, "served": int(served.served[org]), "far": int(served.far[org])})
        for org, name, geom in rows
    )


class VillageNotFound(NotFound):
    """A village name the township does not have."""

    def __init__(self, name: str):
        super().__init__(f"本乡镇没有名为“{name}”的行政村")


def require_village(report: CoverageReport, village: str | None) -> None:
    """Raise VillageNotFound unless VILLAGE is None or one of REPORT's villages."""
    if village and village not in set(report.villages.name):
        raise VillageNotFound(village)


def _far_rows(report: CoverageReport, village: str | None = None) -> pd.DataFrame:
    """The households beyond either reach (VILLAGE's only when given), one row each, with why."""
    titles = rule_titles(report.rules)
    empty = pd.DataFrame(columns=["household_id", "code", "group_id", "village"])
    far = pd.concat([report.findings.get(r, empty).assign(rule=titles[r]) for r in ("venue_far", "member_far")])
    if village:
        far = far[far.village == village]
    why = far.groupby("household_id").rule.agg("；".join)
    return far.drop_duplicates("household_id").set_index("household_id").assign(why=why)


def far_households(session: Session, report: CoverageReport, village: str | None = None) -> dict:
    """The households beyond either reach as points with their code and why (VILLAGE's only when
    given); raises VillageNotFound."""
    require_village(report, village)
    far = _far_rows(report, village)
    shapes = _geoms(session, Household.id, far.index, Household.geom)
    layer = collection_of((shapes[h], {"code": f.code, "why": f.why}) for h, f in far.iterrows())
    session.rollback()
    return layer


def _far_groups(session: Session, report: CoverageReport) -> dict:
    """Per 村民小组 with households beyond either reach: their number, at a point of the group."""
    counts = _far_rows(report).groupby("group_id").size()
    counts = counts[counts.index.isin(report.groups.index)]
    shapes = _geoms(session, VillageGroup.id, counts.index, func.ST_PointOnSurface(VillageGroup.geom))
    groups = report.groups
    return collection_of(
        (shapes[g], {"village": groups.village[g], "name": groups["name"][g], "households": int(n)})
        for g, n in counts.items()
    )


def _firms(session: Session, report: CoverageReport) -> dict:
    firms = pd.concat([report.findings[r].assign(rule=RULES[r]) for r in ("firm_without_org", "coop_without_org")])
    shapes = _geoms(session, EconomicOrg.id, firms.id, EconomicOrg.geom)
    return collection_of(
        (shapes[f.id], {"name": f["name"], "rule": f.rule, "employees": f.employees}) for _, f in firms.iterrows()
    )


def _hull(household_ids: list[int]):
    """The outline of a proposed 党小组: its homes' convex hull, HULL_MARGIN_M metres wider."""
    hull = func.ST_ConvexHull(func.ST_Collect(Household.geom))
    outline = cast(func.ST_Buffer(cast(hull, Geography), HULL_MARGIN_M), Geometry)
    return select(func.ST_AsGeoJSON(outline, COORD_DIGITS)).where(among(Household.id, household_ids))


def _proposals(session: Session, report: CoverageReport) -> dict:
    proposals = report.proposals if report.proposals is not None else pd.DataFrame()
    return collection_of(
        (
            session.scalar(_hull(p.household_ids)),
            {"branch": p.branch, "number": int(p.number), "members": int(p.members), "leader": p.leader},
        )
        for _, p in proposals.iterrows()
    )


def coverage_layers(session: Session, report: CoverageReport) -> CoverageLayers:
    """The overlays of REPORT's township."""
    layers = CoverageLayers(
        _groups(session, report),
        _venues(session, report),
        _far_groups(session, report),
        _firms(session, report),
        _proposals(session, report),
    )
    session.rollback()
    return layers


def gap_locations(session: Session, report: CoverageReport) -> dict[str, list]:
    """For every rule's rows, in order: (lat, lon) of the gap, or None (e.g. a person)."""
    out = {}
    for rule, frame in report.findings.items():
        if rule not in PLACE_OF_RULE or frame.empty:
            out[rule] = [None] * len(frame)
            continue
        id_column, column, point = PLACES[PLACE_OF_RULE[rule]]
        ids = (frame.index.to_series() if column == "id" and "id" not in frame else frame[column]).astype(float)
        known = ids.dropna().astype(int)
        rows = session.execute(select(id_column, func.ST_Y(point), func.ST_X(point)).where(among(id_column, known)))
        where = {i: (round(lat, COORD_DIGITS), round(lon, COORD_DIGITS)) for i, lat, lon in rows}
        # A person without a village (e.g. of the township's own branch) has no place.
        out[rule] = [where.get(int(i)) if pd.notna(i) else None for i in ids]
    session.rollback()
    return out
