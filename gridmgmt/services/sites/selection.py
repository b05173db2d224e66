"""Demo-site use cases: score candidates, choose a set, plan the 现场观摩 tour."""

from dataclasses import dataclass, field, replace

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from gridmgmt.analysis.siting import (
    Option,
    Rules,
    Score,
    Selection,
    SelectionError,
    most_sites,
    score,
    select_exact,
    select_greedy,
)
from gridmgmt.db.models import PartyOrg, Township
from gridmgmt.domain.errors import TownshipNotFound
from gridmgmt.domain.site_criteria import Candidate, SiteConfig
from gridmgmt.network.distances import concat
from gridmgmt.network.legs import Gap
from gridmgmt.network.tours import order_stops
from gridmgmt.services.sites.measures import located, measure_candidates, seat_network

# Sites that are awarded (or rectifying under an award) stay in any chosen set.
LOCKED_STATUSES = ("awarded", "rectifying")
SEAT_NAME = "乡镇驻地"
# Time given to the tour search: OR-Tools finds the optimum of 6–11 sites within 0.05 s (bench/sites.py).
TOUR_SEARCH_S = 0.2
# The tour's pace unless the planner says otherwise: a car on township roads, a short visit at each site.
TOUR_SPEED_KMH = 30.0
TOUR_STAY_MIN = 20.0


@dataclass(frozen=True)
class Scored:
    """A measured candidate with its score."""

    candidate: Candidate
    score: Score

    @property
    def eligible(self) -> bool:
        """True when it meets every hard requirement."""
        return not self.score.excluded


def township_id(session: Session, code: str) -> int:
    """Id of the township CODE; raises TownshipNotFound."""
    found = session.scalar(select(Township.id).where(Township.code == code))
    if found is None:
        raise TownshipNotFound(code)
    return found


def score_sites(session: Session, township_code: str, config: SiteConfig = SiteConfig()) -> list[Scored]:
    """Every candidate of the township, scored, best objective first."""
    candidates = measure_candidates(session, township_id(session, township_code), config)
    scored = [Scored(c, score(c, config)) for c in candidates]
    return sorted(scored, key=lambda s: (-s.score.objective, s.candidate.party_org_id))


def org_ids(session: Session, codes) -> frozenset[int]:
    """Party-org ids of CODES; SelectionError naming any unknown code."""
    codes = set(codes)
    found = dict(session.execute(select(PartyOrg.code, PartyOrg.id).where(PartyOrg.code.in_(codes))).all())
    unknown = sorted(codes - set(found))
    if unknown:
        raise SelectionError(f"没有编码为 {'、'.join(unknown)} 的党组织")
    return frozenset(found.values())


def selection_rules(
    session: Session,
    k: int,
    config: SiteConfig = SiteConfig(),
    per_field: int | None = None,
    per_theme: int | None = None,
    must=(),
) -> Rules:
    """The rules for choosing K sites: CONFIG's spacing and new sites per parent 党委, at most
    PER_FIELD per field and PER_THEME per theme, and the orgs of the MUST codes (SelectionError
    naming any unknown one)."""
    return Rules(
        k,
        config.min_spacing_m,
        per_field,
        per_theme,
        config.standard.per_committee,
        must_include=org_ids(session, must),
    )


def _options(scored: list[Scored], rules: Rules) -> tuple[list[Option], Rules]:
    """The eligible and awarded candidates as options, and RULES with the awarded ones locked in."""
    locked = frozenset(s.candidate.party_org_id for s in scored if s.candidate.status in LOCKED_STATUSES)
    options = [
        Option(
            s.candidate.party_org_id,
            s.candidate.x,
            s.candidate.y,
            s.candidate.field,
            s.candidate.theme,
            s.score.objective,
            s.candidate.committee_id,
        )
        for s in scored
        if s.eligible or s.candidate.party_org_id in locked
    ]
    return options, replace(rules, locked=rules.locked | locked)


def most_feasible(scored: list[Scored], rules: Rules) -> int:
    """The most sites RULES (K aside) let be chosen among SCORED; what the page suggests for K."""
    options, rules = _options(scored, rules)
    if rules.must_include - {o.id for o in options}:
        return 0
    return most_sites(options, rules)


def select_sites(
    scored: list[Scored], rules: Rules, exact: bool = True, time_limit_s: float = 10.0, workers: int = 2
) -> Selection:
    """Choose among SCORED by RULES; awarded sites are added to the locked-in set."""
    options, rules = _options(scored, rules)
    excluded = rules.must_include - {o.id for o in options}
    if excluded:
        raise SelectionError(f"必选的党组织（编号 {sorted(excluded)}）不符合硬性条件或没有活动场所")
    if exact:
        return select_exact(options, rules, time_limit_s, workers)
    return select_greedy(options, rules)


@dataclass(frozen=True)
class Stop:
    """A stop of the tour: the seat first, then each site; metres and minutes so far."""

    party_org_id: int | None
    name: str
    leg_m: float
    total_m: float
    arrive_min: float


@dataclass(frozen=True)
class Tour:
    """The ordered tour, its legs along the roads (lon/lat lines, one per stop after the seat,
    then the way back to the seat) and the network gaps on them."""

    stops: list[Stop]
    speed_kmh: float
    stay_min: float
    legs: list = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    back_m: float = 0.0  # road metres from the last site back to the seat

    @property
    def total_m(self) -> float:
        """Road metres from the seat to the last site."""
        return self.stops[-1].total_m

    @property
    def round_m(self) -> float:
        """Road metres of the whole round: out through every site and back to the seat."""
        return self.total_m + self.back_m

    @property
    def back_min(self) -> float:
        """Minutes from leaving the seat until back there: the last stay, then the drive back."""
        last = self.stops[-1]
        return round(last.arrive_min + (self.stay_min if last.party_org_id else 0.0) + self._drive(self.back_m), 1)

    def _drive(self, metres: float) -> float:
        return metres / (self.speed_kmh * 1000 / 60)


def plan_tour(
    session: Session,
    township_code: str,
    party_org_ids,
    speed_kmh: float = TOUR_SPEED_KMH,
    stay_min: float = TOUR_STAY_MIN,
) -> Tour:
    """Shortest road tour from the seat through the sites, staying STAY_MIN at each, and the way
    back. The order is the shortest way out: the day ends at the last site, and the drive back
    is shown for planning the day."""
    town = township_id(session, township_code)
    venue_ids, lon, lat = located(session, "venue", town)
    wanted = sorted(set(party_org_ids))
    rows = np.flatnonzero(np.isin(venue_ids, wanted))
    missing = sorted(set(wanted) - set(venue_ids[rows].tolist()))
    if missing:
        raise SelectionError(f"这些党组织不在本乡镇或没有活动场所：{missing}")
    network, seat = seat_network(session, town)
    places = concat(seat, network.snap(lon[rows], lat[rows]))
    legs = network.leg_matrix(places)
    metres = legs.metres
    order = order_stops(metres, TOUR_SEARCH_S, closed=False)
    names = dict(session.execute(select(PartyOrg.id, PartyOrg.name).where(PartyOrg.id.in_(wanted))).all())
    ids = [None] + venue_ids[rows].tolist()
    labels = [SEAT_NAME] + [names[i] for i in ids[1:]]
    stops, total, clock = [Stop(None, SEAT_NAME, 0.0, 0.0, 0.0)], 0.0, 0.0
    for prev, here in zip(order, order[1:]):
        leg = float(metres[prev, here])
        total += leg
        clock += leg / (speed_kmh * 1000 / 60) + (stay_min if prev else 0.0)
        stops.append(Stop(ids[here], labels[here], round(leg, 1), round(total, 1), round(clock, 1)))
    back = float(metres[order[-1], 0])
    drawn = network.draw(places, legs, order, closed=True)
    return Tour(stops, speed_kmh, stay_min, drawn, legs.gaps(order, True, labels), round(back, 1))
