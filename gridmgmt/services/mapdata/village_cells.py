"""A village's grids on its page: the published plan's cells, each with its grid worker and 联户 members."""

from dataclasses import dataclass

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from gridmgmt.db.models import GridCell, Household, Liaison
from gridmgmt.db.queries import collection
from gridmgmt.services.grids.views import outline_feature, published_cell_rows


@dataclass(frozen=True)
class CellLine:
    """A published cell of the village: its households, grid worker, 联户 members and households without one."""

    code: str
    name: str
    households: int
    worker: str | None
    phone: str | None
    liaisons: int
    unlinked: int


@dataclass(frozen=True)
class VillageCells:
    """The village's published cells as table rows, and as GeoJSON outlines for its map."""

    lines: list[CellLine]
    outlines: dict


def village_cells(session: Session, village_id: int, phones: bool) -> VillageCells:
    """The cells of published plans lying in VILLAGE_ID (a rural cell never crosses a village line);
    the grid workers' PHONES only for a user who sees households (the reviewer's page names them only)."""
    cells = published_cell_rows(session, GridCell.village_id == village_id)
    links = {
        cell_id: (members, unlinked)
        for cell_id, members, unlinked in session.execute(
            select(
                Household.grid_cell_id,
                func.count(distinct(Liaison.party_member_id)),
                func.count(distinct(Household.id)).filter(Liaison.id.is_(None)),
            )
            .outerjoin(Liaison, Liaison.household_id == Household.id)
            .where(Household.village_id == village_id, Household.grid_cell_id.is_not(None))
            .group_by(Household.grid_cell_id)
        )
    }
    lines = [
        CellLine(
            c["code"],
            c["name"],
            c["households"],
            c["worker"],
            c["phone"] if phones else None,
            *links.get(c["id"], (0, 0)),
        )
        for c in cells
    ]
    return VillageCells(lines, collection([outline_feature(c) for c in cells]))
