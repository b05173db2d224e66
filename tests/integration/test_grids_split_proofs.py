"""A split the bound proves needed is named as proven on real PostGIS (001 §11 网格化: rural grids
keep 村民小组 whole): a village whose groups, 90, 150, 80 and 70 households in bands north to south,
fit no allocation within ±15 % and 100–200 without cutting one, although none alone is too heavy."""

import numpy as np

from gridmgmt.db.models import Household, Township, Village, VillageGroup
from gridmgmt.domain.grid_rules import GridRules, proven_split_reason
from gridmgmt.services.accounts.actors import Actor
from gridmgmt.services.grids.allocation import allocate_township
from gridmgmt.services.grids.views import plan_view
from tests.integration.grid_town import _box, _point

TOWN, VILLAGE = "441624188000", "441624188201"
SIZES = (90, 150, 80, 70)


def _plant(session) -> None:
    """丁村: four groups side by side, each a band 0.002° deep, households spread over it."""
    rng = np.random.default_rng(5)
    town = Township(code=TOWN, name="证明镇", geom=_box(115.70, 115.71, 23.900, 23.908))
    session.add(town)
    session.flush()
    village = Village(township_id=town.id, code=VILLAGE, name="丁村", geom=_box(115.70, 115.71, 23.900, 23.908))
    session.add(village)
    session.flush()
    for k, n in enumerate(SIZES):
        y0 = 23.906 - 0.002 * k
        code = f"{VILLAGE}{k + 1:02d}"
        group = VillageGroup(
            village_id=village.id, code=code, name=f"{k + 1}组", geom=_box(115.70, 115.71, y0, y0 + 0.002)
        )
        session.add(group)
        session.flush()
        xy = np.column_stack([rng.uniform(115.7002, 115.7098, n), rng.uniform(y0 + 0.0001, y0 + 0.0019, n)])
        session.add_all(
            Household(village_id=village.id, group_id=group.id, code=f"{code}{i:03d}", head="户主", geom=_point(*p))
            for i, p in enumerate(xy)
        )
    session.commit()


def test_the_one_needed_split_is_named_as_proven_in_the_report_and_on_the_plan_page(session):
    _plant(session)
    rules = GridRules()
    report = allocate_township(session, TOWN, "证明", rules, actor=Actor("planner"))
    assert report.quality.worst_deviation <= 0.15
    (split,) = report.splits
    assert not split.must_split and split.reason == proven_split_reason(1, rules)
    (shown,) = plan_view(session, report.plan_id).splits
    assert "按完整小组无法" in shown["reason"] and shown["stated"] == proven_split_reason(1, rules)
    assert shown["stated_by"] == "自动划分"
