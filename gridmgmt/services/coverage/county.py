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
from sqlalchemy.orm import Session

from gridmgmt.analysis.coverage import area_counts
from gridmgmt.domain.branch_rules import RESIDENT_VENUE_FIELDS, CoverageRules
from gridmgmt.network.distances import nearest_straight
from gridmgmt.network.frame import TownshipFrame

HOUSEHOLDS = """SELECT h.id, h.group_id, h.village_id, v.township_id, h.member_count,
                       ST_X(h.geom) AS lon, ST_Y(h.geom) AS lat
                FROM household h JOIN village v ON v.id = h.village_id"""
MEMBERS = "SELECT household_id, status FROM party_member WHERE household_id IS NOT NULL"
VENUES = "SELECT ST_X(venue) AS lon, ST_Y(venue) AS lat FROM party_org WHERE venue IS NOT NULL AND field = ANY({})"
AREAS = {"groups": "group_id", "villages": "village_id", "townships": "township_id"}


def _copy_out(session: Session, query: sql.Composable) -> pd.DataFrame:
    """The rows of QUERY as a DataFrame, through COPY … TO STDOUT (CSV)."""
    raw = session.connection().connection.driver_connection
    buffer = io.BytesIO()
    statement = sql.SQL("COPY ({}) TO STDOUT WITH (FORMAT csv, HEADER)").format(query)
    with raw.cursor() as cur, cur.copy(statement) as copy:
        for block in copy:
            buffer.write(block)
    buffer.seek(0)
    return pd.read_csv(buffer)


def _venue_distances(homes: pd.DataFrame, venues: pd.DataFrame) -> pd.Series:
    """Metres from every household to the nearest venue, in a straight line."""
    frame = TownshipFrame(float(homes.lon.median()), float(homes.lat.median()))
    x, y = frame.to_metres(homes.lon.to_numpy(), homes.lat.to_numpy())
    tx, ty = frame.to_metres(venues.lon.to_numpy(), venues.lat.to_numpy())
    return pd.Series(nearest_straight(x, y, tx, ty), index=homes.index)


def county_figures(session: Session, rules: CoverageRules = CoverageRules()) -> dict[str, pd.DataFrame]:
    """{'groups', 'villages', 'townships'}: coverage counts, 空白组 per township and households
    farther than the venue reach in a straight line ('venue_far_line'), for every township."""
    homes = _copy_out(session, sql.SQL(HOUSEHOLDS))
    members = _copy_out(session, sql.SQL(MEMBERS))
    venues = _copy_out(session, sql.SQL(VENUES).format(sql.Literal(RESIDENT_VENUE_FIELDS)))
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
