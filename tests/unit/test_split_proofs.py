"""The reason a plan gives for splitting a group that fits its band, when the bound proves the
village cannot do with fewer splits (seed 001 网格化: rural grids keep 村民小组 whole)."""

from gridmgmt.domain.grid_rules import GridRules, proven_split_reason
from gridmgmt.services.grids.splits import GroupSplit, with_proofs
from tests.unit.test_grid_groups import _row_of_groups

RULES = GridRules()  # bounds 100–200, band ±15 %
RULE_TEXT = "工作量 150 未超过本村网格上限 200：按完整小组无法使本村各网格都在平均工作量 ±15% 以内，或方案经过人工调整"


def _split(code: str, workload: float, must: bool = False) -> GroupSplit:
    return GroupSplit("甲村", code, f"{code}组", ["W1", "W2"], workload, must, RULE_TEXT)


def test_the_proof_names_the_band_the_bounds_and_the_count():
    """Seed 001 网格化: the reason says what every allocation within the rules must do."""
    assert proven_split_reason(2, RULES) == (
        "本村任何使各网格都在平均工作量 ±15% 以内、100–200 之间的划分，都至少要拆分 2 个村民小组；本方案拆分的正是 2 个"
    )


def test_a_split_the_bound_proves_needed_is_named_as_proven():
    """Seed 001 网格化, whole 村民小组: groups 90, 150, 80, 70 in a row (390) must lose one group at any
    count within 100–200 and ±15 % (test_grid_groups: the bound is 1), so the plan's one split of
    the 150, which alone fits the 2-cell band (165.75–200), is proven, not 「或方案经过人工调整」."""
    _, graph, _ = _row_of_groups([90, 150, 80, 70], seed=0)
    (proved,) = with_proofs([_split("G2", 150)], {"甲村": graph}, RULES)
    assert proved.reason == proven_split_reason(1, RULES)


def test_more_splits_than_the_bound_keep_the_rule_reason():
    """Seed 001 网格化: two splits where one would do prove nothing; both keep the rule's text."""
    _, graph, _ = _row_of_groups([90, 150, 80, 70], seed=0)
    splits = [_split("G2", 150), _split("G3", 80)]
    assert [s.reason for s in with_proofs(splits, {"甲村": graph}, RULES)] == [RULE_TEXT, RULE_TEXT]


def test_a_village_without_its_graph_keeps_the_rule_reason():
    """Seed 001 网格化: a village the allocation could not name uniquely gets no proof."""
    assert with_proofs([_split("G2", 150)], {}, RULES)[0].reason == RULE_TEXT


def test_a_group_too_heavy_for_the_band_keeps_its_own_reason():
    """Seed 001 网格化: 「单独超过本村网格上限，须拆分」 is its own proof and is not replaced."""
    _, graph, _ = _row_of_groups([90, 150, 80, 70], seed=0)
    heavy = GroupSplit("甲村", "G2", "二组", ["W1", "W2"], 150, True, "工作量 150 单独超过本村网格上限 149，须拆分")
    assert with_proofs([heavy], {"甲村": graph}, RULES) == [heavy]
