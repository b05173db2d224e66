"""我的网格 for every field role: a 网格员's cells, a 包村干部's, 第一书记's or 工作队员's
posted villages with the published cells in them, and, for someone with nothing assigned,
whom to ask (the township's 组织委员 assigns postings and cells; the administrator links
an account to its cadre)."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gridmgmt.db.models import Cadre, CadreVillage, GridCell, Household, Township, Village
from gridmgmt.db.queries import posting_in_force
from gridmgmt.domain.vocab import ASSIGNMENTS, CADRE_ROLES
from gridmgmt.services.grids.views import my_cells, outline_feature, published_cell_rows

NO_CADRE = "您的账号还没有关联干部信息，所以没有网格和走访任务。请联系系统管理员，在账号上关联您的干部编码。"
NOTHING_ASSIGNED = "您还没有分配包村、驻村或网格。请联系{township}党委组织委员，在系统中为您安排包村或网格。"


@dataclass(frozen=True)
class MyGrid:
    """What the user answers for: their cadre, the cells they hold, the villages they are posted
    to (each with its published cells), and, when that is nothing, whom to ask."""

    cadre: dict | None
    cells: list[dict] = field(default_factory=list)
    villages: list[dict] = field(default_factory=list)

    @property
    def ask(self) -> str | None:
        """Whom to ask, in Chinese, when nothing is assigned; None otherwise."""
        if self.cadre is None:
            return NO_CADRE
        if not self.cells and not self.villages:
            return NOTHING_ASSIGNED.format(township=self.cadre["township"])
        return None

    def cell_features(self) -> list[dict]:
        """GeoJSON features of the cells held and of the cells in the posted villages, once each."""
        cells = {c["code"]: c for c in self.cells}
        for village in self.villages:
            cells.update({c["code"]: c for c in village["cells"] if c["code"] not in cells})
        return [outline_feature(c) for c in cells.values()]


def my_grid(session: Session, cadre_id: int | None, day: date) -> MyGrid:
    """我的网格 of the cadre CADRE_ID (None: an account with no cadre) on DAY."""
    if cadre_id is None:
        return MyGrid(None)
    cadre = (
        session.execute(
            select(Cadre.name, Cadre.cadre_role, Township.name.label("township"))
            .join(Township, Township.id == Cadre.township_id)
            .where(Cadre.id == cadre_id)
        )
        .mappings()
        .one_or_none()
    )
    if cadre is None:
        return MyGrid(None)
    about = {**cadre, "role": CADRE_ROLES[cadre["cadre_role"]]}
    return MyGrid(about, my_cells(session, cadre_id), _posted(session, cadre_id, day))


def _posted(session: Session, cadre_id: int, day: date) -> list[dict]:
    """The villages CADRE_ID is posted to on DAY, with their households and published cells."""
    households = select(func.count()).select_from(Household).where(Household.village_id == Village.id)
    rows = session.execute(
        select(
            Village.id,
            Village.code,
            Village.name,
            CadreVillage.assignment,
            households.scalar_subquery().label("households"),
        )
        .select_from(CadreVillage)
        .join(Village, Village.id == CadreVillage.village_id)
        .where(CadreVillage.cadre_id == cadre_id, posting_in_force(day))
        .order_by(Village.code, CadreVillage.assignment)
    ).mappings()
    villages = {}
    for row in rows:  # posted twice (包村 and 挂点): one village, both named
        village = villages.setdefault(row["id"], {**row, "assignments": [], "cells": []})
        village["assignments"].append(ASSIGNMENTS[row["assignment"]])
    for cell in published_cell_rows(session, GridCell.village_id.in_(list(villages))):
        villages[cell["village_id"]]["cells"].append(cell)
    return list(villages.values())
