"""A township's existing grids imported as a draft plan (polygons, or a household → cell list), checked,
edited, rebalanced and published like an allocated plan; the phone then shows the cell to its 网格员."""

import json

import pytest
from sqlalchemy import select, text

from geodata.errors import ImportRejected
from gridmgmt.cli import main
from gridmgmt.db.models import GridCell, GridPlan
from gridmgmt.domain.grid_rules import GridError, GridRules
from gridmgmt.services.accounts.audit import Actor
from gridmgmt.services.grids.checks import check_plan
from gridmgmt.services.grids.edits import move_households
from gridmgmt.services.grids.existing import import_existing
from gridmgmt.services.grids.plans import publish
from gridmgmt.services.grids.rebalance import rebalance
from gridmgmt.services.grids.redraw import redraw_outlines
from tests.actors import ADMIN, add_actor, cli  # noqa: F401 - the cli fixture
from tests.web.people import add_people
from tests.web.sample import TOWNSHIP_CODE, add_small_township

ACTOR = Actor("planner")
# The sample's cells hold one to three households: bounds to match, so edits are judged as on a real plan.
SMALL = GridRules(target=2, min_workload=1, max_workload=10)
# 西村 is 115.70–115.73 E, 东村 115.73–115.76 E, both 23.88–23.92 N. 东村's two cells overlap by 0.001°
# and leave its eastern strip uncovered, where household 44150010020202002 (115.7512 E) lies.
CELLS = [
    ("XC-1", "西村网格", "网格员甲", "G001", (115.70, 115.73)),
    ("DC-1", "东村一格", None, None, (115.73, 115.745)),
    ("DC-2", "东村二格", None, None, (115.744, 115.751)),
]


def _cells_file(tmp_path):
    features = [
        {
            "type": "Feature",
            "properties": {"网格编码": code, "网格名称": name, "网格员": worker, "网格长": leader},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[w, 23.88], [e, 23.88], [e, 23.92], [w, 23.92], [w, 23.88]]],
            },
        }
        for code, name, worker, leader, (w, e) in CELLS
    ]
    path = tmp_path / "综治网格.geojson"
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False), encoding="utf-8"
    )
    return path


@pytest.fixture
def town(session):
    """The sample township, its grid worker 网格员甲 (cadre G001) and users."""
    add_small_township(session)
    return add_people(session)


def _versions(session, plan_id):
    return dict(session.execute(select(GridCell.code, GridCell.version).where(GridCell.plan_id == plan_id)).all())


def test_imported_polygons_become_a_checked_draft_that_is_edited_and_published(session, town, tmp_path):
    plan_id = import_existing(session, TOWNSHIP_CODE, _cells_file(tmp_path), "综治网格", ACTOR, rules=SMALL)
    plan = session.get(GridPlan, plan_id)
    assert plan.status == "draft" and plan.outlines == "file"
    # The township's own lines are kept: redrawing them from the households is refused.
    with pytest.raises(GridError, match="网格边界来自导入的网格面文件，重画会丢弃这些边界"):
        redraw_outlines(session, plan_id, actor=ACTOR)
    cells = {c.code: c for c in session.scalars(select(GridCell).where(GridCell.plan_id == plan_id))}
    assert set(cells) == {"XC-1", "DC-1", "DC-2"}
    assert cells["XC-1"].grid_worker_id == cells["XC-1"].leader_id is not None  # name and code of cadre G001
    found = check_plan(session, plan_id)
    assert found.unassigned == [] and found.uncovered == ["44150010020202002"] and found.doubled == []
    assert found.outside == []
    ((a, b, overlap),) = found.overlaps
    assert (a, b) == ("DC-1", "DC-2") and overlap == pytest.approx(0.001 * 101_800 * 0.04 * 111_000, rel=0.1)
    ((village, gap),) = found.gaps
    assert village == "东村" and gap == pytest.approx(0.009 * 101_800 * 0.04 * 111_000, rel=0.1)
    # Edited like an allocated plan: the uncovered household was put in its nearest cell, and moves.
    move_households(session, plan_id, ["44150010020202002"], "DC-1", _versions(session, plan_id), actor=ACTOR)
    members = dict(
        session.execute(
            text(
                "SELECT h.code, c.code FROM grid_membership m JOIN household h ON h.id = m.household_id "
                "JOIN grid_cell c ON c.id = m.cell_id WHERE m.plan_id = :p"
            ),
            {"p": plan_id},
        ).all()
    )
    assert members["44150010020202002"] == "DC-1"
    publish(session, plan_id, allow_no_worker=True, actor=ACTOR)
    assert session.get(GridPlan, plan_id).status == "published"


def test_a_household_list_becomes_cells_that_tile_their_village_and_rebalance(session, town, tmp_path):
    path = tmp_path / "户网格清单.csv"
    path.write_text(
        "户编码,网格编码,网格名称,网格员\n"
        "44150010020101001,XC-1,西村一格,G001\n44150010020102001,XC-1,,\n"
        "44150010020201001,DC-1,东村一格,\n44150010020202001,DC-2,东村二格,\n44150010020202002,DC-2,,\n",
        encoding="utf-8",
    )
    plan_id = import_existing(session, TOWNSHIP_CODE, path, "清单网格", ACTOR, rules=SMALL)
    assert session.get(GridPlan, plan_id).outlines == "groups"  # drawn from the households as allocations are
    found = check_plan(session, plan_id)
    assert (found.cells, found.unassigned, found.uncovered, found.doubled) == (3, [], [], [])
    assert found.overlaps == [] and found.outside == [] and found.gaps == []
    names = dict(session.execute(select(GridCell.code, GridCell.name).where(GridCell.plan_id == plan_id)).all())
    assert names == {"XC-1": "西村一格", "DC-1": "东村一格", "DC-2": "东村二格"}
    report = rebalance(session, plan_id, actor=ACTOR)
    assert report.cells >= 2 and check_plan(session, plan_id).unassigned == []
    # Cells made again keep the imported code and name of the cell they match.
    again = dict(session.execute(select(GridCell.code, GridCell.name).where(GridCell.plan_id == plan_id)).all())
    assert again["XC-1"] == "西村一格" and all(again[code] == names[code] for code in again.keys() & names.keys())


def test_a_bad_grid_file_writes_nothing_and_names_every_row(session, town, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "户编码,网格编码,网格员\n44150010020101001,X1,无名氏\n99999999999999999,X1,\n44150010020201001,X1,\n",
        encoding="utf-8",
    )
    plans = session.scalar(text("SELECT count(*) FROM grid_plan"))
    with pytest.raises(ImportRejected) as refused:
        import_existing(session, TOWNSHIP_CODE, path, "坏清单", ACTOR)
    messages = [str(e) for e in refused.value.errors]
    assert any("“99999999999999999”不在本乡镇" in m for m in messages)
    assert any("分属多个行政村" in m for m in messages)
    assert session.scalar(text("SELECT count(*) FROM grid_plan")) == plans


def test_the_grids_import_command_prints_the_check_and_is_audited(session, town, cli, tmp_path):  # noqa: F811
    add_actor(session)
    result = cli.invoke(
        main,
        [
            "grids",
            "import",
            str(_cells_file(tmp_path)),
            "--township",
            TOWNSHIP_CODE,
            "--name",
            "综治网格",
            "--as",
            ADMIN,
        ],
    )
    assert result.exit_code == 0, result.output
    assert "已导入为草稿方案" in result.output and "相互重叠的网格：DC-1 与 DC-2" in result.output
    assert "未被网格覆盖的村内区域：东村" in result.output
    audit = session.execute(text("SELECT target, detail FROM audit_log WHERE action = 'import_grid_plan'")).one()
    assert audit.target == "综治网格.geojson" and audit.detail["cells"] == 3 and audit.detail["households"] == 5
