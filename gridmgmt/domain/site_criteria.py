"""党建示范点 selection (002 第一篇 二, 第三篇): the candidate record, hard requirements (the
创建标准 of gridmgmt.domain.site_standards among them) and soft-criterion weights. Thresholds and
weights are configuration.
"""

from dataclasses import dataclass, field

from gridmgmt.domain.branch_rules import BRANCH_TYPES, CoverageRules, committee_finding
from gridmgmt.domain.site_standards import SiteStandard, not_grassroots, org_life_shortfall, venue_shortfalls

# The committee rule (002 第一篇 二(二)4) as the coverage rules state it.
COVERAGE_RULES = CoverageRules()

# Roads whose buffer makes a 公路交通沿线 corridor (国道/省道/县道).
CORRIDOR_CLASSES = ("national", "provincial", "county")

# Soft criterion → Chinese label, in the order the breakdown is shown.
CRITERIA = {
    "venue_area": "场所面积",
    "corridor": "公路交通沿线",
    "seat": "靠近乡镇所在地",
    "contact_point": "联系点/书记示范点",
    "members": "党员人数",
    "main_route": "位于主要参观路线",
}


@dataclass(frozen=True)
class SiteConfig:
    """Thresholds and weights of site selection; every value can be overridden."""

    # The pass/fail 创建标准 (venue standard, candidates, per-党委 limit).
    standard: SiteStandard = field(default_factory=SiteStandard)
    # Venue area that earns the full venue_area points.
    full_venue_area_m2: float = 300.0
    require_committee: bool = True
    corridor_m: float = 300.0
    corridor_classes: tuple[str, ...] = CORRIDOR_CLASSES
    # Seat road distance beyond which the seat criterion gives nothing.
    seat_reach_m: float = 10_000.0
    catchment_m: float = 3_000.0
    # A road edge on at least this share of the households' shortest paths to the
    # seat is main route; a venue within main_route_m of it sits on the route.
    main_route_share: float = 0.1
    main_route_m: float = 150.0
    # Members that earn the full members points.
    full_members: int = 30
    # Objective points per 100 households in a site's catchment.
    catchment_weight: float = 1.0
    # Chosen sites stand at least this far apart in a straight line, so that one place does not take them all.
    min_spacing_m: float = 1500.0
    weights: dict[str, float] = field(
        default_factory=lambda: {
            "venue_area": 10.0,
            "corridor": 20.0,
            "seat": 10.0,
            "contact_point": 15.0,
            "members": 10.0,
            "main_route": 5.0,
        }
    )

    def __post_init__(self):
        unknown = set(self.weights) - set(CRITERIA)
        if unknown:
            raise ValueError(f"未知的评分项：{'、'.join(sorted(unknown))}")
        if any(w < 0 for w in self.weights.values()):
            raise ValueError("评分权重不能为负数")


@dataclass(frozen=True)
class Candidate:
    """A party org with a venue, with its standards and spatial criteria measured.

    full_members counts the org's whole subtree (its 党小组 and sub-branches).
    road_m maps each road class to the distance (m) from the venue to the nearest
    road of that class (None: no such road). seat_road_m is None when the venue
    cannot be reached along roads from the township seat.
    """

    party_org_id: int
    name: str
    field: str
    x: float  # metres in the township's projected CRS
    y: float
    venue_area_m2: float | None = None
    haves: frozenset[str] = frozenset()  # the 八有 and 六有 items the venue has
    full_members: int = 0
    committee_size: int = 0
    theme: str | None = None
    is_contact_point: bool = False
    is_secretary_model: bool = False
    status: str | None = None
    road_m: dict[str, float | None] = field(default_factory=dict)
    seat_road_m: float | None = None
    catchment_villages: int = 0
    catchment_households: int = 0
    on_main_route: bool = False
    org_type: str = "branch"
    code: str = ""
    committee_id: int | None = None  # the nearest 党委 above it
    committee_name: str = ""
    org_life_missed: tuple[str, ...] = ()  # meetings of 三会一课 and 主题党日 missed in the review period


def corridor_distance(candidate: Candidate, config: SiteConfig) -> float | None:
    """Distance (m) to the nearest corridor-class road, or None when there is none."""
    found = [candidate.road_m.get(c) for c in config.corridor_classes]
    found = [d for d in found if d is not None]
    return min(found) if found else None


def in_corridor(candidate: Candidate, config: SiteConfig) -> bool:
    """True when the venue lies within the corridor buffer of a 国道/省道/县道."""
    distance = corridor_distance(candidate, config)
    return distance is not None and distance <= config.corridor_m


def exclusions(candidate: Candidate, config: SiteConfig) -> list[str]:
    """The hard requirements CANDIDATE fails, as Chinese reasons; empty when eligible."""
    standard = config.standard
    reasons = [r for r in [not_grassroots(candidate.org_type, standard)] if r]
    reasons += venue_shortfalls(candidate.field, candidate.venue_area_m2, candidate.haves, standard)
    reasons += [r for r in [org_life_shortfall(candidate.org_type, candidate.org_life_missed, standard)] if r]
    if (
        config.require_committee
        and candidate.org_type in BRANCH_TYPES
        and committee_finding(candidate.full_members, candidate.committee_size, COVERAGE_RULES)
    ):
        reasons.append(f"班子设置不合规定（正式党员{candidate.full_members}人，支委{candidate.committee_size}人）")
    if candidate.seat_road_m is None:
        reasons.append("从乡镇驻地沿道路无法到达")
    if candidate.status == "revoked":
        reasons.append("已摘牌")
    return reasons
