"""Read models: the data that services build and maps, reports and pages consume.

They live below services so that gridmgmt.maps and gridmgmt.reports never import services.
"""

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from gridmgmt.domain.branch_rules import CoverageRules


@dataclass(frozen=True)
class TownshipSummary:
    """One row of the township list."""

    code: str
    name: str
    county: str | None
    villages: int
    households: int


@dataclass(frozen=True)
class TownshipLayers:
    """Everything the township map draws; each layer is a GeoJSON FeatureCollection."""

    code: str
    name: str
    bounds: tuple[tuple[float, float], tuple[float, float]]  # ((south, west), (north, east))
    boundary: dict
    villages: dict
    village_labels: dict
    groups: dict
    roads: dict
    venues: dict
    households: dict | None = None  # None: the map draws them from /tiles/households
    household_count: int = 0
    waters: dict = field(default_factory=lambda: {"type": "FeatureCollection", "features": []})


@dataclass
class CoverageReport:
    """Everything the CLI, the workbook and the page show for one township."""

    code: str
    name: str
    rules: CoverageRules
    township: dict
    villages: pd.DataFrame  # per village: counts and per_100
    groups: pd.DataFrame  # per village group
    branches: pd.DataFrame  # every branch with counts, dispersion and rule results
    findings: dict[str, pd.DataFrame] = field(default_factory=dict)  # RULES code → rows
    proposals: pd.DataFrame | None = None  # proposed 党小组 of branches to split
    reach: pd.DataFrame | None = None  # per household distances (None: not computed)
    notes: list[str] = field(default_factory=list)  # what could not be computed, in Chinese


@dataclass(frozen=True)
class CoverageLayers:
    """GeoJSON FeatureCollections of the coverage overlays."""

    groups: dict  # every group polygon with its figures; blank ones marked
    venues: dict
    far_groups: dict  # per group, the number of its households beyond either reach
    firms: dict  # enterprises and co-ops without a party organisation
    proposals: dict  # proposed 党小组 outlines with the suggested leader


@dataclass(frozen=True)
class OrgLife:
    """组织生活 of a township's branches over START..END (whole months and quarters)."""

    code: str
    name: str
    start: date
    end: date
    branches: pd.DataFrame  # per branch: village, code, name, committee_size, a count per type, met, missing
    meetings: pd.DataFrame  # the meetings held: held_on, branch, meeting_type, venue, attendees, at_venue, distance_m
    groups: pd.DataFrame  # per 党小组: village, code, name, branch, 党小组会 held, met, missing (months)


@dataclass(frozen=True)
class CountyOverview:
    """The 县级总览: a county's code and name, the day, one row of figures per township (by code;
    the figures' keys are gridmgmt.domain.county.FIGURES') and the townships' boundaries (GeoJSON)."""

    code: str
    name: str
    day: date
    rows: list[dict]
    boundaries: dict
