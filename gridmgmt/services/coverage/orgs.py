"""The organisation rules of a township's coverage report: 换届, 转正, 组织生活 and 一帮一.

Reads what township_coverage does not (meetings of the last whole quarter, pairings in
force, 困难 households) and returns findings by RULES code. 困难 households leave this
module only as counts per village: the report, its workbook and its JSON never name one.
"""

from datetime import date

import pandas as pd
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from gridmgmt.analysis import orgs as an
from gridmgmt.db.models import HelpPairing, Household, OrgMeeting, PartyOrg
from gridmgmt.db.queries import in_township, pairing_in_force
from gridmgmt.domain.branch_rules import CoverageRules
from gridmgmt.domain.org_life import last_whole_quarter


def _queries(township_id: int, today: date) -> dict[str, Select]:
    start, end = last_whole_quarter(today)
    return {
        "meetings": select(OrgMeeting.party_org_id, OrgMeeting.meeting_type, OrgMeeting.held_on)
        .join(PartyOrg, PartyOrg.id == OrgMeeting.party_org_id)
        .where(PartyOrg.township_id == township_id, OrgMeeting.held_on.between(start, end)),
        "pairings": select(HelpPairing.party_member_id, HelpPairing.household_id)
        .join(Household, Household.id == HelpPairing.household_id)
        .where(in_township(township_id), *pairing_in_force(today)),
        "hardship": select(Household.id, Household.village_id).where(in_township(township_id), Household.hardship),
    }


def _tables(session: Session, township_id: int, today: date) -> dict[str, pd.DataFrame]:
    conn = session.connection()
    return {name: pd.read_sql(rows, conn) for name, rows in _queries(township_id, today).items()}


def _members(t: dict, branch: pd.Series, branches: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """Members with their branch, its village, and the group they live in."""
    homes = t["households"].set_index("id").group_id
    group = t["members"].household_id.map(homes)
    return t["members"].assign(
        org_id=branch.to_numpy(),
        branch=branch.map(branches.name).to_numpy(),
        village_id=branch.map(branches.village_id).to_numpy(),
        group=group.map(groups.name),
    )


def org_findings(
    session: Session,
    township_id: int,
    t: dict[str, pd.DataFrame],
    branch: pd.Series,
    branches: pd.DataFrame,
    groups: pd.DataFrame,
    today: date,
    rules: CoverageRules,
) -> tuple[dict[str, pd.DataFrame], pd.Series]:
    """(findings by RULES code without village names, 困难 households with no helper per village id).

    T are township_coverage's tables, BRANCH each member's branch id, BRANCHES its branch table.
    """
    own = _tables(session, township_id, today)
    members = _members(t, branch, branches, groups)
    start, end = last_whole_quarter(today)
    found = an.election_findings(t["orgs"], today, rules)
    found |= an.probation_findings(members, today, rules)
    orgs = t["orgs"].set_index("id")
    party_groups = orgs[orgs.org_type == "party_group"][["parent_id", "name"]]
    found["org_life_missed"] = an.org_life_missed(
        branches[["code", "name", "village_id", "committee_size"]], own["meetings"], start, end, party_groups
    )
    found["helper_unpaired"] = an.unpaired_helpers(members, set(own["pairings"].party_member_id), today, rules)
    hardship = own["hardship"]
    alone = hardship[~hardship.id.isin(own["pairings"].household_id)]
    return found, alone.village_id.value_counts()
