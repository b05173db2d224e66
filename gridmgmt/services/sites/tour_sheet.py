"""The printed tour (示范点现场观摩路线图) as PDF: the township map with the numbered route and the
way back to the seat, the table of stops beside it; the export is audited."""

import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import geopandas as gpd
import shapely
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gridmgmt.db.models import PartyOrg
from gridmgmt.domain.wording import file_name
from gridmgmt.maps.kinds.tour import TOUR_KIND
from gridmgmt.maps.static import Page, render, save
from gridmgmt.services.accounts.actors import Actor, audited_file
from gridmgmt.services.briefing.exports import briefing_data
from gridmgmt.services.sites.layers import tour_path
from gridmgmt.services.sites.selection import Tour


def _stops(session: Session, tour: Tour, seat) -> gpd.GeoDataFrame:
    """The seat (stop 0) and each site at its venue, with its leg, distance so far and arrival minute."""
    ids = [stop.party_org_id for stop in tour.stops[1:]]
    venues = dict(
        session.execute(select(PartyOrg.id, func.ST_AsBinary(PartyOrg.venue)).where(PartyOrg.id.in_(ids))).all()
    )
    points = [seat] + [shapely.from_wkb(venues[i]) for i in ids]
    stops = gpd.GeoDataFrame(
        {
            "n": range(len(tour.stops)),
            "name": [stop.name for stop in tour.stops],
            "leg_km": [stop.leg_m / 1000 for stop in tour.stops],
            "total_km": [stop.total_m / 1000 for stop in tour.stops],
            "arrive_min": [stop.arrive_min for stop in tour.stops],
        },
        geometry=points,
        crs=4326,
    )
    stops.attrs["back_min"] = tour.back_min
    return stops


def tour_pdf(
    session: Session, township_code: str, tour: Tour, actor: Actor, made_on: date, page: Page = Page()
) -> bytes:
    """The tour map of TOUR in township TOWNSHIP_CODE as PDF bytes; writes the audit row and commits."""
    data = briefing_data(session, TOUR_KIND, township_code, made_on)
    legs = gpd.GeoDataFrame.from_features(tour_path(tour), crs=4326)
    stops = _stops(session, tour, data.place.seat)  # a tour starts at the seat: there is one
    data = replace(data, layers={**data.layers, "tour_legs": legs, "tour_stops": stops})
    spec = TOUR_KIND.build(data)
    rendered = render(spec, page)
    name = file_name("site_tour", township_code, ext="pdf")
    detail = {"kind": TOUR_KIND.name, "format": "pdf", "township": township_code, "stops": len(tour.stops) - 1}
    with tempfile.TemporaryDirectory() as folder:
        path = audited_file(session, Path(folder) / name, lambda p: save(rendered, p, "pdf", spec.title), actor, detail)
        return path.read_bytes()
