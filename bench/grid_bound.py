"""How many village groups must any allocation split: a lower bound per township of the
county demo, for issue 14's "≥ 95 % of 村民小组 whole on every township".

Per village, over every cell count whose mean cell lies within the rules' bounds (100–200):
the groups that alone exceed that count's ±15 % band must be split; one more when no cover
fits with those shared out freely among the cells touching them (`analysis.group_bound`, a
relaxation of every allocation that splits only them), two more when none fits either with
any one other group shared out too. The least over the counts, summed over the villages, is
what every allocation that keeps the band and the bounds splits at least. A count whose group
sets are too many to list (past `group_cover.MAX_SETS`, raised tenfold here) counts as fitting
(the bound stays a bound).
Beside it, the groups the allocation (`allocate_groups`, not stored) splits.
`python -m bench.grid_bound` (after `python -m bench.grids` has made the county database).
"""

import numpy as np
from sqlalchemy import text

from bench.grids import COUNTY_DB, RULES, WHOLE_GROUPS, _url
from gridmgmt.analysis import group_cover
from gridmgmt.analysis.grid_groups import allocate_groups
from gridmgmt.analysis.group_bound import least_splits
from gridmgmt.db.session import make_session
from gridmgmt.services.grids.allocation import load_township, village_mesh


def main() -> None:
    """Print each township's groups, the least it must split, the best whole share and what the allocation splits."""
    group_cover.MAX_SETS *= 10
    with make_session(_url(COUNTY_DB, "--scale", "county")) as session:
        for tid, code in session.execute(text("SELECT id, code FROM township ORDER BY code")).all():
            town = load_township(session, tid)
            groups, least, undecided, split = 0, 0, 0, 0
            for vid in town.households.village_id.unique():
                _, _, g = village_mesh(town, int(vid), RULES)
                groups += len(np.unique(g.group[g.group >= 0]))
                found, unsure = least_splits(g, RULES)
                undecided += unsure
                least += found
                split += _split(g, allocate_groups(g, RULES))
            best = 1 - least / groups
            print(
                f"{code}：{groups} 组，至少拆分 {least} 组，小组完整至多 {best:.1%}"
                f"（≥ {WHOLE_GROUPS:.0%} {'可能' if best >= WHOLE_GROUPS else '不可能'}）；本系统拆分 {split} 组"
                + (f"；{undecided} 个村有组合过多未判定的网格数（按可行计）" if undecided else ""),
                flush=True,
            )


def _split(g, labels: np.ndarray) -> int:
    """How many of G's groups LABELS (a cell per site) put in more than one cell."""
    return sum(len(np.unique(labels[g.group == group])) > 1 for group in np.unique(g.group[g.group >= 0]))


if __name__ == "__main__":
    main()
