"""A township's existing grids (综治网格) imported as a draft plan, from cell polygons or a household → cell
list; edited, rebalanced and published like an allocated plan afterwards.

Polygons: each household goes to the cell of its own village that covers it (the first in the file when
two do; the nearest when none does). A list: each listed household to its cell, and a cell's polygon is the union of its households'
Voronoi regions within the village, as allocated cells are. 网格员 and 网格长 are matched to the township's
cadres by code or name. The check (checks.py) then lists what the plan lacks.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from sqlalchemy import func, insert, literal, select
from sqlalchemy.orm import Session

from geodata.errors import ImportRejected, RowError
from geodata.grid_files import GRID_CELLS, GRID_MEMBERS
from geodata.parsing import match_columns
from geodata.prepare import Prepared, prepare
from geodata.reading import read_source
from gridmgmt.db.models import Cadre, GridCell, GridPlan, Household, Village
from gridmgmt.db.models.grids import GridMembership
from gridmgmt.db.queries import in_township
from gridmgmt.domain.grid_rules import GridRules
from gridmgmt.services.accounts.actors import Actor, record
from gridmgmt.services.grids.allocation import VillageCells, load_township, township_id, village_mesh
from gridmgmt.services.grids.cells import cell_geom

CODE_MAX = 24  # grid_cell.code


def _layer_of(path: Path):
    """GRID_MEMBERS when the file lists households by code, else GRID_CELLS (polygons)."""
    return GRID_MEMBERS if "code" in match_columns(read_source(path).frame.columns, GRID_MEMBERS) else GRID_CELLS


class People:
    """The township's cadres by code and by name, to find a file's 网格员 and 网格长."""

    def __init__(self, session: Session, town: int):
        rows = session.execute(select(Cadre.id, Cadre.code, Cadre.name).where(Cadre.township_id == town)).all()
        self.by_code = {code: i for i, code, _ in rows}
        self.by_name: dict[str, list[int]] = {}
        for i, _, name in rows:
            self.by_name.setdefault(name, []).append(i)

    def find(self, given, row: int, header: str, errors: list[RowError]) -> int | None:
        """The cadre GIVEN names (a code, or a name only one cadre has); None and an error otherwise."""
        if given is None:
            return None
        if given in self.by_code:
            return self.by_code[given]
        found = self.by_name.get(given, [])
        if len(found) == 1:
            return found[0]
        reason = "有多名同名干部，请改填干部编号" if found else "不在本乡镇干部名册中：请先导入干部，或改填干部编号"
        errors.append(RowError(row, header, f"“{given}”{reason}"))
        return None

    def of_cell(self, cell: dict, row: int, headers: dict[str, str], errors: list[RowError]) -> list[int | None]:
        """The cadre ids of CELL's 网格员 and 网格长 (None where not given or not found)."""
        pairs = (("worker", "grid_worker"), ("leader", "grid_leader"))
        return [self.find(cell[key], row, headers.get(field, field), errors) for key, field in pairs]


def _cell_values(prepared: Prepared, i: int, code_column: str, name_column: str) -> dict:
    v = prepared.values
    get = lambda c: v[c].iat[i] if c in v else None  # noqa: E731 - a local shorthand
    return {
        "code": get(code_column),
        "name": get(name_column),
        "worker": get("grid_worker"),
        "leader": get("grid_leader"),
    }


def _add_cell(session: Session, plan_id: int, village_id: int, cell: dict, geom, people_ids) -> int:
    worker, leader = people_ids
    return session.scalar(
        insert(GridCell)
        .values(
            plan_id=plan_id,
            village_id=village_id,
            code=cell["code"],
            name=cell["name"] or cell["code"],
            grid_worker_id=worker,
            leader_id=leader,
            geom=geom,
        )
        .returning(GridCell.id)
    )


def _village_of(session: Session, town: int, geom, village_code: str | None):
    """The village a cell belongs to: the one named, else the one it overlaps most."""
    v = Village
    if village_code:
        return session.scalar(select(v.id).where(v.township_id == town, v.code == village_code))
    return session.scalar(
        select(v.id)
        .where(v.township_id == town, func.ST_Intersects(v.geom, geom))
        .order_by(func.ST_Area(func.ST_Intersection(v.geom, geom)).desc(), v.id)
        .limit(1)
    )


def _write_polygons(session: Session, plan: GridPlan, prepared: Prepared, people: People) -> list[RowError]:
    errors, headers = [], prepared.headers
    for i in range(len(prepared)):
        cell = _cell_values(prepared, i, "code", "name")
        geom = func.ST_Multi(func.ST_GeomFromWKB(shapely.to_wkb(prepared.geoms[i]), 4326))
        given_village = prepared.values["village_code"].iat[i] if "village_code" in prepared.values else None
        village_id = _village_of(session, plan.township_id, geom, given_village)
        if village_id is None:
            where = f"村编码“{given_village}”不在本乡镇" if given_village else "网格不在本乡镇任何行政村内"
            errors.append(RowError(i + 1, headers.get("village_code", "几何"), where))
            continue
        ids = people.of_cell(cell, i + 1, headers, errors)
        _add_cell(session, plan.id, village_id, cell, geom, ids)
    if not errors:
        # A household goes to the cell of its village that covers it (the first in the file when two do),
        # else to its village's nearest cell: the plan stays whole, editable and publishable, and the check
        # lists every household no cell covers.
        h, c = Household, GridCell
        nearest = (
            select(c.id)
            .where(c.plan_id == plan.id, c.village_id == h.village_id)
            .order_by(func.ST_Distance(c.geom, h.geom), c.id)
            .limit(1)
            .scalar_subquery()
        )
        located = select(literal(plan.id), h.id, nearest).where(in_township(plan.township_id), nearest.isnot(None))
        session.execute(insert(GridMembership).from_select(["plan_id", "household_id", "cell_id"], located))
    return errors


def _listed(session: Session, plan: GridPlan, prepared: Prepared) -> tuple[pd.DataFrame, list[RowError]]:
    """The list's rows with their household and village ids; an error for an unknown household or a cell
    whose households lie in more than one village."""
    v, headers, errors = prepared.values, prepared.headers, []
    rows = pd.DataFrame({"household": v["code"], "cell": v["cell_code"]})
    h = Household
    found = session.execute(
        select(h.code, h.id, h.village_id).where(in_township(plan.township_id), h.code.in_(rows.household.tolist()))
    ).all()
    homes = {code: (hid, vid) for code, hid, vid in found}
    for i, code in enumerate(rows.household):
        if code not in homes:
            errors.append(RowError(i + 1, headers["code"], f"户编码“{code}”不在本乡镇"))
    rows["household_id"] = rows.household.map(lambda c: homes.get(c, (None, None))[0])
    rows["village_id"] = rows.household.map(lambda c: homes.get(c, (None, None))[1])
    for cell, part in rows.dropna().groupby("cell", sort=False):
        if part.village_id.nunique() > 1:
            errors.append(
                RowError(
                    int(part.index[0]) + 1,
                    headers["cell_code"],
                    f"网格“{cell}”的农户分属多个行政村：一个网格只能在一个村内",
                )
            )
    return rows, errors


def _write_list(session: Session, plan: GridPlan, prepared: Prepared, people: People) -> list[RowError]:
    rows, errors = _listed(session, plan, prepared)
    if errors:
        return errors
    headers = prepared.headers
    town, rules = load_township(session, plan.township_id), GridRules.from_dict(plan.rules)
    for village_id, part in rows.groupby("village_id", sort=False):
        homes_df, mesh, graph = village_mesh(town, int(village_id), rules)
        cells = list(dict.fromkeys(part.cell))
        label = (
            homes_df.id.map(dict(zip(part.household_id, part.cell.map({c: n for n, c in enumerate(cells)}))))
            .fillna(-1)
            .to_numpy(int)
        )
        sites = np.full(len(mesh.xy), -1)
        sites[mesh.site_of[label >= 0]] = label[label >= 0]
        polygons = VillageCells(int(village_id), homes_df, mesh, graph, sites).polygons
        for n, code in enumerate(cells):
            first = int(part.index[part.cell == code][0])
            cell = _cell_values(prepared, first, "cell_code", "cell_name")
            ids = people.of_cell(cell, first + 1, headers, errors)
            cell_id = _add_cell(session, plan.id, int(village_id), cell, cell_geom(town.plane, polygons[n]), ids)
            members = part.household_id[part.cell == code]
            session.execute(
                insert(GridMembership),
                [{"plan_id": plan.id, "household_id": int(m), "cell_id": cell_id} for m in members],
            )
    return errors


def _long_codes(prepared: Prepared) -> list[RowError]:
    column = "cell_code" if "cell_code" in prepared.values else "code"
    codes = prepared.values[column]
    return [
        RowError(i + 1, prepared.headers[column], f"网格编码“{c}”超过 {CODE_MAX} 个字符")
        for i, c in enumerate(codes)
        if c is not None and len(c) > CODE_MAX
    ]


def import_existing(
    session: Session,
    code: str,
    path: Path,
    name: str,
    actor: Actor,
    crs: str | None = None,
    file_name: str | None = None,
    rules: GridRules | None = None,
) -> int:
    """Import the existing grids of township CODE from PATH as a new draft plan NAME under RULES (the bounds
    its later edits and rebalancing keep; default GridRules()); returns its id.

    All or nothing: ImportRejected lists every error and nothing is written. Audited as ACTOR's.
    """
    town = township_id(session, code)
    path = Path(path)
    layer = _layer_of(path)
    try:
        prepared = prepare(path, layer, crs)
        errors = list(prepared.errors) + _long_codes(prepared)
        if errors:
            raise ImportRejected(errors)
        outlines = "groups" if layer is GRID_MEMBERS else "file"
        plan = GridPlan(township_id=town, name=name, rules=(rules or GridRules()).as_dict(), outlines=outlines)
        session.add(plan)
        session.flush()
        write = _write_list if layer is GRID_MEMBERS else _write_polygons
        errors = write(session, plan, prepared, People(session, town))
        if errors:
            raise ImportRejected(errors)
        cells = session.scalar(select(func.count()).where(GridCell.plan_id == plan.id))
        members = session.scalar(select(func.count()).where(GridMembership.plan_id == plan.id))
        detail = {"township": code, "plan_id": plan.id, "kind": layer.name, "cells": cells, "households": members}
        record(session, actor, "import_grid_plan", target=file_name or path.name, detail=detail)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return plan.id
