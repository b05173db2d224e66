"""Road network topology for pgRouting: vertices, source/target, lengths."""

from geoalchemy2 import Geography
from psycopg import sql
from sqlalchemy import BigInteger, Column, LargeBinary, MetaData, Table, cast, func, select, union, update
from sqlalchemy.orm import Session
from sqlalchemy.schema import CreateTable

from gridmgmt.db.bulk import run
from gridmgmt.db.models import Road, RoadVertex

# Edge ends closer than this (degrees, about 0.1 m) are the same vertex.
SNAP_DEGREES = 1e-6

# Each edge's snapped ends and the distinct ends numbered, as EWKB: bytes hash and compare faster
# than geometries.
_TEMP = MetaData()
ROAD_END = Table(
    "road_end",
    _TEMP,
    Column("id", BigInteger),
    Column("s", LargeBinary),
    Column("t", LargeBinary),
    prefixes=["TEMPORARY"],
    postgresql_on_commit="DROP",
)
ROAD_NODE = Table(
    "road_node",
    _TEMP,
    Column("id", BigInteger),
    Column("p", LargeBinary),
    prefixes=["TEMPORARY"],
    postgresql_on_commit="DROP",
)


def _snapped(point):
    return func.ST_AsEWKB(func.ST_SnapToGrid(point, SNAP_DEGREES))


def build_topology(session: Session) -> int:
    """Rebuild road_vertex and every road's source/target/length; returns vertex count.

    Roads must already be split where they meet: ends are joined, crossings are not.
    Runs in the caller's transaction; the caller commits.
    """
    road, vertex, end, node = Road.__table__, RoadVertex.__table__, ROAD_END, ROAD_NODE
    run(session, sql.SQL("TRUNCATE {}").format(sql.Identifier(vertex.name)))
    session.execute(CreateTable(end))
    session.execute(
        end.insert().from_select(
            ["id", "s", "t"],
            select(road.c.id, _snapped(func.ST_StartPoint(road.c.geom)), _snapped(func.ST_EndPoint(road.c.geom))),
        )
    )
    session.execute(CreateTable(node))
    ends = union(select(end.c.s.label("p")), select(end.c.t)).subquery("ends")
    session.execute(node.insert().from_select(["id", "p"], select(func.row_number().over(order_by=ends.c.p), ends.c.p)))
    session.execute(vertex.insert().from_select(["id", "geom"], select(node.c.id, func.ST_GeomFromEWKB(node.c.p))))
    ns, nt = node.alias("ns"), node.alias("nt")
    session.execute(
        update(road)
        .values(source=ns.c.id, target=nt.c.id, length_m=func.ST_Length(cast(road.c.geom, Geography)))
        .where(road.c.id == end.c.id, ns.c.p == end.c.s, nt.c.p == end.c.t)
    )
    return session.execute(select(func.count()).select_from(vertex)).scalar_one()
