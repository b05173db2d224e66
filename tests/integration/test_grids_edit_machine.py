"""A state machine over the planner's edits (move households or a group, redraw, split, merge,
lock, rebalance), on generated villages in the real database. After every step every household
is in exactly one cell of its village, every cell is non-empty and connected on the mesh (the
service's own test), households at one spot share a cell, and the cells tile their village. A
refused edit changes nothing stored; a stale one is always refused; an accepted one reports the
versions it stored and leaves no cell it changed out of bounds, or further out than it was."""

import numpy as np
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from gridmgmt.analysis.partition import is_connected
from gridmgmt.db.models import GridPlan
from gridmgmt.domain.grid_rules import GridError, StaleCell
from gridmgmt.services.grids.allocation import allocate_township, load_township, plan_cells
from gridmgmt.services.grids.edits import move_group, move_households, redraw, set_locked
from gridmgmt.services.grids.rebalance import rebalance
from gridmgmt.services.grids.reshape import merge_cells, split_cell
from tests.actors import ACTOR
from tests.integration import random_village
from tests.tables import empty_tables

EXAMPLES, STEPS = 20, 8
# The tables an example writes, in the order they can be emptied.
MADE = ("grid_membership", "grid_cell", "grid_plan", "household", "village_group", "road", "village", "township")
METRE = 1 / 111_000  # in degrees, roughly
LOADS = (
    "SELECT c.code, sum(CASE WHEN h.hardship THEN 1 + :extra ELSE 1 END) FROM grid_membership m "
    "JOIN household h ON h.id = m.household_id JOIN grid_cell c ON c.id = m.cell_id "
    "WHERE m.plan_id = :p GROUP BY c.code"
)
TILING = (
    "SELECT v.code, ST_Area(ST_Difference(ST_Union(c.geom), v.geom)) / ST_Area(v.geom), "
    "sum(ST_Area(c.geom)) / ST_Area(v.geom), ST_Area(ST_Union(c.geom)) / ST_Area(v.geom) "
    "FROM grid_cell c JOIN village v ON v.id = c.village_id WHERE c.plan_id = :p GROUP BY v.code, v.geom"
)
# Households outside the plan, in a cell of another plan or village, or off their cell; empty cells.
ASTRAY = (
    "SELECT (SELECT count(*) FROM household h LEFT JOIN grid_membership m ON m.household_id = h.id "
    "AND m.plan_id = :p WHERE m.cell_id IS NULL), "
    "(SELECT count(*) FROM grid_membership m JOIN household h ON h.id = m.household_id "
    "JOIN grid_cell c ON c.id = m.cell_id WHERE m.plan_id = :p AND (c.plan_id <> :p "
    "OR c.village_id <> h.village_id OR NOT ST_Intersects(c.geom, h.geom))), "
    "(SELECT count(*) FROM grid_cell c WHERE c.plan_id = :p AND NOT EXISTS "
    "(SELECT 1 FROM grid_membership m WHERE m.cell_id = c.id))"
)


class GridEdits(RuleBasedStateMachine):
    """One draft plan of a generated township, edited as a planner (and a stale editor) would."""

    def __init__(self, engine):
        super().__init__()
        self.engine = engine
        self.session = sessionmaker(engine, expire_on_commit=False)()
        self.plan = None

    def teardown(self):
        self.session.close()
        with self.engine.begin() as conn:  # quicker than emptying every table, 20 times
            for table in MADE:
                conn.execute(text(f"DELETE FROM {table}"))

    # --- what is stored -------------------------------------------------------------------------

    def _rows(self, sql: str, **values) -> list:
        with self.engine.connect() as conn:  # committed state only
            return conn.execute(text(sql), {"p": self.plan, **values}).all()

    def _stored(self) -> tuple:
        """Every stored fact of the plan: cells (with geometry) and memberships."""
        return (
            self._rows(
                "SELECT code, id, version, locked, ST_AsEWKB(geom) FROM grid_cell WHERE plan_id = :p ORDER BY code"
            ),
            self._rows("SELECT household_id, cell_id FROM grid_membership WHERE plan_id = :p ORDER BY 1"),
        )

    def _versions(self) -> dict[str, int]:
        return dict(self._rows("SELECT code, version FROM grid_cell WHERE plan_id = :p"))

    def _members(self) -> dict[str, list[str]]:
        """Household codes by cell code."""
        found: dict[str, list[str]] = {}
        for cell, home in self._rows(
            "SELECT c.code, h.code FROM grid_membership m JOIN grid_cell c "
            "ON c.id = m.cell_id JOIN household h ON h.id = m.household_id "
            "WHERE m.plan_id = :p ORDER BY 1, 2"
        ):
            found.setdefault(cell, []).append(home)
        return found

    def _loads(self) -> dict[str, float]:
        return {code: float(load) for code, load in self._rows(LOADS, extra=self.rules.must_visit_extra)}

    # --- the editor -----------------------------------------------------------------------------

    def _stale(self) -> dict[str, int]:
        """What an editor saw before the last change of every cell."""
        return {code: v - 1 for code, v in self.seen.items()}

    def _edit(self, call, refusal: type[GridError] | None = None):
        """Run the edit CALL (one that must be refused with REFUSAL, if given); None when refused
        (then nothing stored changed), else (workloads before, result)."""
        before, loads = self._stored(), self._loads()
        try:
            result = call()
        except GridError as refused:
            self.session.rollback()  # as the web request does
            assert str(refused) and isinstance(refused, refusal or GridError)
            assert self._stored() == before, f"refused ({refused}) yet changed"
            if isinstance(refused, StaleCell):
                self.seen = self._versions()  # the editor reloads on 409
            return None
        assert refusal is None, f"went through where {refusal.__name__} was due"
        now = self._versions()
        assert {code: now.get(code) for code in result.versions} == result.versions
        self.seen = {c: v for c, v in {**self.seen, **result.versions}.items() if v is not None}
        self.edited = True
        return loads, result

    def _within_bounds(self, loads_before: dict, changed, source=None) -> None:
        """Cells CHANGED are in bounds or no further out than before (a new cell: than SOURCE was)."""
        low, high = self.rules.min_workload, self.rules.max_workload
        after = self._loads()
        for code in changed:
            if code in after:
                was, now = loads_before.get(code, loads_before.get(source)), after[code]
                assert low <= now <= high or (now < low and now >= was) or (now > high and now <= was), (
                    f"{code}: {was} → {now} outside {low}–{high}"
                )

    # --- steps ----------------------------------------------------------------------------------

    @initialize(spec=random_village.village_specs, rules=random_village.grid_rules)
    def allocate(self, spec, rules):
        random_village.build(self.session, spec)
        self.rules = rules
        self.plan = allocate_township(self.session, random_village.TOWN, "性质测试", rules, actor=ACTOR).plan_id
        self.seen, self.edited = self._versions(), False

    def _cell(self, data, label: str) -> str:
        return data.draw(st.sampled_from(sorted(self._versions())), label=label)

    def _next_to(self, data, cell: str, label: str, anywhere: bool = True) -> str:
        """Another cell of CELL's village (CELL itself if alone); with ANYWHERE, any cell at times."""
        cells = sorted(self._versions())
        village = st.sampled_from([c for c in cells if c[:12] == cell[:12] and c != cell] or [cell])
        return data.draw(village | st.sampled_from(cells) if anywhere else village, label=label)

    def _nearest(self, frm: str, to: str) -> list[str]:
        """The households of cell FRM, nearest to cell TO first."""
        return [
            code
            for (code,) in self._rows(
                "SELECT h.code FROM grid_membership m JOIN household h ON h.id = m.household_id JOIN grid_cell a "
                "ON a.id = m.cell_id AND a.code = :frm JOIN grid_cell b ON b.plan_id = a.plan_id AND b.code = :to "
                "WHERE m.plan_id = :p ORDER BY ST_Distance(h.geom, b.geom), h.code",
                frm=frm,
                to=to,
            )
        ]

    @rule(data=st.data())
    def move(self, data):
        to = self._cell(data, "to")
        nearest = self._nearest(self._next_to(data, to, "from"), to)
        anyone = sorted(h for homes in self._members().values() for h in homes) + ["X999"]
        homes = data.draw(
            st.one_of(
                st.integers(1, 4).map(lambda k: nearest[:k]),
                st.lists(st.sampled_from(anyone), min_size=1, max_size=4, unique=True),
            ),
            label="homes",
        )
        done = self._edit(lambda: move_households(self.session, self.plan, homes, to, dict(self.seen), actor=ACTOR))
        if done:
            assert set(homes) <= set(self._members()[to])
            self._within_bounds(done[0], done[1].versions)

    @rule(data=st.data())
    def move_group(self, data):
        groups = [g for (g,) in self._rows("SELECT code FROM village_group ORDER BY code")] + ["X9"]
        group, to = data.draw(st.sampled_from(groups), label="group"), self._cell(data, "to")
        done = self._edit(lambda: move_group(self.session, self.plan, group, to, dict(self.seen), actor=ACTOR))
        if done:
            self._within_bounds(done[0], done[1].versions)

    @rule(data=st.data(), size_m=st.floats(0.5, 300), bowtie=st.sampled_from([False, False, False, True]))
    def redraw(self, data, size_m, bowtie):
        cell = self._cell(data, "cell")
        homes = self._rows("SELECT ST_X(geom), ST_Y(geom) FROM household ORDER BY code")
        x, y = data.draw(st.sampled_from(homes), label="around")
        d = size_m * METRE
        ring = (
            [[x - d, y - d], [x + d, y + d], [x + d, y - d], [x - d, y + d]]
            if bowtie
            else [[x - d, y - d], [x + d, y - d], [x + d, y + d], [x - d, y + d]]
        )
        area = {"type": "Polygon", "coordinates": [ring + ring[:1]]}
        done = self._edit(lambda: redraw(self.session, self.plan, cell, area, dict(self.seen), actor=ACTOR))
        if done:
            self._within_bounds(done[0], done[1].versions)

    @rule(data=st.data())
    def split(self, data):
        cell = self._cell(data, "cell")
        members = self._members()
        done = self._edit(lambda: split_cell(self.session, self.plan, cell, dict(self.seen), actor=ACTOR))
        if done:
            (new,) = set(done[1].versions) - {cell}
            assert sorted(self._members()[cell] + self._members()[new]) == members[cell]
            self._within_bounds(done[0], done[1].versions, source=cell)

    @rule(data=st.data())
    def merge(self, data):
        keep = self._cell(data, "keep")
        other = self._next_to(data, keep, "other")
        members = self._members()
        done = self._edit(lambda: merge_cells(self.session, self.plan, keep, other, dict(self.seen), actor=ACTOR))
        if done:
            assert other not in self._versions()
            assert self._members()[keep] == sorted(members[keep] + members[other])
            self._within_bounds(done[0], [keep])

    @rule(data=st.data(), locked=st.booleans())
    def lock(self, data, locked):
        cell = self._cell(data, "cell")
        if self._edit(lambda: set_locked(self.session, self.plan, cell, locked, self.seen[cell], actor=ACTOR)):
            assert self._rows("SELECT locked FROM grid_cell WHERE plan_id = :p AND code = :c", c=cell) == [(locked,)]

    @rule(data=st.data(), kind=st.sampled_from(["move", "split", "lock"]))
    def stale_edit(self, data, kind):
        """An editor holding versions from before the last change is refused (409), whatever the edit."""
        cell = self._cell(data, "cell")
        edits = {
            "move": lambda: move_households(
                self.session,
                self.plan,
                self._nearest(cell, cell)[:1],
                self._next_to(data, cell, "to", anywhere=False),
                self._stale(),
                actor=ACTOR,
            ),
            "split": lambda: split_cell(self.session, self.plan, cell, self._stale(), actor=ACTOR),
            "lock": lambda: set_locked(self.session, self.plan, cell, True, self._stale()[cell], actor=ACTOR),
        }
        self._edit(edits[kind], refusal=StaleCell)

    # Re-allocating an unedited plan gives it back as it was: rebalance after an edit.
    @precondition(lambda self: self.edited)
    @rule()
    def rebalance(self):
        locked = self._rows(
            "SELECT code, id, version, ST_AsEWKB(geom) FROM grid_cell WHERE plan_id = :p AND locked ORDER BY code"
        )
        members = self._members()
        rebalance(self.session, self.plan, actor=ACTOR)
        self.seen, self.edited = self._versions(), False  # the editor reloads the plan
        assert (
            self._rows(
                "SELECT code, id, version, ST_AsEWKB(geom) FROM grid_cell WHERE plan_id = :p AND locked ORDER BY code"
            )
            == locked
        )
        assert all(self._members()[code] == members[code] for code, *_ in locked)

    # --- after every step -----------------------------------------------------------------------

    @invariant()
    def every_household_in_one_cell_of_its_village(self):
        if self.plan is not None:
            assert self._rows(ASTRAY) == [(0, 0, 0)]

    @invariant()
    def cells_tile_their_village(self):
        if self.plan is not None:
            for village, outside, cells_area, union_area in self._rows(TILING):
                assert outside < 1e-7 and abs(cells_area - 1) < 1e-6 and abs(union_area - 1) < 1e-6, village

    @invariant()
    def cells_are_connected_on_the_mesh(self):
        if self.plan is None:
            return
        plan = self.session.get(GridPlan, self.plan)
        parts = plan_cells(self.session, plan, load_township(self.session, plan.township_id))
        self.session.rollback()
        member = dict(self._rows("SELECT household_id, cell_id FROM grid_membership WHERE plan_id = :p"))
        for part in parts:
            assert (part.sites >= 0).all()
            # Households at one spot (one site) share a cell.
            assert list(part.cell_ids[part.sites[part.mesh.site_of]]) == [member[h] for h in part.households.id]
            for label in np.unique(part.sites):
                whole = is_connected(part.mesh.edges, part.sites == label)
                assert whole, f"cell {part.cell_ids[label]} in pieces"


def test_grid_edits_keep_every_household_in_one_connected_cell(engine):
    empty_tables(engine)
    try:
        run_state_machine_as_test(
            lambda: GridEdits(engine),
            settings=settings(
                max_examples=EXAMPLES,
                stateful_step_count=STEPS,
                derandomize=True,
                database=None,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
            ),
        )
    finally:
        empty_tables(engine)
