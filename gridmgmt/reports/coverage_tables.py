"""The coverage report as display tables: chosen columns, Chinese headers, plain values.

Shared by `gridmgmt coverage` (table, json) and the Excel workbook. No 四必访 flag
is ever selected here.
"""

from dataclasses import asdict, dataclass

import pandas as pd

from gridmgmt.domain.branch_rules import RULES
from gridmgmt.domain.vocab import CADRE_ROLES
from gridmgmt.domain.wording import label, metric, rule_titles
from gridmgmt.readmodels import CoverageReport

LABELS = {
    "village": "行政村",
    "group": "村民小组",
    "code": "编码",
    "name": "名称",
    "households": "户数",
    "residents": "人口",
    "members": "党员",
    "full": "正式党员",
    "probationary": "预备党员",
    "party_households": metric("party_households"),
    "per_100": metric("per_100"),
    "venue_far": metric("venue_far"),
    "member_far": metric("member_far"),
    "off_network": metric("off_network"),
    "committee_size": "支委会人数",
    "party_groups": "党小组数",
    "settlements": "居住点数",
    "spread_m": "到中心党员平均路程（米）",
    "reasons": "原因",
    "employees": "职工人数",
    "cadre_role": "职务",
    "villages_posted": "挂点村数",
    "designations": "类别",
    "venue_m": "到最近活动场所（米）",
    "member_m": "到最近党员户（米）",
    "venue": "最近的活动场所",
    "branch": "党支部",
    "number": "党小组序号",
    "leader": "建议组长",
    "mobile": metric("mobile"),
    "hardship_unhelped": metric("hardship_unhelped"),
    "above_scale": "规模以上",
    "full_members": "在职正式党员",
    "can_form_branch": "具备单独建支部条件",
    "elected_on": "上次换届",
    "joined_on": "入党日期",
    "due_on": "到期日",
    "days": "距到期天数（负数为已逾期）",
    "missing": "未开展",
    "age": "年龄",
    "work_team": "在岗工作队员",
    "start_date": "驻村起始",
    "term_end": "任期届满",
}
AREA_COLUMNS = [
    "households",
    "residents",
    "members",
    "full",
    "probationary",
    "party_households",
    "per_100",
    "venue_far",
    "member_far",
    "off_network",
    "mobile",
    "hardship_unhelped",
]
BRANCH = ["village", "code", "name", "full", "members", "committee_size"]
FIRM = ["village", "code", "name", "employees", "above_scale", "full_members", "can_form_branch"]
DUE = ["due_on", "days"]
PERSON = ["village", "branch", "code", "name"]
HOME = ["village", "group", "code", "off_network"]
RULE_COLUMNS = {
    "blank_group": ["village", "code", "name", "households", "residents"],
    "blank_village": ["code", "name", "households", "residents"],
    "committee_missing": BRANCH,
    "committee_not_allowed": BRANCH,
    "committee_size": BRANCH,
    "split_needed": ["village", "code", "name", "members", "party_groups", "settlements", "spread_m", "reasons"],
    "firm_without_org": FIRM,
    "coop_without_org": FIRM,
    "leader_posting": ["code", "name", "cadre_role", "villages_posted"],
    "village_uncovered": ["code", "name"],
    "first_secretary_missing": ["code", "name", "designations"],
    "election_overdue": ["village", "code", "name", "elected_on", *DUE],
    "election_due": ["village", "code", "name", "elected_on", *DUE],
    "election_unrecorded": ["village", "code", "name"],
    "probation_overdue": [*PERSON, "joined_on", *DUE],
    "probation_due": [*PERSON, "joined_on", *DUE],
    "org_life_missed": ["village", "code", "name", "missing"],
    "helper_unpaired": ["village", "group", *PERSON[1:], "age"],
    "work_team_short": ["code", "name", "work_team"],
    "resident_term": ["village", "code", "name", "cadre_role", "start_date", "term_end", "reasons"],
    "venue_far": HOME[:3] + ["venue", "venue_m"] + HOME[3:],
    "member_far": HOME[:3] + ["member_m"] + HOME[3:],
}
PROPOSAL_COLUMNS = ["branch", "number", "members", "leader", "spread_m"]


@dataclass(frozen=True)
class Table:
    """One titled table: English column keys (for JSON) and their Chinese labels."""

    key: str
    title: str
    frame: pd.DataFrame

    def labelled(self) -> pd.DataFrame:
        """The frame with Chinese headers and yes/no in Chinese."""
        yes_no = {True: "是", False: "否"}
        return self.frame.map(lambda v: yes_no.get(v, v) if isinstance(v, bool) else v).rename(columns=LABELS)


def plain(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """COLUMNS of FRAME (missing ones blank), roles in Chinese, distances rounded."""
    out = frame.reindex(columns=columns).reset_index(drop=True)
    if "cadre_role" in out:
        out["cadre_role"] = [label(CADRE_ROLES, role) for role in out.cadre_role]
    for column in ("spread_m", "venue_m", "member_m"):
        if column in out:
            # No reachable venue at all is infinitely far: shown blank, never as Infinity.
            out[column] = out[column].astype(float).round(0).where(lambda d: d < float("inf"))
    return out.astype(object).where(out.notna(), None)


def summary(report: CoverageReport) -> dict:
    """Township totals and the number of findings of every rule."""
    titles = rule_titles(report.rules)
    counts = {titles[rule]: len(report.findings.get(rule, ())) for rule in RULES if rule in report.findings}
    totals = {LABELS[k]: report.township[k] for k in [*AREA_COLUMNS[:7], "hardship_unhelped"] if k in report.township}
    return {"乡镇": f"{report.name}（{report.code}）", **totals, **counts}


def _areas(frame: pd.DataFrame) -> list[str]:
    """The AREA_COLUMNS FRAME has (reach columns only when computed; 困难户 counts by village only)."""
    return [c for c in AREA_COLUMNS if c in frame]


def tables(report: CoverageReport) -> list[Table]:
    """Villages, groups, one table per rule (in RULES order), and the proposed 党小组."""
    out = [
        Table("villages", "行政村党员分布", plain(report.villages, ["code", "name", *_areas(report.villages)])),
        Table("groups", "村民小组党员分布", plain(report.groups, ["village", "code", "name", *_areas(report.groups)])),
    ]
    for rule, title in rule_titles(report.rules).items():
        if rule in report.findings:
            out.append(Table(rule, title, plain(report.findings[rule], RULE_COLUMNS[rule])))
    proposals = report.proposals if report.proposals is not None else pd.DataFrame()
    out.append(Table("proposals", "建议划分的党小组", plain(proposals, PROPOSAL_COLUMNS)))
    return out


def as_json(report: CoverageReport) -> dict:
    """The whole report as JSON-ready data with English keys."""
    return {
        "township": {"code": report.code, "name": report.name, **report.township},
        "rules": asdict(report.rules),
        "notes": report.notes,
        "tables": {t.key: {"title": t.title, "rows": t.frame.to_dict("records")} for t in tables(report)},
    }
