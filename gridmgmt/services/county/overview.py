"""The 县级总览: every township of a county with its coverage, visit, grid plan and 示范点 figures.

The figures are those of each township's own pages: coverage from the county-wide pass
(gridmgmt.services.coverage.county), the committee rule on every branch, the leader's visit
summary of each township's compliance (gridmgmt.services.visits.desk), the published plan and its
cells, and the sites by review state. Compliance is the slow part (a township's duties, staff and a
year of visits): the whole overview is kept per county, day and data version (fingerprint).
"""

from datetime import date

import pandas as pd
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from gridmgmt.analysis.coverage import branch_members
from gridmgmt.db.kept import Kept
from gridmgmt.db.models import DemoSite, GridCell, GridPlan, Household, PartyMember, PartyOrg, Township, Village
from gridmgmt.db.queries import COORD_DIGITS, collection_of
from gridmgmt.domain.branch_rules import BRANCH_TYPES, CoverageRules, committee_finding
from gridmgmt.domain.county import SITE_STATE_OF, SITE_STATES
from gridmgmt.domain.errors import NotFound
from gridmgmt.readmodels import CountyOverview
from gridmgmt.services.county.fingerprint import fingerprint
from gridmgmt.services.county.visit_figures import visit_figures
from gridmgmt.services.visits.settings import VisitSettings

_TABLES = Kept(16)  # a county's figures but the visits, by day, rules and fingerprint


def county_townships(county: str) -> Select:
    """(id, code, name, county name) of the townships of COUNTY (a 6-digit code), by code."""
    return (
        select(Township.id, Township.code, Township.name, Township.county)
        .where(Township.code.startswith(county, autoescape=True))
        .order_by(Township.code)
    )


def county_overview(
    session: Session, county: str, day: date, visits: VisitSettings, rules: CoverageRules = CoverageRules()
) -> CountyOverview:
    """The overview of COUNTY on DAY (townships by code); NotFound when it has no township.

    The figures but the visits are kept in memory per fingerprint; each township's visit figures
    in the database until its own data change (gridmgmt.services.county.visit_figures)."""
    stamp = fingerprint(session)
    name, table, boundaries = _TABLES.get((county, day, rules, stamp), lambda: _table(session, county, day, rules))
    found = visit_figures(session, dict(zip(table.index.tolist(), table.code)), day, visits)
    rows = [{**_plain(row), **found[row["id"]]} for row in table.reset_index().to_dict("records")]
    return CountyOverview(county, name, day, rows, boundaries)


def _table(session: Session, county: str, day: date, rules: CoverageRules) -> tuple[str, pd.DataFrame, dict]:
    """The county's name, its townships' figures but the visits (by township id) and their boundaries."""
    townships = pd.DataFrame(session.execute(county_townships(county)).all(), columns=["id", "code", "name", "county"])
    if townships.empty:
        raise NotFound(f"没有编码以 {county} 开头的乡镇")
    ids = townships.set_index("id")
    table = ids[["code", "name"]].join(_coverage(session, county, rules)).join(_committees(session, ids.index, rules))
    table = table.join(_plans(session, ids.index, day)).join(_sites(session, ids.index))
    # A township with no households joins as NaN, which would turn the column's counts into floats (5.0).
    table = table.astype({"households": "Int64", "blank_groups": "Int64"})
    names = townships.county.dropna()
    return (str(names.iloc[0]) if len(names) else county), table, _boundaries(session, county)


def _coverage(session: Session, county: str, rules: CoverageRules) -> pd.DataFrame:
    """Households, 空白组 and members per 100 households by township id, counted in the database as
    the coverage pass counts them (gridmgmt.services.coverage.county): a group is blank when its
    households have no member present (流动党员 per the rules)."""
    towns = select(county_townships(county).subquery().c.id)
    homes = (
        select(Village.township_id, Household.id, Household.group_id)
        .join(Village, Village.id == Household.village_id)
        .where(Village.township_id.in_(towns))
        .subquery()
    )
    present = [PartyMember.household_id.is_not(None), *([] if rules.count_mobile else [~PartyMember.is_mobile])]
    members = select(PartyMember.household_id).where(*present).subquery()
    manned = select(homes.c.group_id).join(members, members.c.household_id == homes.c.id)
    blank = homes.c.group_id.not_in(manned.where(homes.c.group_id.is_not(None)))
    counts = select(
        homes.c.township_id,
        func.count().label("households"),
        func.count(homes.c.group_id.distinct()).filter(blank).label("blank_groups"),
    ).group_by(homes.c.township_id)
    table = pd.DataFrame(session.execute(counts).all(), columns=["id", "households", "blank_groups"]).set_index("id")
    found = select(homes.c.township_id, func.count()).join(members, members.c.household_id == homes.c.id)
    table["members"] = pd.Series(dict(session.execute(found.group_by(homes.c.township_id)).all()), dtype="int64")
    table["members"] = table.members.fillna(0)
    table["members_per_100"] = (100 * table.members / table.households.where(table.households > 0)).round(1)
    return table[["households", "blank_groups", "members_per_100"]]


def _committees(session: Session, township_ids, rules: CoverageRules) -> pd.DataFrame:
    """Branches that should have a 支委会 and have none (the committee rule), by township id."""
    orgs = pd.read_sql(
        select(PartyOrg.id, PartyOrg.parent_id, PartyOrg.township_id, PartyOrg.org_type, PartyOrg.committee_size).where(
            PartyOrg.township_id.in_(township_ids.tolist())
        ),
        session.connection(),
    )
    members = pd.read_sql(
        select(PartyMember.party_org_id).where(
            PartyMember.party_org_id.in_(orgs.id.tolist()), PartyMember.status == "full"
        ),
        session.connection(),
    )
    full = branch_members(orgs, members).value_counts()
    branches = orgs[orgs.org_type.isin(BRANCH_TYPES)]
    missing = [
        committee_finding(int(full.get(org, 0)), int(size or 0), rules) == "committee_missing"
        for org, size in zip(branches.id, branches.committee_size)
    ]
    counts = branches.township_id[missing].value_counts()
    return pd.DataFrame({"committee_missing": counts.reindex(township_ids, fill_value=0).astype(int)})


def _plans(session: Session, township_ids, day: date) -> pd.DataFrame:
    """The published plan of each township: whether there is one, its age in days and its cells without a worker."""
    idle = func.count(GridCell.id).filter(GridCell.grid_worker_id.is_(None))
    rows = session.execute(
        select(GridPlan.township_id, GridPlan.published_at, idle)
        .outerjoin(GridCell, GridCell.plan_id == GridPlan.id)
        .where(GridPlan.township_id.in_(township_ids.tolist()), GridPlan.status == "published")
        .group_by(GridPlan.id)
    ).all()
    found = {t: ((day - at.date()).days if at else None, n) for t, at, n in rows}
    # Object columns from the start: a list with None would be read as floats (0.0) first.
    return pd.DataFrame(
        {
            "plan_published": [t in found for t in township_ids],
            "plan_age_days": pd.Series([found.get(t, (None, None))[0] for t in township_ids], dtype=object),
            "cells_without_worker": pd.Series([found.get(t, (None, None))[1] for t in township_ids], dtype=object),
        }
    ).set_axis(township_ids)


def _sites(session: Session, township_ids) -> pd.DataFrame:
    """示范点 by review state (SITE_STATES), by township id."""
    rows = session.execute(
        select(PartyOrg.township_id, DemoSite.status, func.count())
        .join(PartyOrg, PartyOrg.id == DemoSite.party_org_id)
        .where(PartyOrg.township_id.in_(township_ids.tolist()))
        .group_by(PartyOrg.township_id, DemoSite.status)
    ).all()
    table = pd.DataFrame(0, index=township_ids, columns=[f"sites_{s}" for s in SITE_STATES])
    for township, status, n in rows:
        if status in SITE_STATE_OF:
            table.loc[township, f"sites_{SITE_STATE_OF[status]}"] += n
    return table


def _plain(row: dict) -> dict:
    """ROW with numpy and pandas scalars as Python values (None for missing)."""
    return {key: None if pd.isna(value) else getattr(value, "item", lambda v=value: v)() for key, value in row.items()}


def _boundaries(session: Session, county: str) -> dict:
    """The townships of COUNTY as a GeoJSON FeatureCollection (code and name), simplified for the county map."""
    towns = county_townships(county).subquery()
    shapes = select(
        func.ST_AsGeoJSON(func.ST_SimplifyPreserveTopology(Township.geom, 0.0005), COORD_DIGITS),
        Township.code,
        Township.name,
    ).where(Township.id.in_(select(towns.c.id)))
    return collection_of((geom, {"code": code, "name": name}) for geom, code, name in session.execute(shapes))
