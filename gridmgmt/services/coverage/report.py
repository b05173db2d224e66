"""Party organisation coverage of a township: figures, rule findings, 党小组 proposals, reach.

Reads the township's tables in a few queries, runs gridmgmt.analysis on them and
returns one CoverageReport. Read-only: nothing is written.
"""

from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from gridmgmt.analysis import coverage as cov
from gridmgmt.analysis.dispersion import dispersion_m, group_count, propose_groups, settlements
from gridmgmt.analysis.orgs import present
from gridmgmt.db.models import (
    Cadre,
    CadreVillage,
    EconomicOrg,
    Household,
    PartyMember,
    PartyOrg,
    Township,
    Village,
    VillageGroup,
)
from gridmgmt.db.queries import in_township, posting_in_force, township_villages
from gridmgmt.domain.branch_rules import SPLIT_REASONS, CoverageRules
from gridmgmt.domain.errors import TownshipNotFound
from gridmgmt.domain.postings import PostingRules
from gridmgmt.network.distances import Snapped, VertexCosts, pair_distances, straight_distances
from gridmgmt.network.roads import NoRoads
from gridmgmt.readmodels import CoverageReport
from gridmgmt.services.coverage.orgs import org_findings
from gridmgmt.services.coverage.reach import household_reach, township_reach

NO_ROADS_NOTE = "该乡镇没有可通行的道路（未导入或未建拓扑），未计算道路可达性、党员居住分散度和党小组建议"


def _queries(township_id: int, day: date) -> dict[str, Select]:
    """The township's tables the report is made from, by name; the postings in force on DAY."""
    t = township_id
    return {
        "villages": select(
            Village.id,
            Village.code,
            Village.name,
            Village.is_poverty_alleviated,
            Village.is_revitalization_focus,
            Village.is_weak_org,
        )
        .where(Village.township_id == t)
        .order_by(Village.code),
        "groups": select(VillageGroup.id, VillageGroup.code, VillageGroup.name, VillageGroup.village_id)
        .where(VillageGroup.village_id.in_(township_villages(t)))
        .order_by(VillageGroup.code),
        "households": select(
            Household.id, Household.code, Household.village_id, Household.group_id, Household.member_count
        ).where(in_township(t)),
        "orgs": select(
            PartyOrg.id,
            PartyOrg.parent_id,
            PartyOrg.village_id,
            PartyOrg.code,
            PartyOrg.name,
            PartyOrg.org_type,
            PartyOrg.field,
            PartyOrg.committee_size,
            PartyOrg.elected_on,
            PartyOrg.term_years,
        ).where(PartyOrg.township_id == t),
        "members": select(
            PartyMember.id,
            PartyMember.party_org_id,
            PartyMember.household_id,
            PartyMember.code,
            PartyMember.name,
            PartyMember.status,
            PartyMember.joined_on,
            PartyMember.birth_year,
            PartyMember.is_mobile,
        )
        .join(PartyOrg, PartyOrg.id == PartyMember.party_org_id)
        .where(PartyOrg.township_id == t)
        .order_by(PartyMember.id),
        "firms": select(
            EconomicOrg.id,
            EconomicOrg.code,
            EconomicOrg.name,
            EconomicOrg.kind,
            EconomicOrg.above_scale,
            EconomicOrg.employees,
            EconomicOrg.full_members,
            EconomicOrg.village_id,
            EconomicOrg.party_org_id,
        )
        .where(EconomicOrg.township_id == t)
        .order_by(EconomicOrg.code),
        "cadres": select(Cadre.id, Cadre.code, Cadre.name, Cadre.cadre_role)
        .where(Cadre.township_id == t)
        .order_by(Cadre.code),
        "postings": select(
            CadreVillage.cadre_id,
            CadreVillage.village_id,
            CadreVillage.assignment,
            CadreVillage.start_date,
            CadreVillage.end_date,
        )
        .join(Cadre, Cadre.id == CadreVillage.cadre_id)
        .where(Cadre.township_id == t, posting_in_force(day)),
    }


def _tables(session: Session, township_id: int, day: date) -> dict[str, pd.DataFrame]:
    conn = session.connection()
    return {name: pd.read_sql(rows, conn) for name, rows in _queries(township_id, day).items()}


def _township(session: Session, code: str) -> tuple[int, str]:
    row = session.execute(select(Township.id, Township.name).where(Township.code == code)).one_or_none()
    if row is None:
        raise TownshipNotFound(code)
    return row


def _areas(t: dict[str, pd.DataFrame], rules: CoverageRules) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Per-village and per-group figures of the members present (and of those away), named, and
    the township's totals."""
    homes, members = t["households"], present(t["members"], rules)
    away = t["members"][t["members"].is_mobile.astype(bool)]
    villages = t["villages"].set_index("id")[["code", "name"]]
    groups = t["groups"].set_index("id").join(villages.name.rename("village"), on="village_id")
    v = villages.join(cov.area_counts(homes, members, "village_id"), how="left")
    g = groups.join(cov.area_counts(homes, members, "group_id"), how="left")
    v["mobile"] = cov.area_counts(homes, away, "village_id").members
    g["mobile"] = cov.area_counts(homes, away, "group_id").members
    for frame in (v, g):
        frame[[*cov.COUNT_COLUMNS, "mobile"]] = frame[[*cov.COUNT_COLUMNS, "mobile"]].fillna(0).astype(int)
    # reindex: a township without households still gets a row of zeros.
    row = cov.area_counts(homes.assign(township=1), members, "township").reindex([1]).fillna(0).iloc[0]
    total = {k: (float(v) if k == "per_100" else int(v)) for k, v in row.items()}
    return v, g, total


def _member_homes(t, homes: Snapped, home_ids: np.ndarray, branch: pd.Series) -> dict[int, Snapped]:
    """The snapped home of every resident member, one entry per member, by branch id."""
    resident = t["members"].household_id.notna().to_numpy()
    row_of = pd.Series(np.arange(len(home_ids)), index=home_ids)
    out = {}
    for org_id, rows in pd.Series(np.flatnonzero(resident)).groupby(branch.to_numpy()[resident]):
        out[int(org_id)] = homes.take(row_of[t["members"].household_id.to_numpy()[rows.to_numpy()]].to_numpy())
    return out


def _spread(member_homes: dict[int, Snapped], costs: VertexCosts, rules: CoverageRules):
    """(road distance matrix by branch, frame of spread_m and settlements by branch)."""
    road = {org: pair_distances(points, costs) for org, points in member_homes.items()}
    spread = pd.DataFrame(
        {
            "spread_m": {org: dispersion_m(d) for org, d in road.items()},
            "settlements": {
                org: settlements(straight_distances(p, p), rules.settlement_link_m, rules.settlement_min)
                for org, p in member_homes.items()
            },
        },
        index=pd.Index(list(road), dtype=int),
    )
    return road, spread


def _proposals(t, branches: pd.DataFrame, distances: dict, branch: pd.Series, rules) -> pd.DataFrame:
    """Proposed 党小组 for every branch the split rule flags."""
    rows = []
    members = t["members"]
    for org_id in branches.index[branches.split_reasons.map(bool).astype(bool)]:
        mine = members[(branch == org_id).to_numpy() & members.household_id.notna().to_numpy()]
        if org_id not in distances or len(mine) < 2:
            continue
        k = group_count(len(mine), branches.settlements[org_id], rules.group_size)
        for number, group in enumerate(
            propose_groups(distances[org_id], (mine.status == "full").to_numpy(), k), start=1
        ):
            rows.append(
                {
                    "org_id": org_id,
                    "branch": branches.name[org_id],
                    "number": number,
                    "members": len(group.members),
                    "leader": mine.name.iat[group.leader],
                    "leader_member_id": int(mine.id.iat[group.leader]),
                    "spread_m": round(group.dispersion_m),
                    "household_ids": sorted({int(h) for h in mine.household_id.iloc[list(group.members)]}),
                }
            )
    return pd.DataFrame(rows)


def _named(frame: pd.DataFrame, villages: pd.DataFrame) -> pd.DataFrame:
    """FRAME with a 'village' name column from its village_id."""
    return frame.assign(village=frame.village_id.map(villages.name)) if len(frame) else frame.assign(village=[])


def _structure_findings(t, villages, groups, branches: pd.DataFrame, rules, day: date, postings: PostingRules) -> dict:
    """Findings of the blank-area, committee, split, firm and leadership rules."""
    found = {
        "blank_group": groups[(groups.members == 0) & (groups.households > 0)],
        "blank_village": villages[(villages.members == 0) & (villages.households > 0)],
    }
    named = _named(branches.reset_index(), villages)
    for rule in ("committee_missing", "committee_not_allowed", "committee_size"):
        found[rule] = named[named.committee_rule == rule]
    split = named[named.split_reasons.map(bool).astype(bool)]
    found["split_needed"] = split.assign(
        reasons=split.split_reasons.map(lambda rs: "、".join(SPLIT_REASONS[r] for r in rs))
    )
    found.update({k: _named(v, villages) for k, v in cov.firms_without_org(t["firms"], rules).items()})
    found.update(cov.leadership(t["cadres"], t["postings"], t["villages"]))
    resident = cov.resident_postings(t["cadres"], t["postings"], t["villages"], day, postings)
    found.update({k: _named(v, villages) if k == "resident_term" else v for k, v in resident.items()})
    return found


def _reach_findings(t, groups, reach: pd.DataFrame, rules: CoverageRules) -> dict[str, pd.DataFrame]:
    """Households beyond the venue and member-household reach, with their village and group."""
    homes = t["households"].set_index("id").join(reach)
    homes["group"] = homes.group_id.map(groups.name)
    homes["village"] = homes.group_id.map(groups.village)
    homes["venue"] = homes.venue_id.map(t["orgs"].set_index("id").name)
    far = {
        "venue_far": homes[homes.venue_m > rules.venue_reach_m],
        "member_far": homes[homes.member_m > rules.member_reach_m],
    }
    return {k: v.reset_index(names="household_id").round({"venue_m": 0, "member_m": 0}) for k, v in far.items()}


def _reach_by_area(t, reach: pd.DataFrame, rules: CoverageRules, key: str) -> pd.DataFrame:
    """Per KEY (group_id / village_id): households beyond each reach and off the network."""
    homes = reach.join(t["households"].set_index("id")[[key]])
    far = pd.DataFrame(
        {
            "venue_far": homes.venue_m > rules.venue_reach_m,
            "member_far": homes.member_m > rules.member_reach_m,
            "off_network": homes.off_network,
            key: homes[key],
        }
    )
    return far.groupby(key).sum().astype(int)


def _with_org_rules(session, report: CoverageReport, township_id: int, t, branch, today: date) -> None:
    """Add the findings of the organisation rules to REPORT, and its 困难 households without a helper."""
    found, unhelped = org_findings(session, township_id, t, branch, report.branches, report.groups, today, report.rules)
    report.findings.update({k: _named(v, t["villages"].set_index("id")) for k, v in found.items()})
    report.villages["hardship_unhelped"] = unhelped.reindex(report.villages.index).fillna(0).astype(int)
    report.township["hardship_unhelped"] = int(unhelped.sum())


def township_coverage(
    session: Session,
    code: str,
    rules: CoverageRules = CoverageRules(),
    with_reach: bool = True,
    *,
    day: date,
    postings: PostingRules = PostingRules(),
) -> CoverageReport:
    """The coverage report of the township CODE with the postings (包村, 挂点, 第一书记, 工作队) in force
    on DAY, resident postings checked by POSTINGS; raises TownshipNotFound.

    Without routable roads the report has no road measures (reach, settlements,
    proposals) and says so in its notes.
    """
    township_id, name = _township(session, code)
    t = _tables(session, township_id, day)
    villages, groups, total = _areas(t, rules)
    branch = cov.branch_members(t["orgs"], t["members"])
    try:
        reach = township_reach(session, township_id, rules)
    except NoRoads:
        reach = None
    if reach is not None:
        distances, spread = _spread(_member_homes(t, reach.homes, reach.home_ids, branch), reach.costs, rules)
    else:
        distances, spread = {}, pd.DataFrame({"spread_m": [], "settlements": []}, dtype=float)
    branches = cov.branch_table(t["orgs"], t["members"], spread, rules)
    report = CoverageReport(
        code,
        name,
        rules,
        total,
        villages,
        groups,
        branches,
        _structure_findings(t, villages, groups, branches, rules, day, postings),
        _proposals(t, branches, distances, branch, rules),
    )
    _with_org_rules(session, report, township_id, t, branch, day)
    if reach is None:
        report.notes.append(NO_ROADS_NOTE)
    elif with_reach:
        report.reach = household_reach(session, reach)
        report.findings.update(_reach_findings(t, groups, report.reach, rules))
        report.villages = villages.join(_reach_by_area(t, report.reach, rules, "village_id"))
        report.groups = groups.join(_reach_by_area(t, report.reach, rules, "group_id"))
    session.rollback()  # read-only: end the transaction the queries opened
    return report
