"""The grid roster workbook (网格花名册) of a township's plan, for briefings: cells, workers, liaisons.

The plan is the newest published one, else the newest draft, as on the grid briefing map.
No household is listed and no 四必访 flag is read: only counts per cell and per liaison.
"""

from io import BytesIO

import pandas as pd
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from gridmgmt.db.models import Cadre, GridCell, GridPlan, Household, PartyMember, Township, Village
from gridmgmt.db.models.grids import GridLiaison, GridMembership
from gridmgmt.domain.errors import Conflict
from gridmgmt.domain.vocab import CADRE_ROLES, PLAN_STATUSES
from gridmgmt.domain.wording import file_name, label
from gridmgmt.reports.sheets import EXPORT_WORKBOOK, add_sheet, new_book
from gridmgmt.services.accounts.audit import Actor, record

UNASSIGNED = "（未配）"


class NoPlan(Conflict, LookupError):
    """The township has no grid plan (or no such township); the message is Chinese."""


def _plan(session: Session, township_code: str):
    """The newest published plan of the township, else its newest plan; NoPlan when it has none."""
    plan = session.execute(
        select(GridPlan.id, GridPlan.name, GridPlan.status, GridPlan.published_at)
        .join(Township, Township.id == GridPlan.township_id)
        .where(Township.code == township_code)
        .order_by(
            (GridPlan.status == "published").desc(), GridPlan.published_at.desc().nulls_last(), GridPlan.id.desc()
        )
        .limit(1)
    ).one_or_none()
    if plan is None:
        raise NoPlan(f"编码为 {township_code} 的乡镇还没有网格方案")
    return plan


def _cells(session: Session, plan_id: int) -> pd.DataFrame:
    """One row per cell: its village, worker, households, people and liaison counts."""
    households, linked = func.count(GridMembership.household_id), func.count(GridLiaison.household_id)
    return pd.read_sql(
        select(
            Village.name.label("行政村"),
            GridCell.code.label("网格编号"),
            func.coalesce(GridCell.name, "").label("网格名称"),
            households.label("户数"),
            func.coalesce(func.sum(Household.member_count), 0).label("人口"),
            func.coalesce(Cadre.name, UNASSIGNED).label("网格员"),
            Cadre.cadre_role.label("职务"),
            Cadre.phone.label("联系电话"),
            func.count(GridLiaison.party_member_id.distinct()).label("联户党员人数"),
            linked.label("已配联户党员的户数"),
            (households - linked).label("未配联户党员的户数"),
        )
        .join(Village, Village.id == GridCell.village_id)
        .outerjoin(Cadre, Cadre.id == GridCell.grid_worker_id)
        .outerjoin(GridMembership, GridMembership.cell_id == GridCell.id)
        .outerjoin(Household, Household.id == GridMembership.household_id)
        .outerjoin(
            GridLiaison,
            and_(GridLiaison.plan_id == GridCell.plan_id, GridLiaison.household_id == GridMembership.household_id),
        )
        .where(GridCell.plan_id == plan_id)
        .group_by(Village.code, Village.name, GridCell.code, GridCell.name, Cadre.name, Cadre.cadre_role, Cadre.phone)
        .order_by(Village.code, GridCell.code),
        session.connection(),
    )


def _liaisons(session: Session, plan_id: int) -> pd.DataFrame:
    """One row per cell and liaison party member: how many of the cell's households they link."""
    return pd.read_sql(
        select(
            Village.name.label("行政村"),
            GridCell.code.label("网格编号"),
            PartyMember.name.label("联户党员"),
            func.count().label("联系户数"),
        )
        .select_from(GridLiaison)
        .join(
            GridMembership,
            and_(
                GridMembership.plan_id == GridLiaison.plan_id, GridMembership.household_id == GridLiaison.household_id
            ),
        )
        .join(GridCell, GridCell.id == GridMembership.cell_id)
        .join(Village, Village.id == GridCell.village_id)
        .join(PartyMember, PartyMember.id == GridLiaison.party_member_id)
        .where(GridLiaison.plan_id == plan_id)
        .group_by(Village.code, Village.name, GridCell.code, PartyMember.id, PartyMember.name)
        .order_by(Village.code, GridCell.code, PartyMember.name),
        session.connection(),
    )


def grid_roster(session: Session, township_code: str, actor: Actor) -> bytes:
    """The roster .xlsx of the township's plan: 说明, 网格花名册, 联户党员; audited, committed."""
    plan = _plan(session, township_code)
    cells = _cells(session, plan.id)
    cells["职务"] = [label(CADRE_ROLES, role) for role in cells["职务"]]
    published = f"{plan.published_at:%Y-%m-%d}" if plan.published_at else "未发布"
    about = [
        ("网格方案", plan.name),
        ("状态", PLAN_STATUSES.get(plan.status, plan.status)),
        ("发布日期", published),
        ("网格数", len(cells)),
        ("户数", int(cells["户数"].sum())),
        ("未配网格员的网格", int((cells["网格员"] == UNASSIGNED).sum())),
        ("未配联户党员的户数", int(cells["未配联户党员的户数"].sum())),
    ]
    book = new_book()
    add_sheet(book, "说明", ["项目", "内容"], about)
    add_sheet(book, "网格花名册", list(cells.columns), cells.itertuples(index=False))
    liaisons = _liaisons(session, plan.id)
    add_sheet(book, "联户党员", list(liaisons.columns), liaisons.itertuples(index=False))
    out = BytesIO()
    book.save(out)
    record(
        session,
        actor,
        EXPORT_WORKBOOK,
        target=file_name("grid_roster", township_code, ext="xlsx"),
        detail={"workbook": "grid_roster", "township": township_code, "plan": plan.id},
    )
    session.commit()
    return out.getvalue()
