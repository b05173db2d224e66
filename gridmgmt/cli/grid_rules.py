"""The grid rule options shared by `gridmgmt grids allocate` and `gridmgmt grids import`."""

import click

from gridmgmt.cli.checks import INTEGER, NUMBER
from gridmgmt.domain.grid_rules import GridRules

DEFAULT = GridRules()
# (flag, GridRules field, type, help) of the rule options.
RULE_OPTIONS = [
    ("--target", "target", NUMBER, "每格目标工作量（户）"),
    ("--min", "min_workload", NUMBER, "每格工作量下限"),
    ("--max", "max_workload", NUMBER, "每格工作量上限"),
    ("--must-visit-extra", "must_visit_extra", NUMBER, "每户必访户多算的工作量（1.0 即一户按两户算）"),
    ("--tolerance", "tolerance", NUMBER, "各网格工作量可偏离本村平均的比例（0.1 即上下 10%）"),
    ("--max-cells-per-worker", "max_cells_per_worker", INTEGER, "每名网格员最多负责网格数"),
    ("--liaison-capacity", "liaison_capacity", INTEGER, "每名党员最多联系户数"),
]


def rules_options(fn):
    """The rule options (--target, --min, …) with GridRules' defaults."""
    for flag, name, kind, text in reversed(RULE_OPTIONS):
        fn = click.option(flag, name, type=kind, default=getattr(DEFAULT, name), show_default=True, help=text)(fn)
    return fn


def rules_of(**kw) -> GridRules:
    """The GridRules the rule options KW give."""
    return GridRules(**{name: kw[name] for _, name, _, _ in RULE_OPTIONS})
