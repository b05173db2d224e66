"""Party organisations and members, with the gaps a real township has.

Members belong to the lowest org (a 党小组 where one exists); a branch's members are
its own plus those of its 党小组. Deliberate gaps: a few groups without members,
a branch of >= 7 full members without a committee, a 6-member branch with one, and
one large village branch (> 30 members over distant hamlets) never split. Branches above
CoverageRules' split_above get 党小组 of about its group_size where their groups allow. Against
the 示范点 创建标准: the township 党委 has a venue (no candidate), the 机关党支部 a 90 m² room
with all of 六有 (it passes: 120 m² is for village venues), and the village branch with the
largest venue every 八有 item but the 农家书屋 (it fails).
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from geodata.demo import names
from geodata.demo.places import Places
from gridmgmt.domain.branch_rules import CoverageRules

MEMBER_SHARE = 0.041  # of residents, before the cadres' and firms' members (about 4 % in all)
EMPTY_GROUPS = 3
SPLIT_ABOVE = CoverageRules().split_above  # branches larger than this get 党小组 (but the dispersed one)
GROUP_SIZE = CoverageRules().group_size  # members per 党小组, about
FEMALE_SHARE = 0.25  # of members (issue 13: 20–30 %)
EIGHT_HAVES = [
    "has_standard_venue",
    "has_signage",
    "has_activity_room",
    "has_service_center",
    "has_office",
    "has_library",
    "has_outdoor_space",
    "has_notice_board",
]
# 六有 items follow the 八有 items the same rooms hold: no draw, so the rest of the demo stays as it was.
SIX_FROM_EIGHT = {
    "has_flag_and_rules": "has_signage",
    "has_furniture": "has_office",
    "has_archives": "has_office",
    "has_study_corner": "has_notice_board",
    "has_av_equipment": "has_activity_room",
    "has_study_materials": "has_library",
}
AGENCY_AREA_M2 = 90.0
# How much a venue's 八有 items follow its upkeep rather than each its own draw (0: independent).
UPKEEP_WEIGHT = 0.9
# Members from which a village has a 党委 rather than a 党总支: the 支部工作条例 sets 100, and lets the
# county approve a 党委 for fewer "确因工作需要"; large villages here were so approved.
VILLAGE_COMMITTEE_MEMBERS = 80


@dataclass
class Party:
    """The org and member frames of a township; more rows are appended by later steps."""

    orgs: pd.DataFrame
    members: pd.DataFrame
    agency_branch: int  # id of the 机关党支部 that township cadres join


def _group_counts(rng, places: Places, households: pd.DataFrame, dispersed: int) -> np.ndarray:
    residents = np.bincount(households.group_id - 1, households.member_count, len(places.groups))
    spread = np.exp(rng.normal(0, 0.25, len(places.villages)))[places.group_village]
    # Villages differ, but the township as a whole keeps MEMBER_SHARE whatever the draw.
    rate = MEMBER_SHARE * spread * residents.sum() / (spread * residents).sum()
    counts = rng.binomial(residents.astype(int), rate)
    in_dispersed = places.group_village == dispersed
    # One member in every group (no 空白组 here), the rest in four hamlets far apart.
    mine = np.flatnonzero(in_dispersed)
    counts[mine] = 1
    apart = mine[_far_apart(places.hamlets[mine], 4)]
    counts[apart] += rng.multinomial(int(rng.integers(34, 45)) - len(mine), [0.25] * len(apart))
    others = np.flatnonzero(~in_dispersed & (places.group_village != places.seat_village))
    counts[rng.choice(others, min(EMPTY_GROUPS, len(others)), replace=False)] = 0
    return counts


def _far_apart(points: np.ndarray, k: int) -> np.ndarray:
    """Indices of K of POINTS spread as far apart as they go (farthest-point order)."""
    chosen = [int(np.argmax(np.hypot(*(points - points.mean(axis=0)).T)))]
    while len(chosen) < min(k, len(points)):
        gaps = np.min([np.hypot(*(points - points[c]).T) for c in chosen], axis=0)
        chosen.append(int(np.argmax(gaps)))
    return np.array(chosen)


def _clusters(places: Places, v: int, counts: np.ndarray, threshold: int, alone: int) -> list[list[int]]:
    """Groups of village V cut, going round the centre, into runs of >= THRESHOLD members
    or of two groups, whichever comes first: a branch of neighbours, never dispersed."""
    groups = np.flatnonzero(places.group_village == v)
    centre = places.hamlets[places.centre_hamlet[v]]
    ring = groups[np.argsort(np.arctan2(*(places.hamlets[groups] - centre).T[::-1]))]
    runs, run = [], []
    for g in ring:
        if g == alone:
            continue
        run.append(int(g))
        if counts[run].sum() >= threshold or len(run) == 2:
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    return runs + ([[alone]] if alone in groups else [])


def _venue(rng, xy, kind: str):
    """Venue area (m²) and 八有 items; rooms in firms and 小组 sites are smaller.

    Items go together: a venue that is well kept has most of them, a neglected one few. Each
    item's draw leans on the venue's mean draw (its upkeep), so the draws stay as many as before.
    """
    mean = {"village": 240, "unit": 140, "firm": 110}[kind]
    area = round(float(np.exp(rng.normal(np.log(mean), 0.45))), 1)
    chance = np.clip((area - 40) / 260, 0.15, 0.95)
    draws = rng.random(8)
    upkept = UPKEEP_WEIGHT * draws.mean() + (1 - UPKEEP_WEIGHT) * draws
    items = dict(zip(EIGHT_HAVES, upkept < chance))
    items["has_standard_venue"] &= area >= 120
    return {"venue": shapely.Point(xy), "venue_area_m2": area, **items}


class _Orgs:
    """Accumulates org rows with ids and codes numbered in order."""

    def __init__(self, town_code: str):
        self.rows, self.town_code = [], town_code

    def add(self, name, org_type, parent=None, village=None, field="rural", committee=0, venue=None):
        org_id = len(self.rows) + 1
        self.rows.append(
            {
                "id": org_id,
                "township_id": 1,
                "parent_id": parent,
                "village_id": village,
                "code": f"{self.town_code}{org_id:04d}",
                "name": name,
                "org_type": org_type,
                "field": field,
                "committee_size": committee,
                **(venue or {}),
            }
        )
        return org_id


def new_members(
    rng, first_id: int, town_code: str, org: np.ndarray, household, person: np.ndarray, female: np.ndarray, until
) -> pd.DataFrame:
    """Member rows from FIRST_ID: ages, join dates, 3 % probationary, some mobile (流动)."""
    n = len(org)
    ids = np.arange(first_id, first_id + n)
    birth = rng.triangular(1938, 1962, 2002, n).astype(int)
    joined_year = np.minimum(birth + rng.integers(20, 46, n), until.year - 1)
    joined = (joined_year - 1970).astype("datetime64[Y]").astype("datetime64[D]") + rng.integers(0, 365, n)
    probationary = rng.random(n) < 0.03
    recent = np.datetime64(until) - rng.integers(30, 330, n).astype("timedelta64[D]")
    joined = np.where(probationary, recent, joined)
    return pd.DataFrame(
        {
            "id": ids,
            "party_org_id": org,
            "household_id": pd.array(household, dtype="Int64"),
            "code": [f"DY{town_code}{i:05d}" for i in ids],
            "name": person,
            "gender": np.where(female, "女", "男"),
            "birth_year": birth,
            "joined_on": joined.astype(object),
            "status": np.where(probationary, "probationary", "full"),
            # 流动党员: mostly the young, working away (about 15 % in all).
            "is_mobile": rng.random(n) < np.where(birth > 1975, 0.38, 0.06),
        }
    )


def committee_for(full: int) -> int:
    """Committee size by the rule: secretary only under 7 full members, else 3 or 5."""
    return 0 if full < 7 else (3 if full < 50 else 5)


def _village_orgs(rng, orgs: _Orgs, places: Places, counts, venues, dispersed: int, alone: int):
    """One org per village (党委/党总支/党支部) with its sub-branches or 党小组; group → org."""
    group_org = np.zeros(len(places.groups), int)
    totals = np.bincount(places.group_village, counts, len(places.villages))
    group_names = places.groups.name.to_numpy()
    for v, village in places.villages.iterrows():
        field = "community" if village.is_community else "rural"
        mine = places.group_village == v
        if v == dispersed or totals[v] < 50:
            top = orgs.add(
                f"{village['name']}党支部", "branch", 1, v + 1, field, venue=_venue(rng, venues[v], "village")
            )
            runs = [np.flatnonzero(mine)] if v == dispersed else _clusters(places, v, counts, 10, -1)
            for k, run in enumerate(runs):
                group_org[run] = (
                    top
                    if v == dispersed
                    else orgs.add(f"{village['name']}第{k + 1}党小组", "party_group", top, v + 1, field)
                )
            continue
        big_village = totals[v] >= VILLAGE_COMMITTEE_MEMBERS
        kind, committee = ("party_committee", 7) if big_village else ("general_branch", 5)
        top = orgs.add(
            f"{village['name']}{'党委' if big_village else '党总支'}",
            kind,
            1,
            v + 1,
            field,
            committee,
            _venue(rng, venues[v], "village"),
        )
        for run in _clusters(places, v, counts, 25, alone):
            site = places.hamlets[run[0]] + rng.normal(0, 15, 2)
            branch = orgs.add(
                f"{village['name']}{group_names[run[0]][:-1]}党支部",
                "branch",
                top,
                v + 1,
                field,
                venue=_venue(rng, site, "unit"),
            )
            group_org[run] = branch
            if counts[run].sum() > SPLIT_ABOVE and len(run) > 1:
                parts = min(len(run), max(2, round(counts[run].sum() / GROUP_SIZE)))
                for k, half in enumerate(np.array_split(run, parts)):
                    group_org[half] = orgs.add(
                        f"{orgs.rows[branch - 1]['name']}第{k + 1}党小组", "party_group", branch, v + 1, field
                    )
    return group_org


def _set_committees(rng, frame: pd.DataFrame, members: pd.DataFrame, fixed: dict, avoid: int) -> None:
    """Committees by the rule, then one deliberate gap: >= 7 full members, no committee."""
    full = members[members.status == "full"].party_org_id.value_counts()
    parent = frame.set_index("id").parent_id
    in_groups = full[full.index.isin(frame.id[frame.org_type == "party_group"])]
    full = full.add(in_groups.groupby(parent[in_groups.index].to_numpy()).sum(), fill_value=0)
    branch = (frame.org_type == "branch") & ~frame.id.isin(fixed)
    sizes = frame.id.map(full).fillna(0).astype(int)
    frame.loc[branch, "committee_size"] = sizes[branch].map(committee_for)
    frame.loc[frame.id.isin(fixed), "committee_size"] = frame.id.map(fixed)
    candidates = frame.id[branch & (sizes >= 7) & (frame.id != avoid)].to_numpy()
    if len(candidates):
        frame.loc[frame.id == rng.choice(candidates), "committee_size"] = 0


def _pick_households(rng, households: pd.DataFrame, member_group: np.ndarray) -> np.ndarray:
    """A random household of each member's group (index into HOUSEHOLDS, sorted by group)."""
    group = households.group_id.to_numpy() - 1
    start = np.searchsorted(group, np.arange(group.max() + 1))
    size = np.bincount(group)
    return start[member_group] + (rng.random(len(member_group)) * size[member_group]).astype(int)


def build_party(
    rng,
    places: Places,
    households: pd.DataFrame,
    venues: np.ndarray,
    firms: pd.DataFrame,
    firm_branch: np.ndarray,
    town: tuple[str, str],
    until,
) -> Party:
    """Org tree and members; marks 党员户/党员中心户 and links firms to their branches."""
    town_code, town_name = town
    areas = shapely.area(places.villages.geom.to_numpy())
    areas[places.seat_village] = 0
    dispersed = int(np.argmax(areas))
    counts = _group_counts(rng, places, households, dispersed)
    totals = np.bincount(places.group_village, counts, len(places.villages))
    big = np.flatnonzero((totals >= 60) & (np.arange(len(totals)) != dispersed))
    pool = np.flatnonzero(np.isin(places.group_village, big) & (counts > 0))
    # Tiny test townships may have no village big enough for the 6-member gap.
    alone = int(pool[np.argmin(np.abs(counts[pool] - 6))]) if len(pool) else -1
    counts[alone] = 6 if alone >= 0 else counts[alone]
    orgs = _Orgs(town_code)
    seat = places.seat
    orgs.add(f"中共{town_name}委员会", "party_committee", committee=9, venue=_venue(rng, seat, "village"))
    agency = orgs.add(
        f"{town_name}机关党支部", "branch", 1, field="agency", venue=_venue(rng, seat + rng.normal(0, 20, 2), "unit")
    )
    group_org = _village_orgs(rng, orgs, places, counts, venues, dispersed, alone)
    member_group = np.repeat(np.arange(len(places.groups)), counts)
    home = _pick_households(rng, households, member_group)
    first = np.zeros(len(home), bool)
    first[np.unique(home, return_index=True)[1]] = True
    female = rng.random(len(home)) < FEMALE_SHARE
    heads = households["head"].to_numpy()[home]
    # The first man of a household is its head; women and the others get names of their own.
    person = np.where(first & ~female, heads, names.person_names(rng, np.array([h[0] for h in heads]), female))
    members = new_members(
        rng, 1, town_code, group_org[member_group], households.id.to_numpy()[home], person, female, until
    )
    members.loc[member_group == alone, "status"] = "full"
    members = _firm_branches(rng, orgs, firms, firm_branch, members, until)
    frame = pd.DataFrame(orgs.rows)
    frame[EIGHT_HAVES] = frame[EIGHT_HAVES].fillna(False).astype(bool)
    _plant_standards(frame, agency)
    fixed = {agency: 5} | ({int(group_org[alone]): 3} if alone >= 0 else {})
    _set_committees(rng, frame, members, fixed, int(group_org[places.group_village == dispersed][0]))
    _mark_households(rng, households, members)
    frame["parent_id"] = pd.array(frame.parent_id, dtype="Int64")
    frame["village_id"] = pd.array(frame.village_id, dtype="Int64")
    return Party(orgs=frame, members=members, agency_branch=agency)


def _plant_standards(frame: pd.DataFrame, agency: int) -> None:
    """六有 items for every venue, then the two planted cases of the 创建标准 (module docstring)."""
    for six, eight in SIX_FROM_EIGHT.items():
        frame[six] = frame[eight]
    frame.loc[frame.id == agency, list(SIX_FROM_EIGHT)] = True
    frame.loc[frame.id == agency, "venue_area_m2"] = AGENCY_AREA_M2
    village = frame[(frame.org_type == "branch") & (frame.field == "rural") & frame.venue_area_m2.notna()]
    if len(village):
        largest = frame.index == village.venue_area_m2.idxmax()
        frame.loc[largest, EIGHT_HAVES] = True
        frame.loc[largest, "has_library"] = False


def _firm_branches(
    rng, orgs: _Orgs, firms: pd.DataFrame, firm_branch: np.ndarray, members: pd.DataFrame, until
) -> pd.DataFrame:
    """A branch in each firm of FIRM_BRANCH, its members registered there (no household)."""
    firm_org = np.full(len(firms), None)
    frames = [members]
    for i in np.flatnonzero(firm_branch):
        firm = firms.iloc[i]
        field = "enterprise" if firm.kind == "enterprise" else "rural"
        firm_org[i] = orgs.add(
            f"{firm['name']}党支部",
            "branch",
            1,
            int(firm.village_id),
            field,
            venue=_venue(rng, firm.geom.coords[0], "firm"),
        )
        n = int(rng.integers(3, 9))
        female = rng.random(n) < 0.3
        person = names.person_names(rng, names.random_surnames(rng, n), female)
        frames.append(
            new_members(
                rng,
                sum(map(len, frames)) + 1,
                orgs.town_code,
                np.full(n, firm_org[i]),
                [None] * n,
                person,
                female,
                until,
            )
        )
    firms["party_org_id"] = pd.array(firm_org, dtype="Int64")
    return pd.concat(frames, ignore_index=True)


def build_liaisons(rng, households: pd.DataFrame, members: pd.DataFrame, per_member: int = 8) -> pd.DataFrame:
    """联户: each 党员中心户's members linked to about PER_MEMBER households of their group."""
    homes = households.set_index("id")
    resident = members.dropna(subset=["household_id"])
    hosts = resident[homes.is_party_center_household[resident.household_id.astype(int)].to_numpy()]
    group = homes.group_id[hosts.household_id.astype(int)].to_numpy() - 1
    picked = _pick_households(rng, households, np.repeat(group, per_member))
    links = pd.DataFrame(
        {
            "party_member_id": np.repeat(hosts.id.to_numpy(), per_member),
            "household_id": households.id.to_numpy()[picked],
        }
    )
    own = np.repeat(hosts.household_id.to_numpy(), per_member) == links.household_id
    links = links[~own].drop_duplicates(ignore_index=True)
    links.insert(0, "id", np.arange(1, len(links) + 1))
    return links


def _mark_households(rng, households: pd.DataFrame, members: pd.DataFrame) -> None:
    """党员户 where a member lives; about a quarter of them are 党员中心户; enough room for members."""
    per_home = members.household_id.dropna().astype(int).value_counts()
    index = per_home.index.to_numpy() - 1
    households.loc[index, "is_party_household"] = True
    households.loc[index, "is_party_center_household"] = rng.random(len(index)) < 0.25
    room = np.maximum(households.member_count.to_numpy()[index], per_home.to_numpy())
    households.loc[index, "member_count"] = room
