"""The registry of briefing map kinds: each issue adds its module and one line here."""

from gridmgmt.maps.kinds import coverage, grid_plan, overview, sites, visits
from gridmgmt.maps.kinds.base import BriefingData, KindRefused, MapKind, Place

KINDS: dict[str, MapKind] = {
    kind.name: kind for kind in (overview.KIND, coverage.KIND, grid_plan.KIND, visits.KIND, sites.KIND)
}

__all__ = ["KINDS", "BriefingData", "KindRefused", "MapKind", "Place"]
