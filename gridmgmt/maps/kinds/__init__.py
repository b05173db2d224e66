"""The registry of briefing map kinds: each issue adds its module and one line here."""
from gridmgmt.maps.kinds import overview
from gridmgmt.maps.kinds.base import BriefingData, MapKind, Place

KINDS: dict[str, MapKind] = {kind.name: kind for kind in (overview.KIND,)}

__all__ = ["KINDS", "BriefingData", "MapKind", "Place"]
