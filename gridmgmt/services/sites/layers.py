"""Map layers of the demo-site review page as GeoJSON: corridors built in PostGIS, the tour's
legs as RoadNetwork drew them."""
import json

import numpy as np
import shapely
from sqlalchemy import text
from sqlalchemy.orm import Session

from gridmgmt.domain.site_criteria import SiteConfig
from gridmgmt.domain.site_review import STEP_LABEL_OF_STATUS
from gridmgmt.network.roads import degrees_for, township_frame
from gridmgmt.services.sites.selection import Scored, Tour

COORD_DIGITS = 6


def _collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def corridors(session: Session, township_id: int, config: SiteConfig) -> dict:
    """The corridor: CONFIG.corridor_m around 国道/省道/县道, inside the township."""
    frame = township_frame(session, township_id)
    # The bounding-box test lets the join use the road index; the distance is then in the frame.
    geometry = session.execute(text("""
        SELECT ST_AsGeoJSON(ST_Intersection(t.geom, ST_Transform(ST_Union(
                   ST_Buffer(ST_Transform(r.geom, :srid), :m)), 4326)), :digits)
        FROM township t JOIN road r ON r.geom && ST_Expand(t.geom, :deg)
             AND ST_DWithin(ST_Transform(r.geom, :srid), ST_Transform(t.geom, :srid), :m)
        WHERE t.id = :t AND r.road_class = ANY(:classes) GROUP BY t.geom"""),
        {"t": township_id, "m": config.corridor_m, "digits": COORD_DIGITS, "srid": frame.epsg,
         "deg": degrees_for(config.corridor_m, frame.lat), "classes": list(config.corridor_classes)}).scalar()
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


def tour_path(tour: Tour) -> dict:
    """Each leg of TOUR along the roads, with straight links to the venues."""
    legs = []
    for n, (stop, line) in enumerate(zip(tour.stops[1:], tour.legs), start=1):
        rounded = shapely.transform(line, lambda c: np.round(c, COORD_DIGITS))
        legs.append({"type": "Feature", "geometry": json.loads(shapely.to_geojson(rounded)),
                     "properties": {"leg": n, "to": stop.name, "org": stop.party_org_id,
                                    "km": round(stop.leg_m / 1000, 1)}})
    return _collection(legs)
