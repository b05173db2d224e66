"""One township, all its tables, in metres with ids starting at 1."""

import numpy as np
import pandas as pd
import shapely

from geodata.demo.activity import TIMEZONE, build_activity
from geodata.demo.cadres import build_cadres
from geodata.demo.firms import build_firms
from geodata.demo.households import build_households
from geodata.demo.orgs import build_org_records
from geodata.demo.party import build_liaisons, build_party
from geodata.demo.places import Places, build_places
from geodata.demo.residents import build_checkins, plant_postings, short_resident, thin_visits
from geodata.demo.roads import node, road_network
from geodata.demo.shapes import as_multipolygon
from geodata.demo.waters import build_waters

COUNTY_NAME = "和平县"
ROAD_LETTERS = {"national": "G", "county": "X", "township": "Y", "village": "C"}
# The national road through 和平县 (Beijing–Macau).
NATIONAL_ROAD = "国道G105"


def _venues(rng, places: Places, access: dict) -> np.ndarray:
    """Village venues: on the road into the village centre, a few metres short of it."""
    points = []
    for _v, hamlet in enumerate(places.centre_hamlet):
        road = access.get(int(hamlet))
        if road is None or road.length < 50:
            points.append(places.hamlets[hamlet] + rng.normal(0, 10, 2))
        else:
            points.append(np.asarray(road.interpolate(road.length - rng.uniform(15, 40)).coords[0]))
    return np.array(points)


def _roads(rng, lines: dict, places: Places, code: str) -> pd.DataFrame:
    pieces = node(lines)
    order = np.lexsort((pieces["village"], [list(ROAD_LETTERS).index(c) for c in pieces["road_class"]]))
    road_class, village = pieces["road_class"][order], pieces["village"][order]
    village_names = places.villages.name.to_numpy()
    county_road = f"县道X{int(rng.integers(100, 400))}"
    label = {
        "national": lambda v: NATIONAL_ROAD,
        "county": lambda v: county_road,
        "township": lambda v: f"乡道Y{v + 1:03d}",
        "village": lambda v: f"{village_names[v]}村道",
    }
    n = len(order)
    return pd.DataFrame(
        {
            "id": np.arange(1, n + 1),
            "township_id": 1,
            "code": [f"{code}{ROAD_LETTERS[c]}{k + 1:05d}" for k, c in enumerate(road_class)],
            "name": [label[c](v) for c, v in zip(road_class, village)],
            "road_class": road_class,
            "geom": pieces["geom"][order],
        }
    )


def build_township(
    rng: np.random.Generator,
    boundary,
    code: str,
    name: str,
    until,
    villages: int,
    households: int,
    groups_per_village=(5, 12),
) -> dict[str, pd.DataFrame]:
    """Every demo table of one township inside BOUNDARY (metric CRS)."""
    places = build_places(rng, boundary, code, villages, groups_per_village)
    hamlet_village = places.group_village[places.hamlet_group]
    lines = road_network(rng, boundary, places.seat, places.hamlets, hamlet_village, places.centre_hamlet)
    access = {h: geom for geom, h in zip(lines["geom"], lines["hamlet"]) if h >= 0}
    homes = build_households(rng, places, access, households)
    firms, firm_branch = build_firms(rng, places, homes)
    party = build_party(rng, places, homes, _venues(rng, places, access), firms, firm_branch, (code, name), until)
    cadres, postings = build_cadres(rng, places, homes, party, code, until)
    postings = plant_postings(postings, places.villages, until)
    events, visits = build_activity(rng, places, homes, cadres, postings, until)
    visits = thin_visits(visits, short_resident(postings), until, TIMEZONE)
    # A child stream: the check-ins leave every other table as it was.
    checkins = build_checkins(rng.spawn(1)[0], postings, places, until, TIMEZONE)
    township = pd.DataFrame(
        {
            "id": [1],
            "code": [code],
            "name": [name],
            "county": [COUNTY_NAME],
            "geom": [as_multipolygon(boundary)],
            "seat": [shapely.Point(places.seat)],
        }
    )
    tables = {
        "township": township,
        "village": places.villages,
        "village_group": places.groups,
        "household": homes,
        "party_org": party.orgs,
        "party_member": party.members,
        "economic_org": firms,
        "cadre": cadres,
        "cadre_village": postings,
        "liaison": build_liaisons(rng, homes, party.members),
        "road": _roads(rng, lines, places, code),
        "water": build_waters(boundary, places.villages.geom.to_numpy(), places.groups.geom.to_numpy(), code),
        "event": events,
        "visit": visits,
        "checkin": checkins,
    }
    # Last, so that every draw above is the same with or without it.
    records = build_org_records(rng, party.orgs, party.members, firms, homes, until)
    return tables | {"help_pairing": records.help_pairing, "org_meeting": records.org_meeting}
