"""换届 dates, firms' members, 一帮一 pairings and 组织生活 meetings, with one planted case of each rule.

Runs after every other step and draws last, so the rest of the township is the same
with or without it. Planted (as of `until`): an org past its 换届 date, one within the
reminder window, one with no date; a 预备党员 past 转正; a co-op without a branch but
with 4 full members; a group whose only members work away (空白组 by default); a
capable member without a pairing and a 困难 household without a helper; a branch that
missed a 主题党日 in the last whole quarter. Every 党小组 holds its monthly 党小组会.
"""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from gridmgmt.domain.branch_rules import BRANCH_TYPES, CoverageRules
from gridmgmt.domain.org_life import FREQUENCY, GROUP_MEETING, last_whole_quarter, periods_in, required_types
from gridmgmt.domain.org_rules import ELECTED_TYPES, add_years, capable_helper

RULES = CoverageRules()
MEETINGS_FROM_QUARTERS = 4  # meetings of the last four whole quarters
TOPICS = {
    "general_meeting": "支部党员大会：通报工作、讨论重要事项",
    "committee_meeting": "支委会：研究本月工作",
    "group_meeting": "党小组会：学习讨论、联系群众",
    "theme_day": "主题党日：集中学习、志愿服务",
    "party_lecture": "党课：学习党的创新理论",
}


@dataclass
class OrgRecords:
    """The two new tables; party_org, party_member and economic_org are changed in place."""

    help_pairing: pd.DataFrame
    org_meeting: pd.DataFrame


def _branch_of(orgs: pd.DataFrame, members: pd.DataFrame) -> np.ndarray:
    """Branch id of every member (党小组 members belong to the parent branch)."""
    kind, parent = orgs.set_index("id").org_type, orgs.set_index("id").parent_id
    own = members.party_org_id.to_numpy()
    return np.where(kind[own].to_numpy() == "party_group", parent[own].to_numpy(), own).astype(int)


def _elections(rng, orgs: pd.DataFrame, until: date) -> None:
    """Every elected org's last 换届 within its term, then an overdue, a due-soon and an unrecorded one."""
    elected = np.flatnonzero(orgs.org_type.isin(ELECTED_TYPES).to_numpy())
    ages = rng.integers(120, 365 * RULES.term_years - RULES.election_warn_days - 30, len(elected))
    days = [until - timedelta(days=int(a)) for a in ages]
    orgs["elected_on"] = pd.Series([None] * len(orgs), dtype=object)
    orgs.loc[elected, "elected_on"] = pd.Series(days, index=elected, dtype=object)
    orgs["term_years"] = pd.array([None] * len(orgs), dtype="Int64")
    last_term = add_years(until, -RULES.term_years)
    overdue, due_soon, unrecorded = elected[1:4]  # not the township's own 党委
    orgs.loc[overdue, "elected_on"] = last_term - timedelta(days=20)
    orgs.loc[due_soon, "elected_on"] = last_term + timedelta(days=45)
    orgs.loc[unrecorded, "elected_on"] = None


def _members(orgs: pd.DataFrame, members: pd.DataFrame, households: pd.DataFrame, until: date) -> None:
    """A 预备党员 past 转正, and one small group whose every member works away."""
    waiting = np.flatnonzero(members.status.to_numpy() == "probationary")
    members.loc[waiting[0], "joined_on"] = until - timedelta(days=400)
    group = members.household_id.map(households.set_index("id").group_id)
    sizes = group.value_counts()
    small = sizes[sizes.between(2, 3)].index.sort_values()
    if len(small):
        members.loc[(group == small[0]).fillna(False).to_numpy(dtype=bool), "is_mobile"] = True


def _firms(firms: pd.DataFrame, orgs: pd.DataFrame, members: pd.DataFrame, rng) -> None:
    """Full members of each firm: its branch's where it has one; else 0–2, but one co-op with 4."""
    full = members[members.status == "full"].party_org_id.value_counts()
    counts = np.where(
        firms.party_org_id.notna(),
        firms.party_org_id.map(full).fillna(0).to_numpy(dtype=float),
        rng.integers(0, 3, len(firms)),
    ).astype(int)
    firms["full_members"] = counts
    coops = np.flatnonzero((firms.kind == "cooperative").to_numpy() & firms.party_org_id.isna().to_numpy())
    if len(coops):
        firms.loc[coops[0], "full_members"] = 4


def _pairings(rng, members: pd.DataFrame, households: pd.DataFrame, until: date) -> pd.DataFrame:
    """Each capable member helps a 困难 household of their village; one member and one household left out."""
    village = members.household_id.map(households.set_index("id").village_id)
    able = np.array(
        [
            capable_helper(s, bool(m), pd.notna(h), until.year - int(b), RULES.helper_max_age)
            for s, m, h, b in zip(members.status, members.is_mobile, members.household_id, members.birth_year)
        ],
        dtype=bool,
    )
    hardship = households[households.hardship]
    rows = []
    for v, helpers in members[able].groupby(village[able].to_numpy()):
        homes = rng.permutation(hardship.id[hardship.village_id == v].to_numpy(copy=True))
        # In turn, so that every household gets a helper while the village has enough of them.
        rows += [(int(m), int(homes[k % len(homes)])) for k, m in enumerate(helpers.id)] if len(homes) else []
    pairs = pd.DataFrame(rows, columns=["party_member_id", "household_id"])
    helped = pairs.household_id.value_counts()
    pairs = pairs.iloc[1:]  # the first capable member goes unpaired
    pairs = pairs[pairs.household_id != helped.index[-1]]  # the least helped household loses its helpers
    start = [until - timedelta(days=int(d)) for d in rng.integers(30, 900, len(pairs))]
    return pairs.assign(id=np.arange(1, len(pairs) + 1), start_date=start, end_date=None)[
        ["id", "party_member_id", "household_id", "start_date", "end_date"]
    ]


def _meetings(rng, orgs: pd.DataFrame, members: pd.DataFrame, branch: np.ndarray, until: date) -> pd.DataFrame:
    """Every meeting each branch and 党小组 owes over the last whole quarters; one branch skipped a 主题党日."""
    start = last_whole_quarter(until)[0]
    for _ in range(MEETINGS_FROM_QUARTERS - 1):
        start = last_whole_quarter(start)[0]
    end = last_whole_quarter(until)[1]
    rows = []
    holders = orgs[orgs.org_type.isin([*BRANCH_TYPES, "party_group"])]
    for org in holders.itertuples():
        mine = members.id.to_numpy()[(branch == org.id) | (members.party_org_id.to_numpy() == org.id)]
        kinds = [GROUP_MEETING] if org.org_type == "party_group" else required_types(org.committee_size > 0)
        for kind in kinds:
            for first, last in periods_in(start, end, FREQUENCY[kind]):
                day = first + timedelta(days=int(rng.integers(0, (last - first).days + 1)))
                # A count only: attendee ids would not follow the member ids shift_ids moves.
                came = int((rng.random(len(mine)) < 0.85).sum())
                rows.append((org.id, kind, day, f"{org.name}活动室", TOPICS[kind], came))
    frame = pd.DataFrame(rows, columns=["party_org_id", "meeting_type", "held_on", "venue", "topic", "attendees"])
    last_quarter = frame.held_on >= last_whole_quarter(until)[0]
    skipped = frame.index[last_quarter & (frame.meeting_type == "theme_day")][0]
    frame = frame.drop(index=skipped).reset_index(drop=True)
    raw = rng.bytes(16 * len(frame))
    frame.insert(
        0, "client_id", [str(uuid.UUID(bytes=raw[16 * i : 16 * i + 16], version=4)) for i in range(len(frame))]
    )
    frame.insert(0, "id", np.arange(1, len(frame) + 1))
    return frame


def build_org_records(
    rng, orgs: pd.DataFrame, members: pd.DataFrame, firms: pd.DataFrame, households: pd.DataFrame, until: date
) -> OrgRecords:
    """Fill the organisation columns of ORGS, MEMBERS and FIRMS in place and plant the cases above."""
    _elections(rng, orgs, until)
    _members(orgs, members, households, until)
    _firms(firms, orgs, members, rng)
    branch = _branch_of(orgs, members)
    return OrgRecords(_pairings(rng, members, households, until), _meetings(rng, orgs, members, branch, until))
