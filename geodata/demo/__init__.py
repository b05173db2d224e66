"""Deterministic demo township (or county) generator: pure, returns DataFrames, no DB.

Same seed, scale and `until` date → identical data. Geometries are EPSG:4326 shapely
objects; ids start at 1 and foreign keys point inside the data (see `shift_ids`).
"""

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from geodata.demo import names
from geodata.demo.shapes import blob, tile, to_lonlat
from geodata.demo.township import COUNTY_NAME, build_township

COUNTY_CODE = "441624"
# Tables in foreign-key order, and where each foreign key points.
TABLES = (
    "township",
    "village",
    "village_group",
    "household",
    "party_org",
    "party_member",
    "economic_org",
    "cadre",
    "cadre_village",
    "liaison",
    "road",
    "water",
    "event",
    "visit",
    "help_pairing",
    "org_meeting",
    "checkin",
)
FOREIGN_KEYS = {
    "village": {"township_id": "township"},
    "village_group": {"village_id": "village"},
    "household": {"village_id": "village", "group_id": "village_group"},
    "party_org": {"township_id": "township", "parent_id": "party_org", "village_id": "village"},
    "party_member": {"party_org_id": "party_org", "household_id": "household"},
    "economic_org": {"township_id": "township", "village_id": "village", "party_org_id": "party_org"},
    "cadre": {"township_id": "township", "household_id": "household", "party_member_id": "party_member"},
    "cadre_village": {"cadre_id": "cadre", "village_id": "village"},
    "liaison": {"party_member_id": "party_member", "household_id": "household"},
    "road": {"township_id": "township"},
    "water": {"township_id": "township"},
    "event": {"village_id": "village", "household_id": "household", "reported_by": "cadre", "attended_by": "cadre"},
    "visit": {"cadre_id": "cadre", "household_id": "household", "group_id": "village_group", "event_id": "event"},
    "help_pairing": {"party_member_id": "party_member", "household_id": "household"},
    "org_meeting": {"party_org_id": "party_org"},
    "checkin": {"cadre_id": "cadre", "village_id": "village"},
}
GEOMETRY_COLUMNS = {
    "township": ("geom", "seat"),
    "party_org": ("venue",),
    "cadre": ("home",),
    "party_member": (),
    "cadre_village": (),
    "liaison": (),
    "help_pairing": (),
    "org_meeting": (),
}
SCALES = {"township": 1, "county": 20}
VILLAGES_PER_TOWNSHIP = 20
HOUSEHOLDS_PER_TOWNSHIP = 10_000
# Mean radius (m) of a township of 20 villages: about 200 km² of hill country.
TOWNSHIP_RADIUS_M = 8_000.0


@dataclass
class DemoData:
    """The generated tables, keyed by table name, in foreign-key order."""

    tables: dict[str, pd.DataFrame]

    def counts(self) -> dict[str, int]:
        """Row count of every table."""
        return {name: len(frame) for name, frame in self.tables.items()}


def shift_ids(tables: dict[str, pd.DataFrame], offsets: dict[str, int]) -> dict[str, pd.DataFrame]:
    """TABLES with every id and foreign key moved up by the OFFSETS of their tables."""
    shifted = {}
    for name, frame in tables.items():
        frame = frame.copy()
        frame["id"] = frame["id"] + offsets.get(name, 0)
        for column, target in FOREIGN_KEYS.get(name, {}).items():
            frame[column] = frame[column] + offsets.get(target, 0)
        shifted[name] = frame
    return shifted


def _concat(parts: list[dict]) -> dict[str, pd.DataFrame]:
    offsets = dict.fromkeys(TABLES, 0)
    shifted = []
    for tables in parts:
        shifted.append(shift_ids(tables, offsets))
        offsets = {name: offsets[name] + len(tables[name]) for name in TABLES}
    return {name: pd.concat([s[name] for s in shifted], ignore_index=True) for name in TABLES}


def township_codes(scale: str, county: str = COUNTY_CODE, count: int | None = None) -> list[str]:
    """The 12-digit codes of the townships SCALE generates in COUNTY (the seed does not change them).

    COUNT overrides the scale's number of townships (smaller values make quick tests).
    """
    return [f"{county}{100 + k:03d}000" for k in range(count or SCALES[scale])]


def _reproject(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    for column in GEOMETRY_COLUMNS.get(name, ("geom",)):
        values = frame[column].to_numpy()
        frame[column] = to_lonlat(np.where(pd.isna(values), None, values))
    return frame


def build_county(
    seed_key: list[int], outlines, codes: list[str], town_names: list[str], county_name: str, until: date, size
) -> DemoData:
    """The townships of one county inside OUTLINES (metres), township k drawn from seed SEED_KEY + [k].

    SIZE is (villages, households) per township.
    """
    parts = []
    for k, (outline, code) in enumerate(zip(outlines, codes)):
        town_rng = np.random.default_rng([*seed_key, k])
        parts.append(build_township(town_rng, outline, code, town_names[k], until, *size))
    tables = _concat(parts)
    tables["township"]["county"] = county_name
    return DemoData({name: _reproject(name, frame) for name, frame in tables.items()})


def township_radius(villages: int) -> float:
    """Mean radius (m) of a township of VILLAGES villages."""
    return TOWNSHIP_RADIUS_M * np.sqrt(villages / VILLAGES_PER_TOWNSHIP)


def generate(
    seed: int = 1,
    scale: str = "township",
    until: date | None = None,
    villages: int = VILLAGES_PER_TOWNSHIP,
    households: int = HOUSEHOLDS_PER_TOWNSHIP,
) -> DemoData:
    """The demo data of SCALE (township or county) for SEED; visits end the day before UNTIL.

    VILLAGES and HOUSEHOLDS are per township (smaller values make quick tests).
    """
    until = until or date(2026, 1, 1)
    rng = np.random.default_rng(seed)
    count = SCALES[scale]
    radius = township_radius(villages)
    if count == 1:
        outlines = [blob(rng, (0.0, 0.0), radius)]
    else:
        outlines, _ = tile(rng, blob(rng, (0.0, 0.0), radius * np.sqrt(count)), count)
    town_names = names.place_names(rng, count, "镇")
    return build_county([seed], outlines, township_codes(scale), town_names, COUNTY_NAME, until, (villages, households))
