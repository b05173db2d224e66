"""Coverage figures and rule findings from plain tables: pandas in, pandas out.

Members count where their household lies (members of firm and agency branches
have none and count only in their branch). A branch's members are its own and
those of its 党小组.
"""

import numpy as np
import pandas as pd

from gridmgmt.domain.branch_rules import (
    BRANCH_TYPES,
    LEADER_ROLES,
    CoverageRules,
    committee_finding,
    designations_of,
    leader_posting_finding,
    split_reasons,
)
from gridmgmt.domain.org_rules import can_form_branch, firm_finding
from gridmgmt.domain.postings import RESIDENT_ASSIGNMENTS, PostingRules, term_end, term_finding, work_team_short

COUNT_COLUMNS = ["households", "residents", "members", "full", "probationary", "party_households"]


def area_counts(households: pd.DataFrame, members: pd.DataFrame, key: str) -> pd.DataFrame:
    """Per KEY column of HOUSEHOLDS (group_id, village_id …): households, residents, members
    (full, probationary), 党员户 and members per 100 households."""
    homes = households.set_index("id")
    resident = members.dropna(subset=["household_id"])
    where = homes[key].reindex(resident.household_id.astype(int)).to_numpy()
    status = resident.status.to_numpy()
    by_home = households.groupby(key)
    table = pd.DataFrame(
        {
            "households": by_home.size(),
            "residents": by_home.member_count.sum(),
            "members": pd.Series(where).value_counts(),
            "full": pd.Series(where[status == "full"]).value_counts(),
            "probationary": pd.Series(where[status == "probationary"]).value_counts(),
            "party_households": homes[key].reindex(resident.household_id.astype(int).unique()).value_counts(),
        }
    )
    table = table.reindex(households[key].unique()).fillna(0).astype(int).sort_index()
    table["per_100"] = (100 * table.members / table.households.where(table.households > 0)).round(1)
    table.index.name = key
    return table


def blank_areas(counts: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Rows of AREAS (indexed like COUNTS) with households but no party member."""
    blank = counts[(counts.members == 0) & (counts.households > 0)]
    return areas.loc[areas.index.intersection(blank.index)].join(blank[["households", "residents"]])


def branch_members(orgs: pd.DataFrame, members: pd.DataFrame) -> pd.Series:
    """Branch id of every member: its org, or the org's parent when that is a 党小组."""
    kind = orgs.set_index("id").org_type
    parent = orgs.set_index("id").parent_id
    own = members.party_org_id.to_numpy()
    in_group = kind.reindex(own).to_numpy() == "party_group"
    return pd.Series(np.where(in_group, parent.reindex(own).to_numpy(), own), index=members.index)


def branch_table(orgs: pd.DataFrame, members: pd.DataFrame, spread: pd.DataFrame, rules: CoverageRules) -> pd.DataFrame:
    """Every branch with its member counts, 党小组, spread (SPREAD: spread_m, settlements by
    org id) and the rules it breaks."""
    branch = branch_members(orgs, members)
    full = branch[members.status == "full"].value_counts()
    branches = orgs[orgs.org_type.isin(BRANCH_TYPES)].set_index("id")
    table = branches[["code", "name", "village_id", "field", "committee_size"]].copy()
    table["members"] = branch.value_counts().reindex(table.index).fillna(0).astype(int)
    table["full"] = full.reindex(table.index).fillna(0).astype(int)
    groups = orgs.parent_id[orgs.org_type == "party_group"].value_counts()
    table["party_groups"] = groups.reindex(table.index).fillna(0).astype(int)
    table["spread_m"] = spread.spread_m.reindex(table.index)
    table["settlements"] = spread.settlements.reindex(table.index).fillna(0).astype(int)
    table["committee_rule"] = [committee_finding(f, c, rules) for f, c in zip(table.full, table.committee_size)]
    table["split_reasons"] = [
        split_reasons(m, s, g > 0, rules) for m, s, g in zip(table.members, table.settlements, table.party_groups)
    ]
    table.index.name = "org_id"
    return table


def firms_without_org(firms: pd.DataFrame, rules: CoverageRules) -> dict[str, pd.DataFrame]:
    """{'firm_without_org': enterprises, 'coop_without_org': co-ops} that firm_finding flags, with
    can_form_branch (enough full members for a branch of their own; None: not recorded)."""
    members = [None if pd.isna(n) else int(n) for n in firms.full_members]
    found = [
        firm_finding(k, bool(a), pd.notna(o), n, rules.branch_min_full)
        for k, a, o, n in zip(firms.kind, firms.above_scale, firms.party_org_id, members)
    ]
    flagged = firms.assign(
        full_members=pd.array(members, dtype="Int64"),
        can_form_branch=[can_form_branch(n, rules.branch_min_full) for n in members],
        rule=found,
    )
    return {
        rule: flagged[flagged.rule == rule].drop(columns="rule") for rule in ("firm_without_org", "coop_without_org")
    }


TERM_FINDINGS = {"term_ending": "任期将满", "term_over": "任期已满仍在岗"}


def resident_postings(
    cadres: pd.DataFrame, postings: pd.DataFrame, villages: pd.DataFrame, day, rules: PostingRules
) -> dict[str, pd.DataFrame]:
    """Exceptions to the resident postings' rules on DAY among the POSTINGS in force then: 脱贫村
    whose work team is short, and first secretaries or team members near or past their term."""
    team = postings[postings.assignment == "work_team"].village_id.value_counts()
    poor = villages[villages.is_poverty_alleviated].assign(
        work_team=lambda v: team.reindex(v.id).fillna(0).astype(int).to_numpy()
    )
    resident = postings[postings.assignment.isin(RESIDENT_ASSIGNMENTS)].dropna(subset=["start_date"])
    finding = [term_finding(s, e, day, rules) for s, e in zip(resident.start_date, resident.end_date)]
    due = resident.assign(finding=finding).dropna(subset=["finding"])
    people = cadres.set_index("id")
    due = due.assign(
        code=due.cadre_id.map(people.code),
        name=due.cadre_id.map(people.name),
        cadre_role=due.cadre_id.map(people.cadre_role),
        term_end=[term_end(s, rules) for s in due.start_date],
        reasons=due.finding.map(TERM_FINDINGS),
    )
    return {
        "work_team_short": poor[np.array([work_team_short(n, rules) for n in poor.work_team], dtype=bool)],
        "resident_term": due.sort_values("term_end"),
    }


def leadership(cadres: pd.DataFrame, postings: pd.DataFrame, villages: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Exceptions to 挂点 (one village per leader), 包村 (a cadre in every village) and first
    secretaries, among the POSTINGS in force."""
    leaders = cadres[cadres.cadre_role.isin(LEADER_ROLES)].copy()
    posted = postings[postings.assignment == "gua_dian"].cadre_id.value_counts()
    leaders["villages_posted"] = posted.reindex(leaders.id).fillna(0).astype(int).to_numpy()
    wrong = [leader_posting_finding(n) is not None for n in leaders.villages_posted]
    covered = set(postings.village_id[postings.assignment.isin(["gua_dian", "bao_cun"])])
    served = set(postings.village_id[postings.assignment == "first_secretary"])
    flags = villages.apply(lambda v: designations_of(v.to_dict()), axis=1)
    needing = villages.assign(designations=flags.map("、".join))[flags.map(bool).astype(bool)]
    return {
        "leader_posting": leaders[np.array(wrong, dtype=bool)],
        "village_uncovered": villages[~villages.id.isin(covered)],
        "first_secretary_missing": needing[~needing.id.isin(served)],
    }
