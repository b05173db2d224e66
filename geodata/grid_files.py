"""A township's existing grids (综治网格 drawn years ago) as files: cell polygons, or a household → cell list.

Not layers of their own table: `gridmgmt grids import` turns either into a draft grid plan.
"""

from geodata.layer_schema import WKT, Field, Layer, code_field, name_field

CELL_CODE_ALIASES = ("网格编码", "网格编号", "网格代码")
CELL_NAME_ALIASES = ("网格名称", "网格名", "网格")
GRID_WORKER = Field("grid_worker", "网格员", aliases=("网格员", "网格员姓名", "专职网格员"))
GRID_LEADER = Field("grid_leader", "网格长", aliases=("网格长", "网格长姓名"))

GRID_CELLS = Layer(
    "grid_cells",
    "grid_cell",
    "网格（面）",
    (
        code_field(*CELL_CODE_ALIASES),
        name_field(*CELL_NAME_ALIASES, required=False),
        Field("village_code", "村编码", aliases=("村编码", "行政村编码", "所属村编码")),
        GRID_WORKER,
        GRID_LEADER,
        WKT,
    ),
    "geom",
    "polygon",
    True,
)

GRID_MEMBERS = Layer(
    "grid_members",
    "grid_membership",
    "农户所属网格清单",
    (
        code_field("户编码", "户号"),
        Field("cell_code", "网格编码", aliases=CELL_CODE_ALIASES, required=True),
        Field("cell_name", "网格名称", aliases=CELL_NAME_ALIASES),
        GRID_WORKER,
        GRID_LEADER,
    ),
)
