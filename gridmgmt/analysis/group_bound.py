"""How many village groups must any allocation of a village split (issue 14's bound, for
001 网格化: rural grids keep 村民小组 whole, a group split only when it must be), decided with
the fluid relaxation of `group_fluid`: when no fluid cover with the groups cut fits the band,
every allocation cuts another group.
"""

import numpy as np

from gridmgmt.analysis.grid_groups import oversized_groups
from gridmgmt.analysis.group_fluid import fluid_cover
from gridmgmt.analysis.partition import SiteGraph
from gridmgmt.domain.grid_rules import GridRules


def least_splits(g: SiteGraph, rules: GridRules) -> tuple[int, bool]:
    """(a lower bound on the groups of the village G that any allocation keeping every cell within
    the band and the bounds splits, whether a count could not be decided).

    Per cell count within the bounds: the groups that alone exceed its band; one more when no
    fluid cover of them fits; two more when, besides, none fits with any one other group cut as
    well. The least over the counts. A count with too many group sets to list counts as fitting.
    """
    total = g.weight.sum()
    if total <= rules.max_workload:
        return 0, False  # one cell
    free = np.full(len(g.xy), -1)
    groups = [int(x) for x in np.unique(g.group[g.group >= 0])]
    least, undecided = len(groups), False
    for k in range(2, int(total // rules.min_workload) + 1):
        must = oversized_groups(g, free, rules, k)
        if total / k > rules.max_workload or len(must) >= least:
            continue
        fits, more = fluid_cover(g, rules, k, must), 0
        if fits is False:
            others = [fluid_cover(g, rules, k, must | {x}) for x in groups if x not in must]
            more = 1 + all(o is False for o in others)
            undecided |= None in others
        undecided |= fits is None
        least = min(least, len(must) + more)
    return least, undecided
