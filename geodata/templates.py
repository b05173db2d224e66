"""Excel templates, one per layer: Chinese headers, an example row, and a 说明 sheet with the allowed
values and formats. A filled template imports as it is (geodata.reading reads its first sheet)."""

from datetime import date
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from geodata.layers import LAYERS, Field, Layer

NOTES_SHEET = "说明"
# The example row: one consistent small township, so each example points at the ones before it.
EXAMPLES = {
    "code": {
        "townships": "441624100000",
        "villages": "441624100001",
        "groups": "44162410000101",
        "households": "4416241000010001",
        "roads": "X123-01",
        "waters": "HL-01",
        "party_orgs": "D441624100001",
        "party_members": "P0001",
        "economic_orgs": "91441624MA0000000X",
        "cadres": "C0001",
    },
    "name": {
        "townships": "示例镇",
        "villages": "示例村",
        "groups": "上屋组",
        "roads": "示例路",
        "waters": "示例河",
        "party_orgs": "中共示例村支部委员会",
        "party_members": "张三",
        "economic_orgs": "示例农民专业合作社",
        "cadres": "李四",
    },
    "county": "和平县",
    "head": "王五",
    "address": "示例村上屋 8 号",
    "parent_code": "",
    "village_code": "441624100001",
    "household_code": "4416241000010001",
    "org_code": "D441624100001",
    "party_org_code": "D441624100001",
    "party_member_code": "P0001",
    "phone": "13800000000",
    "lon": 114.901,
    "lat": 24.401,
    "seat_lon": 114.9,
    "seat_lat": 24.4,
    "wkt": {
        "townships": "POLYGON ((114.88 24.38, 114.93 24.38, 114.93 24.43, 114.88 24.43, 114.88 24.38))",
        "villages": "POLYGON ((114.89 24.39, 114.92 24.39, 114.92 24.42, 114.89 24.42, 114.89 24.39))",
        "roads": "LINESTRING (114.89 24.40, 114.905 24.402, 114.92 24.405)",
        "waters": "LINESTRING (114.89 24.41, 114.905 24.413, 114.92 24.411)",
    },
}
KIND_FORMATS = {
    "text": "文字",
    "enum": "从可选值中选一个",
    "int": "整数，如 4",
    "float": "数字，如 12.5",
    "bool": "填“是”或“否”",
    "date": "日期，如 2020-07-01（也可写 2020年7月1日）",
}
NOTES = (
    "第 1 行是列名，请勿改动；第 2 行是示例，填写时请覆盖或删除它。每行一条记录。",
    "必填列不能留空；可不填的列可以整列删除。编码在同一图层内不能重复。",
    "经纬度为 WGS84（GPS）十进制度，如 114.901；高德、腾讯地图坐标导入时选 gcj02，百度选 bd09。",
    "面和线用 WKT 写在“WKT 几何”列，如 POLYGON ((114.88 24.38, 114.93 24.38, …))；在 QGIS 等软件中画好后导出更方便。",
    "导入顺序：乡镇 → 行政村 → 村民小组 → 农户 → 道路 → 水系 → 党组织 → 党员 → 企业/合作社 → 干部（见 docs/onboarding.md）。",
)
REQUIRED_FILL = PatternFill("solid", fgColor="FDE9D9")
EXAMPLE_FONT = Font(italic=True, color="808080")


def template_fields(layer: Layer) -> list[Field]:
    """The columns a template offers: every field read on import, with the layer's one way of giving geometry."""
    fields = [f for f in layer.fields if not f.derived]
    if layer.geom_kind in ("point", "any"):
        return [f for f in fields if f.name != "wkt"]
    return fields


def example(layer: Layer, f: Field):
    """The example value of field F in LAYER's template."""
    given = EXAMPLES.get(f.name)
    if isinstance(given, dict):
        given = given.get(layer.name)
    if given is not None:
        return given
    if f.kind == "enum":
        return next(iter(f.choices.values()))
    return {"bool": "否", "int": 1, "float": 1.5, "date": date(2020, 7, 1)}.get(f.kind, "")


def _format(f: Field) -> str:
    """How to write F, and what a blank cell means when it means something."""
    if f.default is None:
        return KIND_FORMATS[f.kind]
    shown = {True: "是", False: "否"}.get(f.default) if f.kind == "bool" else f.choices.get(f.default, f.default)
    return f"{KIND_FORMATS[f.kind]}；留空视为“{shown}”"


def _allowed(f: Field) -> str:
    if f.kind == "enum":
        return "、".join(f.choices.values())
    return "是、否" if f.kind == "bool" else ""


def _data_sheet(book: Workbook, layer: Layer, fields: list[Field]) -> None:
    sheet = book.active
    sheet.title = layer.label.replace("/", "、")
    sheet.append([f.label for f in fields])
    sheet.append([example(layer, f) for f in fields])
    for i, f in enumerate(fields, start=1):
        letter = get_column_letter(i)
        header, sample = sheet.cell(1, i), sheet.cell(2, i)
        header.font = Font(bold=True)
        if f.required:
            header.fill = REQUIRED_FILL
        sample.font = EXAMPLE_FONT
        if f.kind == "text":
            sample.number_format = sheet.column_dimensions[letter].number_format = "@"  # codes keep leading zeros
        if f.kind == "date":
            sample.number_format = "yyyy-mm-dd"
        sheet.column_dimensions[letter].width = max(12, 2 * len(f.label) + 4)
        if _allowed(f):
            rule = DataValidation(type="list", formula1=f'"{_allowed(f).replace("、", ",")}"', allow_blank=True)
            rule.add(f"{letter}2:{letter}10000")
            sheet.add_data_validation(rule)
    sheet.freeze_panes = "A2"


def _notes_sheet(book: Workbook, layer: Layer, fields: list[Field]) -> None:
    sheet = book.create_sheet(NOTES_SHEET)
    sheet.append([f"{layer.label}导入模板"])
    sheet["A1"].font = Font(bold=True, size=14)
    for note in NOTES:
        sheet.append([note])
    if layer.code_prefix:
        sheet.append(["本图层的编码可以不填：导入时按几何自动生成，重复导入同一文件时编码不变。"])
    sheet.append([])
    sheet.append(["列名", "必填", "格式", "可选值", "也认这些列名"])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for f in fields:
        aliases = "、".join(a for a in f.aliases if a != f.label)
        required = "是" if f.required else "否"
        sheet.append([f.label, required, _format(f), _allowed(f), aliases])
    for letter, width in zip("ABCDE", (18, 6, 36, 40, 40)):
        sheet.column_dimensions[letter].width = width


def template_workbook(layer_name: str) -> bytes:
    """The .xlsx template of layer LAYER_NAME."""
    layer = LAYERS[layer_name]
    fields = template_fields(layer)
    book = Workbook()
    _data_sheet(book, layer, fields)
    _notes_sheet(book, layer, fields)
    out = BytesIO()
    book.save(out)
    return out.getvalue()
