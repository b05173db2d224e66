"""Map layers of the demo-site review page as GeoJSON built in PostGIS and pgRouting."""
import json

from sqlalchemy import text
from sqlalchemy.orm import Session

from gridmgmt.domain.site_criteria import SiteConfig
from gridmgmt.domain.site_review import STEP_LABEL_OF_STATUS
from gridmgmt.services.site_measures import EDGES_SQL
from gridmgmt.services.sites import Scored, Tour

COORD_DIGITS = 6


def _collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def corridors(session: Session, township_id: int, config: SiteConfig) -> dict:
    """The corridor: CONFIG.corridor_m around 国道/省道/县道, inside the township."""
    geometry = session.execute(text("""
        SELECT ST_AsGeoJSON(ST_Intersection(t.geom, ST_Union(
                   ST_Buffer(r.geom::geography, :m)::geometry)), :digits)
        FROM township t JOIN road r ON ST_DWithin(r.geom::geography, t.geom::geography, :m)
        WHERE t.id = :t AND r.road_class = ANY(:classes) GROUP BY t.geom"""),
        {"t": township_id, "m": config.corridor_m, "digits": COORD_DIGITS,
         "classes": list(config.corridor_classes)}).scalar()
    if geometry is None:
        return _collection([])
    return _collection([{"type": "Feature", "geometry": json.loads(geometry),
                         "properties": {"name": f"公路交通沿线（{config.corridor_m:g} 米）"}}])


def candidates(session: Session, scored: list[Scored], chosen=frozenset()) -> dict:
    """Candidate venues with score, status, exclusion reasons and whether chosen."""
    ids = [s.candidate.party_org_id for s in scored]
    where = dict((r.id, (r.lon, r.lat)) for r in session.execute(text(
        "SELECT id, ST_X(venue) AS lon, ST_Y(venue) AS lat FROM party_org WHERE id = ANY(:ids)"),
        {"ids": ids}))
    features = []
    for s in scored:
        c = s.candidate
        lon, lat = where[c.party_org_id]
        features.append({"type": "Feature", "geometry": {
            "type": "Point", "coordinates": [round(lon, COORD_DIGITS), round(lat, COORD_DIGITS)]},
            "properties": {"code": c.code, "name": c.name, "score": s.score.total,
                           "objective": s.score.objective,
                           "status": STEP_LABEL_OF_STATUS.get(c.status, "未申报"),
                           "excluded": "；".join(s.score.excluded) or "—",
                           "chosen": c.party_org_id in chosen}})
    return _collection(features)


def tour_path(session: Session, township_id: int, tour: Tour) -> dict:
    """Each leg of TOUR along the roads (pgRouting), with straight links to the venues."""
    legs = []
    for n, (a, b) in enumerate(zip(tour.stops, tour.stops[1:]), start=1):
        geometry = session.execute(text("""
            WITH ends AS (
                SELECT :a_org AS org, :a_v AS v UNION ALL SELECT :b_org, :b_v),
            links AS (
                SELECT ST_MakeLine(coalesce(o.venue, t.seat), rv.geom) AS geom
                FROM ends JOIN road_vertex rv ON rv.id = ends.v
                LEFT JOIN party_org o ON o.id = ends.org
                CROSS JOIN (SELECT seat FROM township WHERE id = :t) t),
            path AS (
                SELECT r.geom FROM pgr_dijkstra(:edges, CAST(:a_v AS bigint), CAST(:b_v AS bigint), false) p
                JOIN road r ON r.id = p.edge)
            SELECT ST_AsGeoJSON(ST_Collect(geom), :digits)
            FROM (SELECT geom FROM links UNION ALL SELECT geom FROM path) parts"""),
            {"a_org": a.party_org_id, "a_v": a.vertex, "b_org": b.party_org_id, "b_v": b.vertex,
             "t": township_id, "edges": EDGES_SQL, "digits": COORD_DIGITS}).scalar()
        legs.append({"type": "Feature", "geometry": json.loads(geometry),
                     "properties": {"leg": n, "to": b.name, "org": b.party_org_id,
                                    "km": round(b.leg_m / 1000, 1)}})
    return _collection(legs)
