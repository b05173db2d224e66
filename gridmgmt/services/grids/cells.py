"""A plan's new cells: named and numbered per village, stored with their memberships in one
INSERT and one COPY (allocation, rebalance and reshaping all write through here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import shapely
from sqlalchemy import ColumnElement, bindparam, func, insert, update
from sqlalchemy.orm import Session

from gridmgmt.db.bulk import copy_rows
from gridmgmt.db.models import GridCell
from gridmgmt.network.frame import LocalPlane

if TYPE_CHECKING:  # allocation imports this module
    from gridmgmt.services.grids.allocation import GridTownship, VillageCells


def _valid_cell(wkb) -> ColumnElement:
    """WKB (lon/lat) as the valid EPSG:4326 multipolygon a grid cell stores."""
    return func.ST_Multi(func.ST_CollectionExtract(func.ST_MakeValid(func.ST_GeomFromWKB(wkb, 4326)), 3))


def cell_geom(plane: LocalPlane, polygon) -> ColumnElement:
    """POLYGON (metres on PLANE) as the valid EPSG:4326 multipolygon a grid cell stores."""
    return _valid_cell(shapely.to_wkb(plane.to_degrees(polygon)))


def redraw_cell(session: Session, plane: LocalPlane, cell_id: int, polygon) -> None:
    """Store POLYGON (metres on PLANE) as cell CELL_ID's outline, one version up (an editor holding
    the old one is told to reload)."""
    session.execute(
        update(GridCell)
        .where(GridCell.id == cell_id)
        .values(geom=cell_geom(plane, polygon), version=GridCell.version + 1)
    )


def _cell_numbers(used: set[str], village_code: str):
    """Cell numbers 1, 2, … whose codes are not USED yet in the plan."""
    n = 0
    while True:
        n += 1
        if f"{village_code}W{n:02d}" not in used:
            yield n


@dataclass(frozen=True)
class NewCell:
    """A cell to store: its village, code, name, polygon (metres) and member household ids."""

    village_id: int
    code: str
    name: str
    polygon: shapely.Geometry
    members: np.ndarray


def new_cells(
    town: GridTownship,
    cells: VillageCells,
    labels,
    used: set[str] = frozenset(),
    inherit: dict[int, tuple[str, str]] | None = None,
) -> list[NewCell]:
    """The cells LABELS of one village's allocation with their members; a label in INHERIT keeps
    that (code, name), the others are numbered on from the numbers not USED in the plan yet (nor inherited)."""
    village = town.villages.set_index("id").loc[cells.village_id]
    polygons = cells.polygons
    household_label = cells.sites[cells.mesh.site_of]
    homes = cells.households.id.to_numpy()
    inherit = inherit or {}
    fresh = _cell_numbers(set(used) | {code for code, _ in inherit.values()}, village.code)
    out = []
    for label in labels:
        if int(label) in inherit:
            code, name = inherit[int(label)]
        else:
            n = next(fresh)
            code, name = f"{village.code}W{n:02d}", f"{village['name']}第{n}网格"
        out.append(NewCell(cells.village_id, code, name, polygons[label], homes[household_label == label]))
    return out


def store_cells(session: Session, town: GridTownship, plan_id: int, cells: list[NewCell], version: int = 1) -> None:
    """Insert CELLS into plan PLAN_ID in one statement, and their memberships in one COPY."""
    if not cells:
        return
    wkbs = shapely.to_wkb(town.plane.to_degrees(np.array([c.polygon for c in cells], dtype=object)))
    table = GridCell.__table__
    ids = dict(
        session.execute(
            insert(table).values(geom=_valid_cell(bindparam("wkb"))).returning(table.c.code, table.c.id),
            [
                {
                    "plan_id": plan_id,
                    "village_id": c.village_id,
                    "code": c.code,
                    "name": c.name,
                    "version": version,
                    "wkb": w,
                }
                for c, w in zip(cells, wkbs)
            ],
        ).all()
    )
    copy_rows(
        session,
        "grid_membership",
        ["plan_id", "household_id", "cell_id"],
        ((plan_id, int(h), ids[c.code]) for c in cells for h in c.members),
        ["int4", "int4", "int4"],
    )


def write_cells(
    session: Session,
    town: GridTownship,
    plan_id: int,
    cells: VillageCells,
    labels,
    used: set[str] = frozenset(),
    version: int = 1,
    inherit: dict[int, tuple[str, str]] | None = None,
) -> None:
    """Insert the cells LABELS of one village's allocation, with their memberships (see new_cells);
    versions start at VERSION."""
    store_cells(session, town, plan_id, new_cells(town, cells, labels, used, inherit), version)
