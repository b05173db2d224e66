"""组织生活 as display tables and an Excel workbook: each branch's compliance, each 党小组's 党小组会,
then the meetings held."""

from io import BytesIO

import pandas as pd

from gridmgmt.domain.org_life import MEETING_TYPES
from gridmgmt.readmodels import OrgLife
from gridmgmt.reports.sheets import add_sheet, new_book

BRANCH_COLUMNS = {
    "village": "行政村",
    "code": "编码",
    "name": "党支部",
    "committee_size": "支委会人数",
    **MEETING_TYPES,
    "met": "是否达标",
    "missing": "未开展",
}
GROUP_COLUMNS = {
    "village": "行政村",
    "code": "编码",
    "name": "党小组",
    "branch": "所属党组织",
    "held": "党小组会（次）",
    "met": "是否每月召开",
    "missing": "未召开月份",
}
MEETING_COLUMNS = {
    "held_on": "日期",
    "branch": "党组织",
    "meeting_type": "会议类型",
    "venue": "地点",
    "attendees": "参会人数",
    "check_in": "现场签到",
}


def check_in(at_venue, distance_m) -> str:
    """The check-in of a meeting in words: at the venue, how far off, or none."""
    if at_venue is None or pd.isna(at_venue):
        return "未定位"
    return f"在活动场所（{distance_m:.0f} 米）" if at_venue else f"距活动场所 {distance_m:.0f} 米"


def _rows(table: pd.DataFrame, columns: dict) -> pd.DataFrame:
    """TABLE's COLUMNS with 达标 in Chinese and blanks as None, those not 达标 first (else in TABLE's order)."""
    out = table.reindex(columns=list(columns)).sort_values("met", kind="stable")
    out["met"] = out.met.map({True: "达标", False: "未达标"})
    return out.astype(object).where(out.notna(), None)


def branch_rows(life: OrgLife) -> pd.DataFrame:
    """Every branch with its meetings per type and 达标 in Chinese, those not 达标 first."""
    return _rows(life.branches, BRANCH_COLUMNS)


def group_rows(life: OrgLife) -> pd.DataFrame:
    """Every 党小组 with its 党小组会 held, 达标 and the months it missed, those not 达标 first."""
    return _rows(life.groups, GROUP_COLUMNS)


def meeting_rows(life: OrgLife) -> pd.DataFrame:
    """The meetings held, types and check-ins in Chinese."""
    m = life.meetings
    out = m.assign(
        meeting_type=m.meeting_type.map(MEETING_TYPES),
        check_in=[check_in(a, d) for a, d in zip(m.at_venue, m.distance_m)],
    )
    return out.reindex(columns=list(MEETING_COLUMNS)).astype(object)


def org_life_workbook(life: OrgLife) -> bytes:
    """The .xlsx bytes: 各支部组织生活, 各党小组党小组会 and 会议记录 of LIFE's period."""
    book = new_book()
    for title, rows, labels in (
        ("各支部组织生活", branch_rows(life), BRANCH_COLUMNS),
        ("各党小组党小组会", group_rows(life), GROUP_COLUMNS),
        ("会议记录", meeting_rows(life), MEETING_COLUMNS),
    ):
        add_sheet(book, title, list(labels.values()), rows.itertuples(index=False))
    out = BytesIO()
    book.save(out)
    return out.getvalue()
