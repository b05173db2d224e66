"""Map layers of the demo-site review page as GeoJSON: corridors built in PostGIS, the tour's
legs as RoadNetwork drew them."""

import json

import shapely
from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session

from gridmgmt.db.models import PartyOrg, Road, Township
from gridmgmt.db.queries import COORD_DIGITS, among, collection, collection_of, feature_collection, rounded
from gridmgmt.domain.site_criteria import SiteConfig
from gridmgmt.domain.site_review import STEP_LABEL_OF_STATUS
from gridmgmt.network.roads import degrees_for, township_frame
from gridmgmt.services.sites.selection import Scored, Tour


def corridors(session: Session, township_id: int, config: SiteConfig) -> dict:
    """The corridor: CONFIG.corridor_m around 国道/省道/县道, inside the township."""
    frame = township_frame(session, township_id)
    metres = config.corridor_m

    def metric(geom):
        return func.ST_Transform(geom, frame.epsg)

    # The bounding-box test lets the join use the road index; the distance is then in the frame.
    near = Road.geom.op("&&")(func.ST_Expand(Township.geom, degrees_for(metres, frame.lat))) & func.ST_DWithin(
        metric(Road.geom), metric(Township.geom), metres
    )
    band = func.ST_Transform(func.ST_Union(func.ST_Buffer(metric(Road.geom), metres)), 4326)
    rows = (
        select(
            func.ST_Intersection(Township.geom, band).label("geom"),
            literal(f"公路交通沿线（{metres:g} 米）").label("name"),
        )
        .select_from(Township)
        .join(Road, near)
        .where(Township.id == township_id, Road.road_class.in_(config.corridor_classes))
        .group_by(Township.geom)
    )
    return feature_collection(session, rows)


def candidates(session: Session, scored: list[Scored], chosen=frozenset()) -> dict:
    """Candidate venues with score, status, exclusion reasons and whether chosen."""
    ids = [s.candidate.party_org_id for s in scored]
    where = dict(
        session.execute(
            select(PartyOrg.id, func.ST_AsGeoJSON(PartyOrg.venue, COORD_DIGITS)).where(among(PartyOrg.id, ids))
        ).all()
    )
    return collection_of((where[s.candidate.party_org_id], _candidate_properties(s, chosen)) for s in scored)


def _candidate_properties(scored: Scored, chosen: frozenset[int]) -> dict:
    c = scored.candidate
    return {
        "code": c.code,
        "name": c.name,
        "score": scored.score.total,
        "objective": scored.score.objective,
        "status": STEP_LABEL_OF_STATUS.get(c.status, "未申报"),
        "excluded": "；".join(scored.score.excluded) or "—",
        "chosen": c.party_org_id in chosen,
    }


def tour_path(tour: Tour) -> dict:
    """Each leg of TOUR along the roads, with straight links to the venues; the last, marked
    `back`, returns to the seat."""
    ends = [(stop.name, stop.party_org_id, stop.leg_m, False) for stop in tour.stops[1:]]
    if len(tour.legs) > len(ends):
        ends.append((tour.stops[0].name, None, tour.back_m, True))
    legs = [
        {
            "type": "Feature",
            "geometry": json.loads(shapely.to_geojson(rounded(line))),
            "properties": {"leg": n, "to": name, "org": org, "km": round(metres / 1000, 1), "back": back},
        }
        for n, ((name, org, metres, back), line) in enumerate(zip(ends, tour.legs), start=1)
    ]
    return collection(legs)
