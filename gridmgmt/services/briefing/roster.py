"""The grid roster workbook (网格花名册) of a township's plan, for briefings: cells, workers, liaisons.

The plan is the newest published one, else the newest draft, as on the grid briefing map.
No household is listed and no 四必访 flag is read: only counts per cell and per liaison.
"""
from io import BytesIO

import pandas as pd
from sqlalchemy import text
from sqlalchemy.orm import Session

from gridmgmt.domain.vocab import CADRE_ROLES, PLAN_STATUSES
from gridmgmt.reports.sheets import EXPORT_WORKBOOK, add_sheet, new_book
from gridmgmt.services.accounts.audit import Actor, record

PLAN = """SELECT p.id, p.name, p.status, p.published_at FROM grid_plan p JOIN township t ON t.id = p.township_id
          WHERE t.code = :c ORDER BY p.status = 'published' DESC, p.published_at DESC NULLS LAST, p.id DESC LIMIT 1"""
CELLS = """
SELECT v.name AS 行政村, c.code AS 网格编号, coalesce(c.name, '') AS 网格名称,
       count(m.household_id) AS 户数, coalesce(sum(h.member_count), 0) AS 人口,
       coalesce(w.name, '（未配）') AS 网格员, w.cadre_role AS 职务, w.phone AS 联系电话,
       count(DISTINCT l.party_member_id) AS 联户党员人数, count(l.household_id) AS 已配联户党员的户数,
       count(m.household_id) - count(l.household_id) AS 未配联户党员的户数
FROM grid_cell c JOIN village v ON v.id = c.village_id
LEFT JOIN cadre w ON w.id = c.grid_worker_id
LEFT JOIN grid_membership m ON m.cell_id = c.id
LEFT JOIN household h ON h.id = m.household_id
LEFT JOIN grid_liaison l ON l.plan_id = c.plan_id AND l.household_id = m.household_id
WHERE c.plan_id = :p GROUP BY v.code, v.name, c.code, c.name, w.name, w.cadre_role, w.phone
ORDER BY v.code, c.code"""
LIAISONS = """
SELECT v.name AS 行政村, c.code AS 网格编号, pm.name AS 联户党员, count(*) AS 联系户数
FROM grid_liaison l JOIN grid_membership m ON m.plan_id = l.plan_id AND m.household_id = l.household_id
JOIN grid_cell c ON c.id = m.cell_id JOIN village v ON v.id = c.village_id
JOIN party_member pm ON pm.id = l.party_member_id
WHERE l.plan_id = :p GROUP BY v.code, v.name, c.code, pm.id, pm.name ORDER BY v.code, c.code, pm.name"""


class NoPlan(LookupError):
    """The township has no grid plan (or no such township); the message is Chinese."""


def _frame(session: Session, sql: str, **params) -> pd.DataFrame:
    rows = session.execute(text(sql), params)
    return pd.DataFrame(rows.all(), columns=list(rows.keys()))


def grid_roster(session: Session, township_code: str, actor: Actor) -> bytes:
    """The roster .xlsx of the township's plan: 说明, 网格花名册, 联户党员; audited, committed."""
    plan = session.execute(text(PLAN), {"c": township_code}).one_or_none()
    if plan is None:
        raise NoPlan(f"编码为 {township_code} 的乡镇还没有网格方案")
    cells = _frame(session, CELLS, p=plan.id)
    cells["职务"] = cells["职务"].map(CADRE_ROLES).fillna("")
    published = f"{plan.published_at:%Y-%m-%d}" if plan.published_at else "未发布"
    about = [("网格方案", plan.name), ("状态", PLAN_STATUSES.get(plan.status, plan.status)), ("发布日期", published),
             ("网格数", len(cells)), ("户数", int(cells["户数"].sum())),
             ("未配网格员的网格", int((cells["网格员"] == "（未配）").sum())),
             ("未配联户党员的户数", int(cells["未配联户党员的户数"].sum()))]
    book = new_book()
    add_sheet(book, "说明", ["项目", "内容"], about)
    add_sheet(book, "网格花名册", list(cells.columns), cells.itertuples(index=False))
    liaisons = _frame(session, LIAISONS, p=plan.id)
    add_sheet(book, "联户党员", list(liaisons.columns), liaisons.itertuples(index=False))
    out = BytesIO()
    book.save(out)
    record(session, actor, EXPORT_WORKBOOK, target=f"grid-roster-{township_code}.xlsx",
           detail={"workbook": "grid_roster", "township": township_code, "plan": plan.id})
    session.commit()
    return out.getvalue()
