"""Road-network reach for coverage: households to party venues and to party-member households.

Households and venues are snapped onto the township's RoadNetwork (gridmgmt.network.roads);
one vertex cost matrix among their edges' ends gives every road distance; the arithmetic is
in gridmgmt.network.distances.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from gridmgmt.db.models import Household, PartyMember, PartyOrg
from gridmgmt.db.queries import household_points, in_township, lonlat, positions
from gridmgmt.domain.branch_rules import RESIDENT_VENUE_FIELDS, CoverageRules
from gridmgmt.network.distances import Snapped, VertexCosts, nearest, nearest_distances
from gridmgmt.network.roads import RoadNetwork


def resident_venues(township_id: int) -> Select:
    """(id, lon, lat) of the township's venues where people live (RESIDENT_VENUE_FIELDS), by id."""
    return (
        select(PartyOrg.id, *lonlat(PartyOrg.venue))
        .where(
            PartyOrg.township_id == township_id, PartyOrg.venue.is_not(None), PartyOrg.field.in_(RESIDENT_VENUE_FIELDS)
        )
        .order_by(PartyOrg.id)
    )


POINTS = {"households": household_points, "venues": resident_venues}


def snap(session: Session, network: RoadNetwork, points: str, rules: CoverageRules) -> tuple[np.ndarray, Snapped]:
    """(ids, snapped points) of the township's POINTS ('households' or 'venues'); those beyond
    the rules' off-network distance from every road are measured in straight lines."""
    ids, lon, lat = positions(session, POINTS[points](network.township_id))
    return ids, network.snap(lon, lat, rules.off_network_m)


@dataclass(frozen=True)
class TownshipReach:
    """The township's households and resident venues on its roads, and the costs between them."""

    network: RoadNetwork
    home_ids: np.ndarray
    homes: Snapped
    venue_ids: np.ndarray
    venues: Snapped
    costs: VertexCosts


def township_reach(session: Session, township_id: int, rules: CoverageRules) -> TownshipReach:
    """Households and venues of the township snapped, with their vertex costs; NoRoads without roads."""
    network = RoadNetwork.of(session, township_id)
    home_ids, homes = snap(session, network, "households", rules)
    venue_ids, venues = snap(session, network, "venues", rules)
    return TownshipReach(network, home_ids, homes, venue_ids, venues, network.costs(homes, venues))


def member_household_ids(session: Session, township_id: int) -> np.ndarray:
    """Households of the township where a party member lives."""
    return np.array(
        session.scalars(
            select(PartyMember.household_id)
            .distinct()
            .join(Household, Household.id == PartyMember.household_id)
            .where(in_township(township_id))
        ).all()
    )


def household_reach(session: Session, reach: TownshipReach) -> pd.DataFrame:
    """Per household: metres to the nearest venue (and its org id, 0 when none is reachable) and
    to the nearest party-member household."""
    homes = reach.homes
    with_members = np.isin(reach.home_ids, member_household_ids(session, reach.network.township_id))
    venue_m, venue_row = nearest(homes, reach.venues, reach.costs)
    return pd.DataFrame(
        {
            "venue_m": venue_m,
            "venue_id": np.append(reach.venue_ids, 0)[venue_row],  # row -1 (no venue reachable) picks the 0
            "member_m": nearest_distances(homes, homes.take(with_members), reach.costs),
            "off_network": homes.off_network,
        },
        index=pd.Index(reach.home_ids, name="household_id"),
    )
