"""Road network topology for pgRouting: vertices, source/target, lengths."""
from sqlalchemy import text
from sqlalchemy.orm import Session

# Edge ends closer than this (degrees, about 0.1 m) are the same vertex.
SNAP_DEGREES = 1e-6

_REBUILD = [
    "TRUNCATE road_vertex",
    """CREATE TEMP TABLE road_end ON COMMIT DROP AS
       SELECT id, ST_AsEWKB(ST_SnapToGrid(ST_StartPoint(geom), :snap)) AS s,
                  ST_AsEWKB(ST_SnapToGrid(ST_EndPoint(geom), :snap)) AS t
       FROM road""",
    """CREATE TEMP TABLE road_node ON COMMIT DROP AS
       SELECT row_number() OVER (ORDER BY p) AS id, p
       FROM (SELECT s AS p FROM road_end UNION SELECT t FROM road_end) ends""",
    "INSERT INTO road_vertex (id, geom) SELECT id, ST_GeomFromEWKB(p) FROM road_node",
    """UPDATE road SET source = ns.id, target = nt.id,
              length_m = ST_Length(road.geom::geography)
       FROM road_end e JOIN road_node ns ON ns.p = e.s JOIN road_node nt ON nt.p = e.t
       WHERE road.id = e.id""",
]


def build_topology(session: Session) -> int:
    """Rebuild road_vertex and every road's source/target/length; returns vertex count.

    Roads must already be split where they meet: ends are joined, crossings are not.
    Runs in the caller's transaction; the caller commits.
    """
    for statement in _REBUILD:
        session.execute(text(statement), {"snap": SNAP_DEGREES})
    return session.execute(text("SELECT count(*) FROM road_vertex")).scalar_one()
