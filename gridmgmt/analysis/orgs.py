"""Findings of the organisation rules from plain tables: 换届, 转正, 组织生活, 一帮一 (pandas in, pandas out).

The rules themselves are gridmgmt.domain.org_rules and gridmgmt.domain.org_life; this
module applies them to a township's rows.
"""

from datetime import date

import pandas as pd

from gridmgmt.domain.branch_rules import CoverageRules
from gridmgmt.domain.org_life import GROUP_MEETING, MEETING_TYPES, group_gaps, org_life_gaps, period_label
from gridmgmt.domain.org_rules import (
    ELECTED_TYPES,
    capable_helper,
    due_status,
    election_due,
    present_in_group,
    probation_due,
)

# No 党小组: the groups argument of the 组织生活 tables when a township has none.
NO_GROUPS = pd.DataFrame({"parent_id": pd.Series(dtype=int), "name": pd.Series(dtype=object)})


def _dated(frame: pd.DataFrame, due: list, today: date, warn_days: int) -> dict[str, pd.DataFrame]:
    """FRAME with due_on and days (past due when negative) split into overdue and due_soon rows."""
    dated = frame.assign(due_on=due, days=[(d - today).days for d in due])
    status = pd.Series([due_status(d, today, warn_days) for d in due], index=frame.index, dtype=object)
    return {s: dated[(status == s).to_numpy()].sort_values("due_on") for s in ("overdue", "due_soon")}


def election_findings(orgs: pd.DataFrame, today: date, rules: CoverageRules) -> dict[str, pd.DataFrame]:
    """Orgs that hold elections, past or near their 换届 date, and those with no date recorded."""
    elected = orgs[orgs.org_type.isin(ELECTED_TYPES)].rename(columns={"id": "org_id"})
    known = elected[elected.elected_on.notna()]
    terms = known.term_years.fillna(rules.term_years).astype(int)
    due = [election_due(day, years) for day, years in zip(known.elected_on, terms)]
    found = _dated(known, due, today, rules.election_warn_days)
    return {
        "election_overdue": found["overdue"],
        "election_due": found["due_soon"],
        "election_unrecorded": elected[elected.elected_on.isna()],
    }


def probation_findings(members: pd.DataFrame, today: date, rules: CoverageRules) -> dict[str, pd.DataFrame]:
    """预备党员 past or near their 转正 date (a year after joining); MEMBERS carry their branch's name."""
    waiting = members[(members.status == "probationary") & members.joined_on.notna()]
    found = _dated(waiting, [probation_due(d) for d in waiting.joined_on], today, rules.probation_warn_days)
    return {"probation_overdue": found["overdue"], "probation_due": found["due_soon"]}


def present(members: pd.DataFrame, rules: CoverageRules) -> pd.DataFrame:
    """The members who count as present where their household lies (流动党员 per the rules)."""
    keep = [present_in_group(bool(m), rules.count_mobile) for m in members.is_mobile]
    return members[pd.Series(keep, index=members.index, dtype=bool)]


def _group_days(groups: pd.DataFrame, meetings: pd.DataFrame) -> dict[int, list]:
    """Days each 党小组 of GROUPS (by org id) held a 党小组会, from MEETINGS."""
    held = meetings[meetings.meeting_type == GROUP_MEETING]
    return {g: held.held_on[held.party_org_id == g].tolist() for g in groups.index}


def org_life_table(
    branches: pd.DataFrame, meetings: pd.DataFrame, start: date, end: date, groups: pd.DataFrame | None = None
) -> pd.DataFrame:
    """BRANCHES (by org id, with committee_size) with their count of each meeting type held in
    START..END (MEETINGS: party_org_id, meeting_type, held_on; a 党小组会 counts for the branch of
    its GROUPS, by org id with parent_id and name), whether they met 组织生活, and what they missed
    (labels in 'missed', joined in 'missing')."""
    types = list(MEETING_TYPES)
    groups = NO_GROUPS if groups is None else groups
    branch_of = meetings.party_org_id.map(groups.parent_id).fillna(meetings.party_org_id)
    counts = (
        meetings.assign(branch=branch_of.astype(int)).groupby(["branch", "meeting_type"]).size().unstack(fill_value=0)
    )
    out = branches.join(counts.reindex(columns=types, fill_value=0))
    out[types] = out[types].fillna(0).astype(int)
    own = meetings[~meetings.party_org_id.isin(groups.index)]
    by_org = {org: list(zip(m.meeting_type, m.held_on)) for org, m in own.groupby("party_org_id")}
    days = _group_days(groups, meetings)
    groups_of = {b: {groups.name[g]: days[g] for g in groups.index[groups.parent_id == b]} for b in out.index}
    gaps = [
        org_life_gaps(by_org.get(org, []), start, end, size > 0, groups_of[org])
        for org, size in out.committee_size.items()
    ]
    out["met"] = pd.Series([not g for g in gaps], index=out.index, dtype=bool)
    out["missed"] = [[period_label(*gap) for gap in g] for g in gaps]
    out["missing"] = ["、".join(m) for m in out.missed]
    return out


def group_meeting_table(groups: pd.DataFrame, meetings: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """GROUPS (党小组 by org id, with name) with the 党小组会 each held in START..END ('held'), whether
    it held one every month ('met') and the months it missed ('missing')."""
    days = _group_days(groups, meetings)
    missed = [
        [f"{first.year}年{first.month}月" for _, first, _ in group_gaps("", days[g], start, end)] for g in groups.index
    ]
    return groups.assign(
        held=[len(days[g]) for g in groups.index],
        met=pd.Series([not m for m in missed], index=groups.index, dtype=bool),
        missing=["、".join(m) for m in missed],
    )


def org_life_missed(
    branches: pd.DataFrame, meetings: pd.DataFrame, start: date, end: date, groups: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Branches that missed a meeting of 组织生活 in START..END (their GROUPS' 党小组会 included), with
    org_id and what they missed ('missing')."""
    table = org_life_table(branches, meetings, start, end, groups)
    return table[~table.met].drop(columns=[*MEETING_TYPES, "met", "missed"]).reset_index(names="org_id")


def unpaired_helpers(members: pd.DataFrame, paired: set[int], today: date, rules: CoverageRules) -> pd.DataFrame:
    """Members able to help (capable_helper) who help no household (PAIRED: member ids with a pairing)."""
    ages = [None if pd.isna(y) else today.year - int(y) for y in members.birth_year]
    able = [
        capable_helper(s, bool(m), pd.notna(h), a, rules.helper_max_age)
        for s, m, h, a in zip(members.status, members.is_mobile, members.household_id, ages)
    ]
    out = members.assign(age=ages)[pd.Series(able, index=members.index, dtype=bool)]
    return out[~out.id.isin(paired)]
