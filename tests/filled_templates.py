"""Each layer's Excel template filled in as a clerk would (openpyxl), for the template and page tests:
two rows per layer of a small township 模板镇, in import order."""

from io import BytesIO

from openpyxl import load_workbook

from geodata.layers import LAYERS
from geodata.templates import template_workbook

TOWN = "449900103000"


def _square(x0: float, x1: float) -> str:
    return f"POLYGON (({x0} 24.38, {x1} 24.38, {x1} 24.43, {x0} 24.43, {x0} 24.38))"


# Two rows per layer, by field name; in import order. The second township lies beside the first.
ROWS = {
    "townships": [
        {
            "code": TOWN,
            "name": "模板镇",
            "county": "和平县",
            "seat_lon": 114.9,
            "seat_lat": 24.4,
            "wkt": _square(114.88, 114.93),
        },
        {"code": "449900104000", "name": "邻镇", "wkt": _square(114.93, 114.98)},
    ],
    "villages": [
        {"code": "449900103001", "name": "东村", "is_poverty_alleviated": "是", "wkt": _square(114.88, 114.905)},
        {"code": "449900103002", "name": "西村", "is_community": "否", "wkt": _square(114.905, 114.93)},
    ],
    "groups": [
        {"code": "G1", "name": "上屋", "lon": 114.89, "lat": 24.40},
        {"code": "G2", "name": "下屋", "lon": 114.915, "lat": 24.40},
    ],
    "households": [
        {"code": "H1", "head": "陈一", "member_count": 4, "hardship": "是", "lon": 114.891, "lat": 24.401},
        {"code": "H2", "head": "陈二", "member_count": 2, "lon": 114.916, "lat": 24.401},
    ],
    "roads": [
        {"code": "X1", "name": "东西路", "road_class": "县道", "wkt": "LINESTRING (114.885 24.40, 114.925 24.40)"},
        {"name": "无编码小路", "road_class": "村道", "wkt": "LINESTRING (114.89 24.39, 114.89 24.42)"},
    ],
    "waters": [
        {"code": "HL1", "name": "东河", "kind": "河流", "wkt": "LINESTRING (114.885 24.41, 114.925 24.412)"},
        {"kind": "坑塘", "wkt": "POLYGON ((114.90 24.39, 114.902 24.39, 114.902 24.392, 114.90 24.39))"},
    ],
    "party_orgs": [
        {
            "code": "D1",
            "name": "东村党支部",
            "org_type": "党支部",
            "village_code": "449900103001",
            "lon": 114.892,
            "lat": 24.402,
        },
        {"code": "D2", "name": "西村党支部", "org_type": "党支部", "parent_code": "", "village_code": "449900103002"},
    ],
    "party_members": [
        {
            "code": "P1",
            "name": "陈一",
            "gender": "男",
            "joined_on": "2001-07-01",
            "household_code": "H1",
            "org_code": "D1",
        },
        {"code": "P2", "name": "林二", "gender": "女", "status": "预备党员", "org_code": "D2", "household_code": ""},
    ],
    "economic_orgs": [
        {"code": "91449900MA0000001X", "name": "东村合作社", "kind": "合作社", "lon": 114.893, "lat": 24.403},
        {
            "code": "91449900MA0000002X",
            "name": "西村公司",
            "kind": "企业",
            "party_org_code": "",
            "lon": 114.917,
            "lat": 24.403,
        },
    ],
    "cadres": [
        {"code": "C1", "name": "黄一", "cadre_role": "网格员", "phone": "13900000001", "household_code": "H1"},
        {"code": "C2", "name": "黄二", "cadre_role": "镇干部", "party_member_code": "P2", "household_code": "H2"},
    ],
    "postings": [
        {"cadre_code": "C2", "village_code": "449900103001", "assignment": "包村", "start_date": "2026-01-01"},
        {
            "cadre_code": "C1",
            "village_code": "449900103002",
            "assignment": "挂点",
            "start_date": "2025-03-01",
            "end_date": "2025-12-31",
        },
    ],
}
TABLES = {name: layer.table for name, layer in LAYERS.items()}


def filled(layer_name: str, tmp_path):
    """The template of LAYER_NAME with the example row overwritten by ROWS, saved as a clerk would."""
    book = load_workbook(BytesIO(template_workbook(layer_name)))
    sheet = book.worksheets[0]
    by_label = {f.label: f.name for f in LAYERS[layer_name].fields}
    names = [by_label[cell.value] for cell in sheet[1]]
    for r, row in enumerate(ROWS[layer_name], start=2):
        for c, name in enumerate(names, start=1):
            sheet.cell(r, c).value = row.get(name)
    path = tmp_path / f"{layer_name}.xlsx"
    book.save(path)
    return path
