"""Coverage figures of every township at once (a county): members where people live, and
the straight-line distance from every household to the nearest venue (a quick screen;
road distances are per township, gridmgmt.services.coverage.reach).

The rows leave PostGIS with COPY (200,000 households in well under a second); the
nearest venue is found in memory with shapely's STRtree, in the metric frame chosen
(by the townships' rule, gridmgmt.network.frame) at the households' median point.
"""

import io

import pandas as pd
from psycopg import sql
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from gridmgmt.analysis.coverage import area_counts
from gridmgmt.analysis.orgs import present
from gridmgmt.db.models import Household, PartyMember, PartyOrg, Township, Village
from gridmgmt.db.queries import lonlat
from gridmgmt.domain.branch_rules import RESIDENT_VENUE_FIELDS, CoverageRules
from gridmgmt.network.distances import nearest_straight
from gridmgmt.network.frame import TownshipFrame

HOUSEHOLDS = select(
    Household.id,
    Household.group_id,
    Household.village_id,
    Village.township_id,
    Household.member_count,
    *lonlat(Household.geom),
).join(Village, Village.id == Household.village_id)
MEMBERS = select(PartyMember.household_id, PartyMember.status, PartyMember.is_mobile).where(
    PartyMember.household_id.is_not(None)
)
VENUES = select(*lonlat(PartyOrg.venue)).where(PartyOrg.venue.is_not(None), PartyOrg.field.in_(RESIDENT_VENUE_FIELDS))
AREAS = {"groups": "group_id", "villages": "village_id", "townships": "township_id"}


def _copy_out(session: Session, rows: Select) -> pd.DataFrame:
    """ROWS as a DataFrame, through COPY … TO STDOUT (CSV); COPY takes no server-side
    parameters, so psycopg merges ROWS' parameters into the statement."""
    conn = session.connection()
    compiled = rows.compile(dialect=conn.dialect, compile_kwargs={"render_postcompile": True})
    raw = conn.connection.driver_connection
    buffer = io.BytesIO()
    statement = sql.SQL("COPY ({}) TO STDOUT WITH (FORMAT csv, HEADER)").format(sql.SQL(str(compiled)))
    with raw.cursor() as cur, cur.copy(statement, compiled.params) as copy:
        for block in copy:
            buffer.write(block)
    buffer.seek(0)
    return pd.read_csv(buffer, true_values=["t"], false_values=["f"])


def _venue_distances(homes: pd.DataFrame, venues: pd.DataFrame) -> pd.Series:
    """Metres from every household to the nearest venue, in a straight line."""
    frame = TownshipFrame(float(homes.lon.median()), float(homes.lat.median()))
    x, y = frame.to_metres(homes.lon.to_numpy(), homes.lat.to_numpy())
    tx, ty = frame.to_metres(venues.lon.to_numpy(), venues.lat.to_numpy())
    return pd.Series(nearest_straight(x, y, tx, ty), index=homes.index)


def county_figures(
    session: Session, rules: CoverageRules = CoverageRules(), county: str | None = None
) -> dict[str, pd.DataFrame]:
    """{'groups', 'villages', 'townships'}: coverage counts of the members present, 空白组 per township and households
    farther than the venue reach in a straight line ('venue_far_line'), for every township (of COUNTY, a
    6-digit code, when given)."""
    homes_rows, members_rows, venue_rows = HOUSEHOLDS, MEMBERS, VENUES
    if county is not None:
        townships = select(Township.id).where(Township.code.startswith(county, autoescape=True))
        homes_rows = HOUSEHOLDS.where(Village.township_id.in_(townships))
        homes = select(Household.id).join(Village, Village.id == Household.village_id)
        members_rows = MEMBERS.where(PartyMember.household_id.in_(homes.where(Village.township_id.in_(townships))))
        venue_rows = VENUES.where(PartyOrg.township_id.in_(townships))
    homes = _copy_out(session, homes_rows)
    members = present(_copy_out(session, members_rows), rules)  # 流动党员 as the rules count them
    venues = _copy_out(session, venue_rows)
    session.rollback()  # read-only: end the transaction the queries opened
    homes["far"] = _venue_distances(homes, venues) > rules.venue_reach_m
    out = {}
    for name, key in AREAS.items():
        table = area_counts(homes, members, key)
        table["venue_far_line"] = homes.groupby(key).far.sum().reindex(table.index).astype(int)
        out[name] = table
    township_of = homes.groupby("group_id").township_id.first()
    blank = out["groups"].members.eq(0).groupby(township_of).sum()
    out["townships"]["blank_groups"] = blank.reindex(out["townships"].index).fillna(0).astype(int)
    return out
