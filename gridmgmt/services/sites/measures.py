"""Spatial criteria of demo-site candidates, measured on the township's RoadNetwork.

The seat, venues and households are snapped onto the network (gridmgmt.network); one
vertex cost matrix gives the seat's road distance to each venue and each venue's
catchment; the shortest paths from the households to the seat give the main route.
"""

from dataclasses import replace

import numpy as np
import shapely
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from gridmgmt.db.models import DemoSite, Household, PartyMember, PartyOrg, Township
from gridmgmt.db.queries import household_points, in_township, lonlat, positions
from gridmgmt.domain.errors import Conflict
from gridmgmt.domain.site_criteria import Candidate, SiteConfig
from gridmgmt.domain.site_standards import ALL_HAVES
from gridmgmt.domain.vocab import ROAD_CLASSES
from gridmgmt.network.distances import Snapped, road_distances
from gridmgmt.network.edges import class_distances
from gridmgmt.network.roads import NoRoads, RoadNetwork, township_frame
from gridmgmt.services.sites.standards import org_tree, township_missed


def _points(kind: str, township_id: int) -> Select:
    """(id, lon, lat) of the township's seat ('seat'), venues ('venue') or households ('household'), by id."""
    if kind == "household":
        return household_points(township_id)
    if kind == "seat":
        return select(Township.id, *lonlat(Township.seat)).where(Township.id == township_id, Township.seat.is_not(None))
    return (
        select(PartyOrg.id, *lonlat(PartyOrg.venue))
        .where(PartyOrg.township_id == township_id, PartyOrg.venue.is_not(None))
        .order_by(PartyOrg.id)
    )


def _candidate_rows(township_id: int, srid: int) -> Select:
    """Every org of the township with a venue: its standards, venue in SRID, site record and the
    full members of its whole subtree (its 党小组 and sub-branches)."""
    tree = (
        select(PartyOrg.id.label("root"), PartyOrg.id)
        .where(PartyOrg.township_id == township_id)
        .cte("tree", recursive=True)
    )
    child = aliased(PartyOrg)
    tree = tree.union_all(select(tree.c.root, child.id).join_from(tree, child, child.parent_id == tree.c.id))
    full = (
        select(tree.c.root, func.count().label("n"))
        .join_from(tree, PartyMember, (PartyMember.party_org_id == tree.c.id) & (PartyMember.status == "full"))
        .group_by(tree.c.root)
        .subquery()
    )
    venue = func.ST_Transform(PartyOrg.venue, srid)
    return (
        select(
            PartyOrg.id,
            PartyOrg.code,
            PartyOrg.name,
            PartyOrg.org_type,
            PartyOrg.field,
            PartyOrg.venue_area_m2,
            PartyOrg.committee_size,
            *(getattr(PartyOrg, k) for k in ALL_HAVES),
            func.ST_X(venue).label("x"),
            func.ST_Y(venue).label("y"),
            DemoSite.theme,
            func.coalesce(DemoSite.is_contact_point, False).label("is_contact_point"),
            func.coalesce(DemoSite.is_secretary_model, False).label("is_secretary_model"),
            DemoSite.status,
            func.coalesce(full.c.n, 0).label("full_members"),
        )
        .outerjoin(DemoSite, DemoSite.party_org_id == PartyOrg.id)
        .outerjoin(full, full.c.root == PartyOrg.id)
        .where(PartyOrg.township_id == township_id, PartyOrg.venue.is_not(None))
        .order_by(PartyOrg.id)
    )


class NoSeat(Conflict, LookupError):
    """The township has no seat point, or no routable road."""


def located(session: Session, kind: str, township_id: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(ids, lon, lat) of the KIND points ('seat', 'venue', 'household') of the township."""
    return positions(session, _points(kind, township_id))


def township_network(session: Session, township_id: int) -> RoadNetwork | None:
    """The township's road network, or None when it has no routable road."""
    try:
        return RoadNetwork.of(session, township_id)
    except NoRoads:
        return None


def seat_network(session: Session, township_id: int) -> tuple[RoadNetwork, Snapped]:
    """The township's network and its seat on it; NoSeat without a seat or roads."""
    network = township_network(session, township_id)
    _, lon, lat = located(session, "seat", township_id)
    if network is None or not len(lon):
        raise NoSeat("乡镇未登记驻地位置，或乡镇没有可通行的道路")
    return network, network.snap(lon, lat)


def _main_route_orgs(
    network: RoadNetwork, seat: Snapped, homes: Snapped, venues: Snapped, venue_ids: np.ndarray, config: SiteConfig
) -> set[int]:
    """Venues near a road edge that carries a large share of the households' trips to the seat.

    Each household travels from the road vertex nearest to it along its shortest path
    to the seat; an edge on at least config.main_route_share of those paths is main route.
    """
    seat_v = seat.source[0] if seat.to_source[0] <= seat.to_target[0] else seat.target[0]
    near = np.where(homes.to_source <= homes.to_target, homes.source, homes.target)
    ends, weights = np.unique(near[near != seat_v], return_counts=True)
    if not len(ends):
        return set()
    paths = network.paths((seat_v, end) for end in ends)
    load = paths.assign(n=paths.end_vid.map(dict(zip(ends, weights)))).groupby("edge").n.sum()
    busy = load.index[load >= config.main_route_share * len(homes)].to_numpy()
    lines = network.edges.lines[network.edges.rows(busy)]
    near_venue = shapely.STRtree(lines).query(
        shapely.points(venues.x, venues.y), predicate="dwithin", distance=config.main_route_m
    )[0]
    return {int(v) for v in venue_ids[np.unique(near_venue)]}


def _base_candidates(
    session: Session, township_id: int, network: RoadNetwork | None, config: SiteConfig
) -> dict[int, Candidate]:
    frame = network.frame if network else township_frame(session, township_id)
    rows = session.execute(_candidate_rows(township_id, frame.epsg)).all()
    tree = org_tree(session, township_id)
    missed = township_missed(session, township_id, config.standard)
    out = {}
    for r in rows:
        haves = frozenset(k for k in ALL_HAVES if getattr(r, k))
        committee_id, committee_name = tree.committee(r.id)
        area = None if r.venue_area_m2 is None else float(r.venue_area_m2)
        out[r.id] = Candidate(
            r.id,
            r.name,
            r.field,
            r.x,
            r.y,
            area,
            haves,
            r.full_members,
            r.committee_size,
            r.theme,
            r.is_contact_point,
            r.is_secretary_model,
            r.status,
            org_type=r.org_type,
            code=r.code,
            committee_id=committee_id,
            committee_name=committee_name,
            org_life_missed=tuple(missed.get(r.id, ())),
        )
    if network is None or not rows:
        return out
    metres = class_distances(network.edges, np.array([r.x for r in rows]), np.array([r.y for r in rows]), ROAD_CLASSES)
    return {
        org: replace(c, road_m={k: None if np.isinf(d[n]) else float(d[n]) for k, d in metres.items()})
        for n, (org, c) in enumerate(out.items())
    }


def measure_candidates(session: Session, township_id: int, config: SiteConfig) -> list[Candidate]:
    """Every party org with a venue in the township, with its spatial criteria measured."""
    network = township_network(session, township_id)
    base = _base_candidates(session, township_id, network, config)
    _, *seat_at = located(session, "seat", township_id)
    if not base or network is None or not len(seat_at[0]):
        # Only the standards can be judged; each candidate is then excluded as unreachable.
        return list(base.values())
    seat = network.snap(*seat_at)
    venue_ids, *venue_at = located(session, "venue", township_id)
    home_ids, *home_at = located(session, "household", township_id)
    venues, homes = network.snap(*venue_at), network.snap(*home_at)
    costs = network.costs(seat, venues, homes)
    seat_m = road_distances(seat, venues, costs)[0]
    villages = _household_villages(session, township_id, home_ids)
    reach = road_distances(venues, homes, costs) <= config.catchment_m if len(homes) else None
    on_route = _main_route_orgs(network, seat, homes, venues, venue_ids, config) if len(homes) else set()
    measured = []
    for n, org in enumerate(venue_ids):
        hit = reach[n] if reach is not None else np.zeros(0, bool)
        measured.append(
            replace(
                base[int(org)],
                seat_road_m=None if np.isinf(seat_m[n]) else float(seat_m[n]),
                catchment_households=int(hit.sum()),
                catchment_villages=len(set(villages[hit].tolist())),
                on_main_route=int(org) in on_route,
            )
        )
    return measured


def _household_villages(session: Session, township_id: int, home_ids: np.ndarray) -> np.ndarray:
    """Village id of each household in HOME_IDS (households of the township), in the same order."""
    rows = dict(session.execute(select(Household.id, Household.village_id).where(in_township(township_id))).all())
    return np.array([rows[int(h)] for h in home_ids], dtype=int)
